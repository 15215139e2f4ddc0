#pragma once
// The device's change log as stored (schema v12): one row of `outbox_runs` per record run —
// the field entries one local write made to one record, which take consecutive seqs — instead
// of one row per field. Everything above this file sees entries (ChangeLog, sync/client): a
// run is expanded when read, and the seqs, stamps, values and authors read back are those
// written, entry by entry.
//
// Table: outbox_runs(seq INTEGER PRIMARY KEY  -- the run's first entry's seq; its entries
//                                                take seq, seq + 1, … seq + n − 1
//                    n, record_type,
//                    record_id, author          -- a canonical lowercase UUID as its 16
//                                                  bytes (BLOB), anything else as TEXT
//                    hlc                        -- the highest hlc of its entries
//                    entries BLOB)              -- the form below
// Blob: varint D, D device ids (varint length, bytes) the base and seen stamps name; then per
// entry: varint field code (0: a name follows as varint length, bytes; k ≥ 1: FieldName(def,
// k − 1) of the run's RecordDef: its fields in order, "deleted" last); zigzag varint of the
// entry's hlc less the previous entry's (the first: less the row's hlc); the value (a tag
// byte: 1 and 16 bytes for a string that is a canonical UUID, 2, varint count and 16 bytes each
// for an array of them, 0, varint length and the JSON text for anything else); a flags byte (bit 0:
// a base stamp follows, bit 1: a seen stamp follows), each stamp as varint device (index into the D
// ids) and zigzag varint of the entry's hlc less the stamp's hlc. An absent stamp is (0, "").
// Varints are LEB128.
//
// The hub keeps the per-field table of its own schema (Database::Impl::compact_log false).
#include <string>
#include <string_view>
#include <vector>

#include "storage/core/change_log.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

// One entry of a run as written: the value as its JSON text.
struct RunEntry {
  const char* field = "";  // a name that outlives the call (a FieldDef's, or a kept string's)
  std::string_view value;  // JSON text, as json::dump() writes it
  int64_t hlc = 0;
  int64_t base_hlc = 0;
  std::string_view base_device;
  int64_t seen_hlc = 0;
  std::string_view seen_device;
};

// Appends one run of record `type`/`id` by `author`: entries[i] takes seq first_seq + i.
// Inside the write's transaction.
Status AppendRun(Database::Impl& d, const char* type, const std::string& id,
                 const std::string& author, int64_t first_seq,
                 const std::vector<RunEntry>& entries);

// Entries with seq > after_seq in seq order, at most `limit` (limit < 0: all).
Result<std::vector<ChangeEntry>> ReadRunEntries(Database::Impl& d, int64_t after_seq, int limit);

// Replaces the whole log by `entries` (in seq order, seqs unique): consecutive entries of one
// record and author whose seqs follow each other are stored as one run. For the rare rewrites
// of unsent entries (re-stamp before a push, device reset). Inside a transaction.
Status ReplaceRunEntries(Database::Impl& d, const std::vector<ChangeEntry>& entries);

// Removes the entries with seq <= `seq`; a run reaching past it keeps its later entries.
// Inside a transaction.
Status DropRunEntriesThrough(Database::Impl& d, int64_t seq);

// Migration v12: the per-field `outbox` table of schema ≤ 11, if there, turned into runs (in
// seq order, streamed: consecutive entries of one record and author whose seqs follow each
// other make a run) and dropped. Harmless where it already ran.
Status CompactOldChangeLog(Database::Impl& d);

// Whether an entry is stamped after `hlc` (the re-stamp reads the log only then).
Result<bool> AnyRunEntryAfter(Database::Impl& d, int64_t hlc);

// How many entries the log holds.
Result<int64_t> CountRunEntries(Database::Impl& d);

}  // namespace gocua
