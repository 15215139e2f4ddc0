#pragma once
// Internal to storage/: the generic, schema-driven read and write of records, their per-field
// stamps and change-log entries. Repositories are typed shells over this; the sync merge
// will apply remote ops through the same row functions.
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "storage/core/merge.h"
#include "storage/core/schema.h"
#include "storage/core/sqlite_db.h"
#include "storage/core/stamps_text.h"

namespace gocua {

using json = nlohmann::json;

// A record as stored: values of every field of its RecordDef plus "deleted", and the stamp of
// each field ever written: {"field": [hlc, "device"]}.
struct StoredRow {
  bool exists = false;
  int64_t rowid = 0;
  json values = json::object();
  json stamps = json::object();
};

// A record as MergeBatch holds it while a run of ops merges into it: values and stamps by
// field index (storage/core/stamps_text.h: def.fields in order, then "deleted"), no json object.
// A value whose bit is clear in `has_value` is the field's default (a missing record sets none).
struct HeldRow {
  const RecordDef* def = nullptr;
  bool exists = false;
  int64_t rowid = 0;
  std::vector<json> values;  // def->fields.size() + 1 slots
  uint64_t has_value = 0;
  const std::vector<json>* defaults = nullptr;  // the type's default values, by index
  RowStamps stamps;

