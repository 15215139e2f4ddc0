#pragma once
// Applying remote ops record by record. A record arrives as a run of ops (a visit is ~10, one
// per field); MergeBatch keeps the last record it touched in memory, so such a run reads the
// row once and writes it once instead of once per op. Used by the hub (HubStore::Push) and by
// devices (Replica::ApplyPulled); the rule itself is DecideMerge (storage/core/merge.h).
//
// The held record is typed (HeldRow, storage/core/record_store.h: values and stamps by field index),
// not a json object: sync reads and writes every record it touches through here.
//
// REQUIRES: inside d.Transact for the batch's whole life. Writes to the held record reach the
// database only at Flush() — call it before the transaction commits and before anything other
// than this batch reads or writes the held record (e.g. WriteLocal). A failed call leaves the
// batch unusable; roll the transaction back.
#include <optional>
#include <string>

#include "storage/core/merge.h"
#include "storage/core/record_store.h"

namespace gocua {

class MergeBatch {
 public:
  explicit MergeBatch(Database::Impl& d) : d_(d) {}
  MergeBatch(const MergeBatch&) = delete;
  MergeBatch& operator=(const MergeBatch&) = delete;

  // The record as merged so far, without changing which record is held.
  Result<StoredRow> Peek(const RecordDef& def, const std::string& id);
  // FindDeleteRace (storage/core/merge.h) for `op` against its record as merged so far, which
  // becomes the held record (the previous one is flushed); none for a missing record.
  // REQUIRES: `op` passed CheckRemoteOp (its value normalised).
  Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op);
  // As MergeRemote (storage/core/record_store.h): decides `op` by the merge rule against the held
  // record and changes it in memory. REQUIRES: `op` passed CheckRemoteOp.
  Result<MergeDecision> Merge(const RemoteOp& op, json* current_value = nullptr,
                              Stamp* current_stamp = nullptr);
  // The same with `value` in place of op.value (e.g. CheckRemoteOp's normalised value), moved
  // into the record if the op wins: the caller need not copy the op.
  Result<MergeDecision> Merge(const RemoteOp& op, json&& value, json* current_value = nullptr,
                              Stamp* current_stamp = nullptr);
  // As Merge, but *conflict_value and *conflict_stamp (the field's value and stamp before the
  // op) are set only when the outcome is kConflict, and left alone otherwise: a hub records a
  // conflict from them and needs them for nothing else (copying them for every op was a fifth
  // of a hub's merge). REQUIRES: `op` passed CheckRemoteOp.
  Result<MergeDecision> MergeNotingConflict(const RemoteOp& op, json* conflict_value,
                                            Stamp* conflict_stamp);
  // Writes the held record's changed fields (as WriteFields) and lets it go.
  Status Flush();

 private:
  // Makes record `id` of `def` the held one (flushing the previous).
  Status Hold(const RecordDef& def, const std::string& id);
  // `conflict_only`: *current_value and *current_stamp only for a kConflict outcome.
  Result<MergeDecision> Apply(const RemoteOp& op, const json& value, json* moved_value,
                              json* current_value, Stamp* current_stamp,
                              bool conflict_only = false);

  Database::Impl& d_;
  bool held_ = false;
  std::string id_;
  HeldRow row_;
  uint64_t dirty_ = 0;  // bit i: field i changed since the record was read
  HeldStatements kept_;  // the reads and inserts of the records held, kept prepared
};

}  // namespace gocua
