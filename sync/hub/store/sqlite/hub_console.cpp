// The SQLite hub store's side of the province's web console (sync/hub/console/): accounts,
// sessions, the audit log, settings (tables of hub schema 8), and the reads and renames its
// pages need (sync/hub/store/hub_store.h).
#include <algorithm>

#include "storage/core/record_store.h"
#include "storage/core/text.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
using namespace hub_internal;

namespace {

// Runs `sql` with text parameters `args`, for statements that return no rows.
Status Exec(Database::Impl& d, const char* sql, const std::vector<std::string>& args,
            const char* what) {
  Status s;
  auto q = d.Prepare(sql, &s);
  if (q)
    for (size_t i = 0; i < args.size(); ++i) q->Bind(static_cast<int>(i) + 1, args[i]);
  return Run(d, std::move(q), s, what);
}

Result<ConsoleAdmin> ReadAdmin(Database::Impl& d, const std::string& name) {
  Status s;
  auto q = d.Prepare(
      "SELECT name, password_hash, failed, locked_until FROM console_admins WHERE name = ?", &s);
  if (!q) return s;
  q->Bind(1, name);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return NotFound("Không có tài khoản " + name + " — no such account");
  if (rc != SQLITE_ROW) return d.Error("console account", rc);
  return ConsoleAdmin{q->Text(0), q->Text(1), q->Int(2), q->Int(3)};
}

// A live record of `type` with `id`, else kNotFound saying `what` in both languages.
Status CheckLive(Database::Impl& d, const char* type, const std::string& id, const char* what) {
  auto row = ReadRow(d, *FindRecordDef(type), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0) return NotFound(std::string(what) + " " + id);
  return Status::Ok();
}

Status Rename(Database::Impl& d, const char* type, const std::string& id, const std::string& name,
              const char* what) {
  auto nfc = ToNfc(name);
  if (!nfc || FoldForSearch(*nfc).empty())
    return InvalidInput("Cần một tên (UTF-8) — a name is required");
  if (Status s = CheckLive(d, type, id, what); !s) return s;
  bool found = false;
  auto scope = ScopeOf(d, type, id, &found);
  if (!scope) return scope.error();
  return Transact(d, [&] { return HubWrite(d, type, id, {{"name", *nfc}}, *scope); });
}

}  // namespace

Status SqliteHubStore::AddConsoleAdmin(const std::string& name, const std::string& password_hash) {
  Database::Impl& d = db_->impl();
  if (FoldForSearch(name).empty())
    return InvalidInput("Cần tên tài khoản — an account name is required");
  return Transact(d, [&]() -> Status {
    auto existing = ReadAdmin(d, name);
    if (existing) return {ErrorCode::kConflict, "Tài khoản " + name + " đã có — account exists"};
    if (existing.error().code() != ErrorCode::kNotFound) return existing.error();
    Status s;
    auto q = d.Prepare(
        "INSERT INTO console_admins(name, password_hash, created_at) VALUES(?, ?, ?)", &s);
    if (q) q->Bind(1, name).Bind(2, password_hash).Bind(3, d.clock->NowMs());
    return Run(d, std::move(q), s, "console account");
  });
}

Result<ConsoleAdmin> SqliteHubStore::FindConsoleAdmin(const std::string& name) {
  return ReadAdmin(db_->impl(), name);
}

Result<ConsoleAdmin> SqliteHubStore::NoteFailedSignIn(const std::string& name, int max_failures,
                                                      int64_t lock_ms) {
  Database::Impl& d = db_->impl();
  ConsoleAdmin out;
  Status st = Transact(d, [&]() -> Status {
    auto a = ReadAdmin(d, name);
    if (!a) return a.error();
    out = *a;
    ++out.failed;
    if (out.failed >= max_failures) {
      out.failed = 0;
      out.locked_until = d.clock->NowMs() + lock_ms;
    }
    Status s;
    auto q = d.Prepare("UPDATE console_admins SET failed = ?, locked_until = ? WHERE name = ?", &s);
    if (q) q->Bind(1, out.failed).Bind(2, out.locked_until).Bind(3, name);
    return Run(d, std::move(q), s, "console sign-in");
  });
  if (!st) return st;
  return out;
}

Status SqliteHubStore::NoteSignedIn(const std::string& name) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&] {
    return Exec(d, "UPDATE console_admins SET failed = 0 WHERE name = ?", {name}, "sign-in");
  });
}

Status SqliteHubStore::CreateConsoleSession(const ConsoleSession& session) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare(
        "INSERT INTO console_sessions(id_hash, admin, csrf, created_at, last_seen) "
        "VALUES(?, ?, ?, ?, ?)",
        &s);
    if (q)
      q->Bind(1, session.id_hash)
          .Bind(2, session.admin)
          .Bind(3, session.csrf)
          .Bind(4, session.created_at)
          .Bind(5, session.last_seen);
    return Run(d, std::move(q), s, "console session");
  });
}

