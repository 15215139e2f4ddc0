#pragma once
// The SQLite hub store's transaction for the push policy (sync/hub/store/hub_txn.h). Internal
// to sync/hub/store/sqlite/.
//
// Buffers: the record a run of ops touches (MergeBatch: read and written once) and the log's
// current run (LogWriter: one row). Both are written out before anything reads what they hold
// (FindLogged, LoggedOp, WriteOwn) and by Finish, which the store calls before it commits.
// REQUIRES: inside d.Transact for the object's whole life.
#include "storage/core/merge_batch.h"
#include "sync/hub/store/hub_txn.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {

class SqliteTxn final : public HubTxn {
 public:
  // `scopes` is the store's kept scope cache (it may outlive the transaction: see
  // SqliteHubStore::KeptScopes).
  SqliteTxn(Database::Impl& d, ScopeCache& scopes) : d_(d), batch_(d), scopes_(scopes) {}

  int64_t NowMs() override;
  int64_t StampAfter(int64_t ms) override;
  Result<int64_t> OriginMaxSeq(const std::string& origin) override;
  Status SetOriginMaxSeq(const std::string& origin, int64_t max_seq) override;
  Result<std::optional<LogEntry>> LoggedOp(const std::string& origin, int64_t seq) override;
  Result<LoggedChange> FindLogged(const std::string& type, const std::string& id,
                                  const std::string& field, const Stamp& stamp) override;
  Status AppendLog(LogEntry&& e) override { return log_.Add(d_, std::move(e)); }
  Result<std::string_view> ScopeOf(std::string_view type, std::string_view id,
                                   bool* found) override {
    return scopes_.Of(d_, type, id, found);
  }
  Status SetScope(const std::string& type, const std::string& id,
                  const std::string& commune) override {
    return scopes_.Set(d_, type, id, commune);
  }
  Result<StoredRow> PeekRecord(const RecordDef& def, const std::string& id) override {
    return batch_.Peek(def, id);
  }
  Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op) override {
    return batch_.DeleteRaceOf(op);
  }
  Result<MergeDecision> Merge(const RemoteOp& op, nlohmann::json* current_value,
                              Stamp* current_stamp) override {
    return batch_.MergeNotingConflict(op, current_value, current_stamp);
  }
  Status WriteOwn(const char* type, const std::string& id, const nlohmann::json& fields,
                  const std::string& scope) override;
  Status TouchDevice(const std::string& device_id, int64_t now) override;

  // Writes out what is buffered. REQUIRES: before the transaction commits.
  Status Finish();

 private:
  Database::Impl& d_;
  MergeBatch batch_;  // a run of ops on one record reads and writes it once
  LogWriter log_;     // and is logged as one row
  ScopeCache& scopes_;
};

}  // namespace gocua::hub_internal
