#pragma once
// The hub's server log as runs of ops, store-neutral: which ops make a run, and the text of a
// run's ops after its first (a row's `rest`). Both stores keep one row per run (the SQLite
// store: sqlite/hub_internal.h); how a row's other columns are laid out is each store's own.
//
// Contract: what AppendRestText writes, ExpandRest reads back to the same ops; rows written by
// any earlier writer (the whole form of before hub schema 11) are read too. Pure functions; any
// thread.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sync/hub/store/log_entry.h"

namespace gocua::hub_internal {

// A row of the log holds a run of ops (hub schema 4): consecutive seqs of one origin on one
// record, with the same commune, served flag and pusher, at most kMaxLogRun of them. The row's
// server_seq is its first op's, the others follow (server_seq + i), so server seqs stay one per
// op and cursors keep their meaning. Op 0 is in the row's columns, ops 1..n-1 in `rest` (a JSON
// array of LogRestOp arrays). A visit is one row instead of ~11: the log was a third of a
// push's CPU. (The SQLite store's view hub_ops shows one row per op, for people and tests.)
inline constexpr int kMaxLogRun = 64;

// Since hub schema 11 an op of `rest` that repeats what op 0 says (no base, no seen, orig_hlc =
// hlc, op 0's outcome and author, no reason) is written short: [field, value, hlc - op 0's hlc],
// a step of 0..kMaxShortStep (a visit's ops are one save's consecutive stamps). Rows of older
// schemas hold only the whole form, which every reader still reads; step 11 rewrote them.
inline constexpr int64_t kMaxShortStep = int64_t{1} << 40;
// Whether `e` is written short after `head` (op 0 of its run).
bool ShortForm(const LogEntry& head, const LogEntry& e);

// Whether `next` may join a run that ends with `last`.
bool ExtendsRun(const LogEntry& last, const LogEntry& next);
// The bytes of ops 1..n-1 of `run` (the row's `rest`): since hub schema 12 the binary form
// (log_binary.h) when the run fits it (its ops after the first all short, of fields of its
// RecordDef), else the JSON text below. Opaque bytes to a store (a BLOB or bytea).
std::string RestText(const std::vector<LogEntry>& run);
// Appends those bytes to `out`. With `head_too` (the SQLite store, hub schema 13) op 0's field
// and value go into the binary form too (log_binary.h form 0x02) when the run fits it: then
// the answer is true and the row keeps op 0's field and value empty.
bool AppendRestText(std::string& out, std::span<const LogEntry> run, bool head_too = false);
// The JSON text of ops 1..n-1 (the form of hub schemas 4..11): a JSON array of ops, each in
// its short form [field, value, step] where ShortForm says so, else whole.
std::string RestJson(const std::vector<LogEntry>& run);
void AppendRestJson(std::string& out, std::span<const LogEntry> run);
// Appends ops 1..n-1 of a row, read from its `rest` (any form: binary, JSON short or whole,
// told apart by the first byte, '[' for JSON), to `out`, which holds op 0 (from a binary form
// 0x02 its field and value are set here). A row
// that does not hold its n ops is kCorrupt. `fast` reads the writer's text without a json tree
// (log_text.h) and falls back to nlohmann for anything else; false always uses nlohmann
// (tests compare the two). REQUIRES: n >= 2, out.size() == 1.
Status ExpandRest(std::string_view rest, int64_t n, std::vector<LogEntry>& out, bool fast = true);

}  // namespace gocua::hub_internal