  // Field i's value (its default if never set).
  const json& Value(size_t i) const { return has_value >> i & 1 ? values[i] : (*defaults)[i]; }
  json& Set(size_t i, json v) {
    has_value |= uint64_t{1} << i;
    return values[i] = std::move(v);
  }
};

// What ReadHeld and WriteHeld keep between the records of one caller (a MergeBatch, within one
// transaction), so that a run of records does not look its statements up and drop them each
// time: per record type the select and the insert, prepared on first use and reset after each;
// the text WriteHeld binds. Not shared between threads.
struct HeldStatements {
  struct OfType {
    const RecordDef* def = nullptr;
    std::unique_ptr<Stmt> select, insert;
  };
  std::vector<OfType> types;      // a handful of record types
  std::vector<std::string> keep;  // WriteHeld's text bound SQLITE_STATIC, kept for its storage
  OfType& Of(const RecordDef& def);
};

// ReadRow into `row` (its storage reused): the same values and stamps, typed. `kept`, if
// given, keeps the select (HeldStatements).
Status ReadHeld(Database::Impl& d, const RecordDef& def, const std::string& id, HeldRow& row,
                HeldStatements* kept = nullptr);
// The StoredRow that ReadRow would give for what `row` holds.
StoredRow ToStoredRow(const HeldRow& row);
// As WriteFields with the fields whose bits are set in `dirty`: a missing record is inserted
// whole, an existing one gets those columns and its stamps; derived data and a running
// BulkDerived are told as WriteFields tells them. Nothing is written when `dirty` is 0.
// Afterwards `row` says exists and its rowid, but its values may have been moved out: read it
// again (ReadHeld) before using them. `kept`, if given, keeps the insert (HeldStatements).
// REQUIRES: inside d.Transact.
Status WriteHeld(Database::Impl& d, const std::string& id, HeldRow& row, uint64_t dirty,
                 HeldStatements* kept = nullptr);

// A household's place in the register's list (table household_order): its head's name folded
// as search folds it (case and marks ignored, Đ with D), then as written, so "Đỗ" sorts with
// "Do", not after "Võ".
std::string HouseholdSortKey(const std::string& head_name);
// Fills household_order from the households table (the migration that made it).
// REQUIRES: inside a transaction.
Status FillHouseholdOrder(Database::Impl& d);

// The schema version whose migration rewrites the stamps (storage/core/migrations.cpp, v11).
inline constexpr int kStampsRewritten = 11;
// Rewrites the stamps column of every record of every type in the binary form
// (StampsColumn, storage/core/stamps_text.h), each row's stamps the same as read before. The
// migration that made stamps binary; a row already binary is written again unchanged.
// REQUIRES: inside a transaction.
Status RewriteStamps(Database::Impl& d);

// Reads record `id` of `def`. A missing record gives exists == false and default values.
Result<StoredRow> ReadRow(Database::Impl& d, const RecordDef& def, const std::string& id);

// Checks and normalises one value for `field` (text to NFC, length limits, dates, refs).
Result<json> CheckValue(const RecordDef& def, const FieldDef& field, const json& value);

// Writes `changes` (field → value) to record `id` as this device's edit: stamps each changed
// field with a new HLC, appends one change-log entry per changed field (dense seq; base stamp =
// the field's stamp before this edit), and refreshes derived tables and the search index.
// A new record gets an entry for every field given; an existing one only for fields whose
// value differs. Returns the number of entries appended.
// REQUIRES: inside d.Transact. Unknown fields or bad values fail with kInvalidInput.
// `fresh_checked` (a bulk add, Households::AddAll): the caller minted `id` just now
// (NewUuidV7), so no row has it, and every value in `changes` is already what CheckValue
// returns for it; the row is not read and the values are not checked again. Same writes.
Result<int> WriteLocal(Database::Impl& d, const RecordDef& def, const std::string& id,
                       const json& changes, bool fresh_checked = false);
// WriteLocal of a record the caller has just read with ReadRow in this same transaction (it
// needed it anyway: one read, not two). On success `row` holds what is now stored: every
// value (checked and normalised) and stamp, and its rowid. REQUIRES: inside d.Transact, and
// `row` read in it for `id` (or, with `fresh_checked`, ReadRow's missing row).
Result<int> WriteLocalRow(Database::Impl& d, const RecordDef& def, const std::string& id,
                          StoredRow& row, const json& changes, bool fresh_checked = false);

// The stamps column as PutRow and WriteFields write it from a StoredRow's stamps object.
std::string StampsColumn(const RecordDef& def, const json& stamps);

// Rewrites the whole row (values and stamps) and its derived data. Used by WriteLocal and by
// the merge of remote ops. While a BulkDerived batch runs (d.bulk), it and WriteFields tell it
// of each write (storage/device/derived_bulk.h). REQUIRES: inside d.Transact.
Status PutRow(Database::Impl& d, const RecordDef& def, const std::string& id, StoredRow& row);

// Checks `op` against the schema: a known record type and field, a value of the right kind.
// Returns the normalised value.
Result<json> CheckRemoteOp(const RemoteOp& op);
// The same checks and errors, the value normalised in place: on success op.value is what
// CheckRemoteOp returns, on failure `op` is unchanged. Saves copying the value.
Status NormaliseRemoteOp(RemoteOp& op);
// CheckValue with `v` normalised in place (unchanged on failure).
Status CheckValueInPlace(const RecordDef& def, const FieldDef& field, json& v);

// Writes `fields` (names, "deleted" included) of `row` and its stamps to record `id` — the
// whole row if it does not exist yet — and refreshes derived data if one of them feeds it.
// REQUIRES: inside d.Transact.
Status WriteFields(Database::Impl& d, const RecordDef& def, const std::string& id, StoredRow& row,
                   const std::set<std::string>& fields);

// Applies `op` with the merge rule: the row changes only if the op's stamp wins. The HLC moves
// past the op's. `current_value`/`current_stamp`, if given, receive the field's state before.
// A run of ops on one record is cheaper through MergeBatch (storage/core/merge_batch.h).
// REQUIRES: inside d.Transact, and `op` passed CheckRemoteOp (its value normalised).
Result<MergeDecision> MergeRemote(Database::Impl& d, const RemoteOp& op,
                                  json* current_value = nullptr, Stamp* current_stamp = nullptr);

// The stamp of `field` in `row` ({0, ""} if never written).
Stamp FieldStamp(const StoredRow& row, const std::string& field);

// Makes `member_id` the author of the change-log entries written while it lives (a leader's
// review), then puts the signed-in member back. REQUIRES: the Impl outlives it.
class AuthorScope {
 public:
  AuthorScope(Database::Impl& d, const std::string& member_id) : d_(d), saved_(d.author) {
    d.author = member_id;
  }
  ~AuthorScope() { d_.author = saved_; }
  AuthorScope(const AuthorScope&) = delete;
  AuthorScope& operator=(const AuthorScope&) = delete;

 private:
  Database::Impl& d_;
  std::string saved_;
};

}  // namespace gocua
