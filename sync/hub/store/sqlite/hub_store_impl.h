#pragma once
// The SQLite hub store behind OpenSqliteHubStore (sqlite_hub_store.h). Internal to
// sync/hub/store/sqlite/ and to tests that look inside it (its scope cache, its log).
#include <memory>
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "sync/hub/store/hub_store.h"

namespace gocua {

namespace hub_internal {
class ScopeCache;
}

class SqliteHubStore final : public HubStore {
 public:
  explicit SqliteHubStore(std::unique_ptr<Database> db);
  ~SqliteHubStore() override;

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
  // The pull's (hub_pull.cpp).
  Result<HubPullPage> Pull(const HubDevice& device, const std::string& cursor, int limit) override;
  Result<HubPullEnd> PullInto(const HubDevice& device, const std::string& cursor, int limit,
                              size_t max_bytes, PullSink& sink) override;
  Status NoteContact(const std::string& device_id) override;
  // The console's (hub_console.cpp).
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
  Status Ping() override;  // hub_ping.cpp

  // The connection, for tests that look inside.
  Database& records() { return *db_; }

 private:
  // The scope cache for a push (hub_internal.h), kept from the pushes before while nothing but
  // this store wrote the file: `data_version` (PRAGMA data_version, read inside the push's
  // transaction) differs once another connection committed, and the cache starts empty. A
  // push that fails drops it (it may hold scopes its rollback undid). Scopes are only ever
  // added (SetScope is INSERT OR IGNORE), so what this store writes outside a push never makes
  // a kept scope wrong.
  hub_internal::ScopeCache& KeptScopes(int64_t data_version);
  static constexpr size_t kMaxKeptScopes = 1 << 18;  // records (~50 MB), then it starts again

  std::unique_ptr<Database> db_;
  std::unique_ptr<hub_internal::ScopeCache> scopes_;
  int64_t scopes_version_ = 0;
};

}  // namespace gocua
