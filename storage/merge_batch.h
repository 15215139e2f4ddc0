#pragma once
// Applying remote ops record by record. A record arrives as a run of ops (a visit is ~10, one
// per field); MergeBatch keeps the last record it touched in memory, so such a run reads the
// row once and writes it once instead of once per op. Used by the hub (HubStore::Push) and by
// devices (Replica::ApplyPulled); the rule itself is DecideMerge (storage/merge.h).
//
// REQUIRES: inside d.Transact for the batch's whole life. Writes to the held record reach the
// database only at Flush() — call it before the transaction commits and before anything other
// than this batch reads or writes the held record (e.g. WriteLocal). A failed call leaves the
// batch unusable; roll the transaction back.
#include <set>
#include <string>

#include "storage/merge.h"
#include "storage/record_store.h"

namespace gocua {

class MergeBatch {
 public:
  explicit MergeBatch(Database::Impl& d) : d_(d) {}
  MergeBatch(const MergeBatch&) = delete;
  MergeBatch& operator=(const MergeBatch&) = delete;

  // The record as merged so far; it becomes the held record (the previous one is flushed).
  // A missing record reads with exists == false and default values.
  Result<const StoredRow*> Hold(const RecordDef& def, const std::string& id);
  // The record as merged so far, without changing which record is held.
  Result<StoredRow> Peek(const RecordDef& def, const std::string& id);
  // As MergeRemote (storage/record_store.h): decides `op` by the merge rule against the held
  // record and changes it in memory. REQUIRES: `op` passed CheckRemoteOp.
  Result<MergeDecision> Merge(const RemoteOp& op, json* current_value = nullptr,
                              Stamp* current_stamp = nullptr);
  // Writes the held record's changed fields (WriteFields) and lets it go.
  Status Flush();

 private:
  Database::Impl& d_;
  const RecordDef* def_ = nullptr;  // null: nothing held
  std::string id_;
  StoredRow row_;
  std::set<std::string> dirty_;
};

}  // namespace gocua