Result<ConsoleSession> SqliteHubStore::FindConsoleSession(const std::string& id_hash) {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare(
      "SELECT id_hash, admin, csrf, created_at, last_seen FROM console_sessions "
      "WHERE id_hash = ?",
      &s);
  if (!q) return s;
  q->Bind(1, id_hash);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return NotFound("no such session");
  if (rc != SQLITE_ROW) return d.Error("console session", rc);
  return ConsoleSession{q->Text(0), q->Text(1), q->Text(2), q->Int(3), q->Int(4)};
}

Status SqliteHubStore::TouchConsoleSession(const std::string& id_hash) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&] {
    return Exec(d, "UPDATE console_sessions SET last_seen = ? WHERE id_hash = ?",
                {std::to_string(d.clock->NowMs()), id_hash}, "console session");
  });
}

Status SqliteHubStore::DeleteConsoleSession(const std::string& id_hash) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&] {
    return Exec(d, "DELETE FROM console_sessions WHERE id_hash = ?", {id_hash}, "console session");
  });
}

Status SqliteHubStore::AppendAudit(const AuditEntry& e) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare(
        "INSERT INTO console_audit(at, admin, action, detail, remote) VALUES(?, ?, ?, ?, ?)", &s);
    if (q) q->Bind(1, e.at).Bind(2, e.admin).Bind(3, e.action).Bind(4, e.detail).Bind(5, e.remote);
    return Run(d, std::move(q), s, "audit log");
  });
}

Result<std::vector<AuditEntry>> SqliteHubStore::AuditLog(int limit) {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare(
      "SELECT at, admin, action, detail, remote FROM console_audit ORDER BY id DESC LIMIT ?", &s);
  if (!q) return s;
  q->Bind(1, limit);
  std::vector<AuditEntry> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Int(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4)});
  if (rc != SQLITE_DONE) return d.Error("audit log", rc);
  return out;
}

Result<std::string> SqliteHubStore::ConsoleSetting(const std::string& key) {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare("SELECT value FROM console_settings WHERE key = ?", &s);
  if (!q) return s;
  q->Bind(1, key);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return d.Error("console setting", rc);
  return q->Text(0);
}

Status SqliteHubStore::SetConsoleSetting(const std::string& key, const std::string& value) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&] {
    return Exec(d, "INSERT OR REPLACE INTO console_settings(key, value) VALUES(?, ?)", {key, value},
                "console setting");
  });
}

Result<std::vector<Village>> SqliteHubStore::Villages(const std::string& commune_id) {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare(
      "SELECT id, commune_id, name FROM villages WHERE commune_id = ? AND deleted = 0 "
      "ORDER BY name, id",
      &s);
  if (!q) return s;
  q->Bind(1, commune_id);
  std::vector<Village> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) out.push_back({q->Text(0), q->Text(1), q->Text(2)});
  if (rc != SQLITE_DONE) return d.Error("villages", rc);
  return out;
}

Result<std::vector<Member>> SqliteHubStore::CommuneMembers(const std::string& commune_id) {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare(
      "SELECT id, commune_id, name, role FROM members WHERE commune_id = ? AND deleted = 0 "
      "ORDER BY name, id",
      &s);
  if (!q) return s;
  q->Bind(1, commune_id);
  std::vector<Member> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0),
                   q->Text(1),
                   q->Text(2),
                   q->Text(3) == "leader" ? Role::kLeader : Role::kMember,
                   {}});
  if (rc != SQLITE_DONE) return d.Error("members", rc);
  return out;
}

Status SqliteHubStore::RenameCommune(const std::string& commune_id, const std::string& name) {
  return Rename(db_->impl(), "commune", commune_id, name, "Không có xã — no such commune");
}

Status SqliteHubStore::RenameVillage(const std::string& village_id, const std::string& name) {
  return Rename(db_->impl(), "village", village_id, name, "Không có thôn — no such village");
}

