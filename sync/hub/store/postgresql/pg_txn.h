#pragma once
// The PostgreSQL hub store's transaction (sync/hub/store/hub_txn.h): what the shared push
// policy runs against, and what the store's own writes (communes, villages, members) use.
//
// Nothing in it outlives its transaction: scopes found and the held record are this
// transaction's (another hub process may write the next moment), so there is no cache to
// validate. Buffers: the record a run of ops touches (read and written once), the log entries
// (published with their seqs by Finish, pg_log.h) and the hub's clock.
// REQUIRES: inside a transaction of `c` for the object's whole life, opened SERIALIZABLE.
#include <string>
#include <unordered_map>
#include <vector>

#include "platform/clock.h"
#include "sync/hub/store/hub_txn.h"
#include "sync/hub/store/postgresql/pg_conn.h"
#include "sync/hub/store/postgresql/pg_schema.h"

namespace gocua::pg {

class PgTxn final : public hub_internal::HubTxn {
 public:
  PgTxn(Conn& c, const Clock& clock, const HubIds& ids) : c_(c), clock_(clock), ids_(ids) {}

  // Reads the hub's clock. REQUIRES: first, right after the transaction began.
  Status Start();

  int64_t NowMs() override { return clock_.NowMs(); }
  int64_t StampAfter(int64_t ms) override;
  Result<int64_t> OriginMaxSeq(const std::string& origin) override;
  Status SetOriginMaxSeq(const std::string& origin, int64_t max_seq) override;
  Result<std::optional<hub_internal::LogEntry>> LoggedOp(const std::string& origin,
                                                         int64_t seq) override;
  Result<hub_internal::LoggedChange> FindLogged(const std::string& type, const std::string& id,
                                                const std::string& field,
                                                const Stamp& stamp) override;
  Status AppendLog(hub_internal::LogEntry&& e) override;
  Result<std::string_view> ScopeOf(std::string_view type, std::string_view id,
                                   bool* found) override;
  Status SetScope(const std::string& type, const std::string& id,
                  const std::string& commune) override;
  Result<StoredRow> PeekRecord(const RecordDef& def, const std::string& id) override;
  Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op) override;
  Result<MergeDecision> Merge(const RemoteOp& op, nlohmann::json* current_value,
                              Stamp* current_stamp) override;
  Status WriteOwn(const char* type, const std::string& id, const nlohmann::json& fields,
                  const std::string& scope) override;
  Status TouchDevice(const std::string& device_id, int64_t now) override;

  // Writes out what is buffered and publishes the log. REQUIRES: the last step before COMMIT.
  Status Finish();

 private:
  Status Hold(const RecordDef& def, const std::string& id);
  Status FlushHeld();
  void Observe(int64_t hlc) { hlc_ = std::max(hlc_, hlc); }
  int64_t NextHlc();

  Conn& c_;
  const Clock& clock_;
  const HubIds& ids_;
  // The held record: a run of ops on one record reads and writes it once.
  const RecordDef* held_def_ = nullptr;
  std::string held_id_;
  StoredRow held_;
  bool held_dirty_ = false;
  std::vector<hub_internal::LogEntry> log_;              // published by Finish
  std::unordered_map<std::string, std::string> scopes_;  // "type\x1fid" → commune, this txn's
  std::string scope_view_;                               // what ScopeOf's last answer views
  int64_t hlc_ = 0;                                      // the hub's clock in this txn
  bool hlc_dirty_ = false;                               // a hub stamp was made
  int64_t own_seq_ = -1;                                 // the hub's last own op seq, -1 unread
};

}  // namespace gocua::pg
