#pragma once
// The PostgreSQL hub store behind OpenPostgresHubStore (pg_hub_store.h). Internal to
// sync/hub/store/postgresql/.
//
// A pool of connections (pg_pool.h): calls from several threads run at once, each in a
// transaction on a connection of its own. Every write runs in a SERIALIZABLE transaction,
// retried whole (a fresh copy of a push's ops) when PostgreSQL refuses it for a concurrent one;
// reads run in one REPEATABLE READ snapshot. It keeps nothing between calls that another call
// or process could make wrong: only the hub's ids, which never change once made.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/postgresql/pg_conn.h"
#include "sync/hub/store/postgresql/pg_pool.h"
#include "sync/hub/store/postgresql/pg_schema.h"
#include "sync/hub/store/postgresql/pg_txn.h"

namespace gocua::pg {

class PgHubStore final : public HubStore {
 public:
  // `first` is open on `uri` (it migrated the schema); up to `connections` are used.
  PgHubStore(const std::string& uri, int connections, std::unique_ptr<Conn> first,
             const Clock& clock, HubIds ids)
      : pool_(uri, connections, std::move(first)), clock_(clock), ids_(std::move(ids)) {}

  bool ConcurrentCalls() const override { return true; }
  Status Ping() override;

  Result<Commune> CreateCommune(const std::string& province_name,
                                const std::string& commune_name) override;
  Result<std::vector<Commune>> Communes() override;
  Result<Village> AddVillage(const std::string& commune_id, const std::string& name) override;
  Result<Member> AddMember(const std::string& commune_id, const std::string& name, Role role,
                           const std::string& pin) override;
  Result<std::string> IssueEnrollmentCode(const std::string& commune_id, int64_t ttl_ms,
                                          Role role) override;
  Status SetDeviceRole(const std::string& device_id, Role role) override;
  Result<std::vector<HubDevice>> Devices() override;
  Result<std::vector<HubDevice>> CommuneDevices(const std::string& commune_id) override;
  Status RevokeDevice(const std::string& device_id) override;
  Status RenameDevice(const std::string& device_id, const std::string& name) override;
  Status RetireDevice(const std::string& device_id, const std::string& replaced_by) override;
  Result<std::vector<QuarantinedOp>> Quarantined() override;
  Result<std::vector<ConflictRecord>> Conflicts() override;
  Result<std::string> ExportCanonicalJson() override;
  Result<std::pair<HubDevice, std::string>> Enroll(const std::string& code,
                                                   const std::string& device_id,
                                                   const std::string& device_name,
                                                   std::string* code_commune) override;
  Result<HubDevice> Authenticate(const std::string& token) override;
  Result<HubPushResult> Push(const HubDevice& device, PushOps ops) override;
  Result<HubPullPage> Pull(const HubDevice& device, const std::string& cursor, int limit) override;
  Status NoteContact(const std::string& device_id) override;

  // The province's web console (pg_console.cpp).
  Status AddConsoleAdmin(const std::string& name, const std::string& password_hash) override;
  Result<ConsoleAdmin> FindConsoleAdmin(const std::string& name) override;
  Result<ConsoleAdmin> NoteFailedSignIn(const std::string& name, int max_failures,
                                        int64_t lock_ms) override;
  Status NoteSignedIn(const std::string& name) override;
  Result<std::vector<std::string>> ConsoleAdmins() override;
  Status SetConsolePassword(const std::string& name, const std::string& password_hash,
                            const std::string& keep_session_hash) override;
  Status RemoveConsoleAdmin(const std::string& name) override;
  Result<int64_t> SweepConsoleSessions(int64_t idle_before, int64_t created_before) override;
  Status CreateConsoleSession(const ConsoleSession& session) override;
  Result<ConsoleSession> FindConsoleSession(const std::string& id_hash) override;
  Status TouchConsoleSession(const std::string& id_hash) override;
  Status DeleteConsoleSession(const std::string& id_hash) override;
  Status AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> AuditLog(int limit) override;
  Result<std::string> ConsoleSetting(const std::string& key) override;
  Status SetConsoleSetting(const std::string& key, const std::string& value) override;
  Result<std::vector<Village>> Villages(const std::string& commune_id) override;
  Result<std::vector<Member>> CommuneMembers(const std::string& commune_id) override;
  Status RenameCommune(const std::string& commune_id, const std::string& name) override;
  Status RenameVillage(const std::string& village_id, const std::string& name) override;
  Result<VillageMove> MoveVillage(const std::string& village_id,
                                  const std::string& to_commune_id) override;  // *village_move.cpp
  Result<std::vector<std::pair<std::string, ConflictRecord>>> OpenConflicts() override;
  Result<std::vector<CommuneCoverage>> CoverageByCommune(int born_from, int born_to) override;

 private:
  // Runs `body` on a connection of the pool (c_ inside it), in a SERIALIZABLE transaction with a
  // PgTxn, then Finish and COMMIT; again (up to kMaxTries) when PostgreSQL refuses it for a
  // concurrent transaction. `body` must be safe to run again: it starts from its arguments each
  // time. An exception thrown inside is a kInternal error, and the transaction is rolled back.
  Status Write(const std::function<Status(PgTxn&)>& body);
  // Runs `body` on a connection of the pool (c_ inside it), in one read-only snapshot.
  Status Read(const std::function<Status()>& body);
  Result<std::vector<HubDevice>> QueryDevices(const std::string& where, const Params& params);
  Status UpdateDevice(const char* sql, const std::string& value, const std::string& device_id,
                      const char* what);
  Status CheckCommune(const std::string& commune_id);
  // Renames live record `id` of `type` as the hub's own op in its scope; kNotFound saying
  // `what`, kInvalidInput for a name that is empty or not UTF-8.
  Status Rename(const char* type, const std::string& id, const std::string& name, const char* what);

  static constexpr int kMaxTries = 50;

  ConnPool pool_;
  CurrentConn c_;  // the connection of the calling thread's Write or Read
  const Clock& clock_;
  const HubIds ids_;
};

}  // namespace gocua::pg