Result<std::vector<std::pair<std::string, ConflictRecord>>> SqliteHubStore::OpenConflicts() {
  Database::Impl& d = db_->impl();
  Status st;
  // The scope of each (hub_scopes keeps a UUID id as bytes, which SQL cannot join to text).
  auto q = d.Prepare(
      "SELECT c.id, c.record_type, c.record_id, c.field, c.value_a, c.value_b, c.device_a, "
      "c.device_b, c.hlc_a, c.hlc_b, c.winner, c.status FROM conflicts c "
      "WHERE c.deleted = 0 AND c.status = 'open' ORDER BY c.id",
      &st);
  if (!q) return st;
  std::vector<std::pair<std::string, ConflictRecord>> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({std::string(),
                   {q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5),
                    q->Text(6), q->Text(7), q->Int(8), q->Int(9), q->Text(10), q->Text(11)}});
  if (rc != SQLITE_DONE) return d.Error("conflicts", rc);
  q.reset();
  for (auto& [commune, c] : out) {
    bool found = false;
    auto scope = ScopeOf(d, "conflict", c.id, &found);
    if (!scope) return scope.error();
    commune = std::move(*scope);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

Result<std::vector<CommuneCoverage>> SqliteHubStore::CoverageByCommune(int born_from, int born_to) {
  Database::Impl& d = db_->impl();
  Status st;
  // One pass per figure, grouped by commune through the household's village. A visit that was
  // returned (cần sửa) does not count as a visit, as on the leaders' dashboard.
  auto q = d.Prepare(R"SQL(
WITH hh AS (
  SELECT h.id, v.commune_id, h.working_age_count AS wa FROM households h
  JOIN villages v ON v.id = h.village_id WHERE h.deleted = 0 AND v.deleted = 0),
reg AS (SELECT commune_id, count(*) AS n, total(wa) AS wa FROM hh GROUP BY commune_id),
vis AS (
  SELECT hh.commune_id, count(DISTINCT vi.household_id) AS n FROM visits vi
  JOIN hh ON hh.id = vi.household_id
  WHERE vi.deleted = 0 AND coalesce(vi.status, '') <> 'returned' GROUP BY hh.commune_id),
onl AS (
  SELECT hh.commune_id, count(*) AS n FROM persons p JOIN hh ON hh.id = p.household_id
  WHERE p.deleted = 0 AND p.skill_public_services = 'proficient'
    AND p.birth_year BETWEEN ?1 AND ?2 GROUP BY hh.commune_id)
SELECT c.id, c.name, coalesce(reg.n, 0), coalesce(vis.n, 0), coalesce(reg.wa, 0),
  coalesce(onl.n, 0)
FROM communes c LEFT JOIN reg ON reg.commune_id = c.id LEFT JOIN vis ON vis.commune_id = c.id
LEFT JOIN onl ON onl.commune_id = c.id WHERE c.deleted = 0 ORDER BY c.name, c.id
)SQL",
                     &st);
  if (!q) return st;
  q->Bind(1, born_from).Bind(2, born_to);
  std::vector<CommuneCoverage> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0), q->Text(1), q->Int(2), q->Int(3),
                   static_cast<int64_t>(sqlite3_column_double(q->raw(), 4)), q->Int(5)});
  if (rc != SQLITE_DONE) return d.Error("coverage", rc);
  return out;
}

// --- Accounts and sessions kept tidy (docs/console.md, "Accounts") ---

Result<std::vector<std::string>> SqliteHubStore::ConsoleAdmins() {
  Database::Impl& d = db_->impl();
  Status s;
  auto q = d.Prepare("SELECT name FROM console_admins ORDER BY name", &s);
  if (!q) return s;
  std::vector<std::string> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) out.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return d.Error("console accounts", rc);
  return out;
}

Status SqliteHubStore::SetConsolePassword(const std::string& name, const std::string& password_hash,
                                          const std::string& keep_session_hash) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    if (auto a = ReadAdmin(d, name); !a) return a.error();
    if (Status s = Exec(d, "UPDATE console_admins SET password_hash = ? WHERE name = ?",
                        {password_hash, name}, "console password");
        !s)
      return s;
    return Exec(d, "DELETE FROM console_sessions WHERE admin = ? AND id_hash <> ?",
                {name, keep_session_hash}, "console session");
  });
}

Status SqliteHubStore::RemoveConsoleAdmin(const std::string& name) {
  Database::Impl& d = db_->impl();
  return Transact(d, [&]() -> Status {
    if (auto a = ReadAdmin(d, name); !a) return a.error();
    auto all = ConsoleAdmins();
    if (!all) return all.error();
    if (all->size() <= 1)
      return {ErrorCode::kConflict,
              "Không xoá được tài khoản cuối cùng — the last account cannot be removed"};
    if (Status s =
            Exec(d, "DELETE FROM console_sessions WHERE admin = ?", {name}, "console session");
        !s)
      return s;
    return Exec(d, "DELETE FROM console_admins WHERE name = ?", {name}, "console account");
  });
}

Result<int64_t> SqliteHubStore::SweepConsoleSessions(int64_t idle_before, int64_t created_before) {
  Database::Impl& d = db_->impl();
  int64_t swept = 0;
  Status st = Transact(d, [&]() -> Status {
    Status s;
    auto q = d.Prepare("DELETE FROM console_sessions WHERE last_seen < ? OR created_at < ?", &s);
    if (q) q->Bind(1, idle_before).Bind(2, created_before);
    if (Status r = Run(d, std::move(q), s, "console sessions"); !r) return r;
    swept = sqlite3_changes(d.db);
    return Status::Ok();
  });
  if (!st) return st;
  return swept;
}

}  // namespace gocua
