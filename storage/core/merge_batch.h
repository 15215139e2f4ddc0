#pragma once
// Applying remote ops record by record. A record arrives as a run of ops (a visit is ~10, one
// per field); MergeBatch keeps the last record it touched in memory, so such a run reads the
// row once and writes it once instead of once per op. Used by the hub (HubStore::Push) and by
// devices (Replica::ApplyPulled); the rule itself is DecideMerge (storage/core/merge.h).
//
// The held record is typed (HeldRow, storage/core/record_store.h: values and stamps by field
// index), not a json object: sync reads and writes every record it touches through here.
//
// A batch made with KeepExisting::kYes (Replica::ApplyPulled) also keeps, until Flush(), each
// record that existed when it read it, when it moves on to another: a record the batch comes
// back to is then read and written once (a person whose skills several visits of a pulled group
// raise: 954 reads and writes of 200 persons for 1,000 visits, ~12 M instructions). A new
// record is still written as the batch moves on, so new rows get their rowids in op order.
//
// REQUIRES: inside d.Transact for the batch's whole life. Writes to the held records reach the
// database only at Flush() — call it before the transaction commits and before anything other
// than this batch reads or writes a record it holds (e.g. WriteLocal). A failed call leaves the
// batch unusable; roll the transaction back.
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/core/merge.h"
#include "storage/core/record_store.h"

namespace gocua {

class MergeBatch {
 public:
  enum class KeepExisting { kNo, kYes };
  explicit MergeBatch(Database::Impl& d, KeepExisting keep = KeepExisting::kNo)
      : d_(d), keep_existing_(keep == KeepExisting::kYes) {}
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
  // Writes the held records' changed fields (as WriteFields) and lets them go.
  Status Flush();

 private:
  // A record kept aside (KeepExisting::kYes), or a free slot whose storage is reused.
  struct Parked {
    std::string id;
    HeldRow row;
    uint64_t dirty = 0;
    bool live = false;  // holds a record kept aside (else a free slot)
  };
  using ParkedKey = std::pair<const RecordDef*, std::string_view>;  // the view: Parked::id

  // Makes record `id` of `def` the held one (the previous one written, or kept aside).
  Status Hold(const RecordDef& def, const std::string& id);
  // Lets the held record go: written, or kept aside if it existed and existing ones are kept.
  Status Release();
  // Writes the held record and lets it go. REQUIRES: held_.
  Status WriteCurrent();
  // The held record, or one kept aside, as it is now; null when neither is it.
  const HeldRow* Find(const RecordDef& def, const std::string& id) const;
  // `conflict_only`: *current_value and *current_stamp only for a kConflict outcome.
  Result<MergeDecision> Apply(const RemoteOp& op, const json& value, json* moved_value,
                              json* current_value, Stamp* current_stamp,
                              bool conflict_only = false);

  Database::Impl& d_;
  bool held_ = false;
  std::string id_;
  HeldRow row_;
  uint64_t dirty_ = 0;   // bit i: field i changed since the record was read
  HeldStatements kept_;  // the reads and inserts of the records held, kept prepared
  const bool keep_existing_;
  std::deque<Parked> parked_;  // slots [0, parked_used_) in use this batch; never move
  size_t parked_used_ = 0;
  std::vector<size_t> free_;               // slots below parked_used_ taken back since
  std::map<ParkedKey, size_t> parked_at_;  // the records kept aside → their slots
};

}  // namespace gocua
