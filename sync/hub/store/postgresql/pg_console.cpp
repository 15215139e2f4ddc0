// The PostgreSQL hub store's side of the province's web console (sync/hub/console/): accounts,
// sessions, the audit log, settings (the tables of pg_schema.cpp's step 2), and the reads and
// renames its pages need (sync/hub/store/hub_store.h). The rules are the SQLite store's
// (sqlite/hub_console.cpp); renames are the hub's own ops through PgTxn::WriteOwn.
#include "storage/core/text.h"
#include "sync/hub/store/postgresql/pg_records.h"
#include "sync/hub/store/postgresql/pg_store.h"

namespace gocua::pg {

namespace {

ConsoleAdmin AdminAt(const Rows& r) {
  return {r.Text(0, 0), r.Text(0, 1), r.Int(0, 2), r.Int(0, 3)};
}

// The account `name`, kNotFound if there is none. REQUIRES: inside a transaction.
Result<ConsoleAdmin> ReadAdmin(Conn& c, const std::string& name, bool for_update) {
  auto r = c.Query(std::string("SELECT name, password_hash, failed, locked_until FROM "
                               "console_admins WHERE name = $1") +
                       (for_update ? " FOR UPDATE" : ""),
                   {name}, "console account");
  if (!r) return r.error();
  if (r->empty()) return NotFound("Không có tài khoản " + name + " — no such account");
  return AdminAt(*r);
}

}  // namespace

Status PgHubStore::AddConsoleAdmin(const std::string& name, const std::string& password_hash) {
  if (FoldForSearch(name).empty())
    return InvalidInput("Cần tên tài khoản — an account name is required");
  return Write([&](PgTxn&) -> Status {
    int64_t n = 0;
    if (Status s = c_->Exec(
            "INSERT INTO console_admins(name, password_hash, created_at) VALUES($1, $2, $3) "
            "ON CONFLICT (name) DO NOTHING",
            {name, password_hash, Int(clock_.NowMs())}, "console account", &n);
        !s)
      return s;
    if (n == 0) return {ErrorCode::kConflict, "Tài khoản " + name + " đã có — account exists"};
    return Status::Ok();
  });
}

Result<ConsoleAdmin> PgHubStore::FindConsoleAdmin(const std::string& name) {
  ConsoleAdmin out;
  Status st = Read([&]() -> Status {
    auto a = ReadAdmin(*c_, name, false);
    if (!a) return a.error();
    out = *a;
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<ConsoleAdmin> PgHubStore::NoteFailedSignIn(const std::string& name, int max_failures,
                                                  int64_t lock_ms) {
  ConsoleAdmin out;
  // Read and written in one SERIALIZABLE transaction (the row locked too): failures counted by
  // several hub processes at once all count; a refused transaction starts again from the read.
  Status st = Write([&](PgTxn&) -> Status {
    auto a = ReadAdmin(*c_, name, true);
    if (!a) return a.error();
    out = *a;
    ++out.failed;
    if (out.failed >= max_failures) {
      out.failed = 0;
      out.locked_until = clock_.NowMs() + lock_ms;
    }
    return c_->Exec("UPDATE console_admins SET failed = $1, locked_until = $2 WHERE name = $3",
                    {Int(out.failed), Int(out.locked_until), name}, "console sign-in");
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::NoteSignedIn(const std::string& name) {
  return Write([&](PgTxn&) {
    return c_->Exec("UPDATE console_admins SET failed = 0 WHERE name = $1", {name}, "sign-in");
  });
}

Status PgHubStore::CreateConsoleSession(const ConsoleSession& session) {
  return Write([&](PgTxn&) {
    return c_->Exec(
        "INSERT INTO console_sessions(id_hash, admin, csrf, created_at, last_seen) "
        "VALUES($1, $2, $3, $4, $5)",
        {session.id_hash, session.admin, session.csrf, Int(session.created_at),
         Int(session.last_seen)},
        "console session");
  });
}

Result<ConsoleSession> PgHubStore::FindConsoleSession(const std::string& id_hash) {
  ConsoleSession out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT id_hash, admin, csrf, created_at, last_seen FROM console_sessions "
        "WHERE id_hash = $1",
        {id_hash}, "console session");
    if (!r) return r.error();
    if (r->empty()) return NotFound("no such session");
    out = {r->Text(0, 0), r->Text(0, 1), r->Text(0, 2), r->Int(0, 3), r->Int(0, 4)};
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::TouchConsoleSession(const std::string& id_hash) {
  return Write([&](PgTxn&) {
    return c_->Exec("UPDATE console_sessions SET last_seen = $1 WHERE id_hash = $2",
                    {Int(clock_.NowMs()), id_hash}, "console session");
  });
}

Status PgHubStore::DeleteConsoleSession(const std::string& id_hash) {
  return Write([&](PgTxn&) {
    return c_->Exec("DELETE FROM console_sessions WHERE id_hash = $1", {id_hash},
                    "console session");
  });
}

Status PgHubStore::AppendAudit(const AuditEntry& e) {
  return Write([&](PgTxn&) {
    return c_->Exec(
        "INSERT INTO console_audit(at, admin, action, detail, remote) VALUES($1, $2, $3, $4, $5)",
        {Int(e.at), e.admin, e.action, e.detail, e.remote}, "audit log");
  });
}

Result<std::vector<AuditEntry>> PgHubStore::AuditLog(int limit) {
  std::vector<AuditEntry> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT at, admin, action, detail, remote FROM console_audit ORDER BY id DESC LIMIT $1",
        {Int(limit)}, "audit log");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Int(i, 0), r->Text(i, 1), r->Text(i, 2), r->Text(i, 3), r->Text(i, 4)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::string> PgHubStore::ConsoleSetting(const std::string& key) {
  std::string out;
  Status st = Read([&]() -> Status {
    auto r =
        c_->Query("SELECT value FROM console_settings WHERE key = $1", {key}, "console setting");
    if (!r) return r.error();
    out = r->empty() ? std::string() : r->Text(0, 0);
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::SetConsoleSetting(const std::string& key, const std::string& value) {
  return Write([&](PgTxn&) {
    return c_->Exec(
        "INSERT INTO console_settings(key, value) VALUES($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        {key, value}, "console setting");
  });
}

Result<std::vector<Village>> PgHubStore::Villages(const std::string& commune_id) {
  std::vector<Village> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT id, commune_id, name FROM villages WHERE commune_id = $1 AND deleted = 0 "
        "ORDER BY name COLLATE \"C\", id COLLATE \"C\"",
        {commune_id}, "villages");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0), r->Text(i, 1), r->Text(i, 2)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::vector<Member>> PgHubStore::CommuneMembers(const std::string& commune_id) {
  std::vector<Member> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT id, commune_id, name, role FROM members WHERE commune_id = $1 AND deleted = 0 "
        "ORDER BY name COLLATE \"C\", id COLLATE \"C\"",
        {commune_id}, "members");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0),
                     r->Text(i, 1),
                     r->Text(i, 2),
                     r->View(i, 3) == "leader" ? Role::kLeader : Role::kMember,
                     {}});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::Rename(const char* type, const std::string& id, const std::string& name,
                          const char* what) {
  auto nfc = ToNfc(name);
  if (!nfc || FoldForSearch(*nfc).empty())
    return InvalidInput("Cần một tên (UTF-8) — a name is required");
  const RecordDef* def = FindRecordDef(type);
  return Write([&](PgTxn& txn) -> Status {
    auto row = ReadRecord(*c_, *def, id);
    if (!row) return row.error();
    if (!row->exists || row->values["deleted"] != 0) return NotFound(std::string(what) + " " + id);
    bool found = false;
    auto scope = txn.ScopeOf(type, id, &found);
    if (!scope) return scope.error();
    const std::string commune(*scope);
    return txn.WriteOwn(type, id, {{"name", *nfc}}, commune);
  });
}

Status PgHubStore::RenameCommune(const std::string& commune_id, const std::string& name) {
  return Rename("commune", commune_id, name, "Không có xã — no such commune");
}

Status PgHubStore::RenameVillage(const std::string& village_id, const std::string& name) {
  return Rename("village", village_id, name, "Không có thôn — no such village");
}

Result<std::vector<std::pair<std::string, ConflictRecord>>> PgHubStore::OpenConflicts() {
  std::vector<std::pair<std::string, ConflictRecord>> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query(
        "SELECT coalesce(s.commune_id, ''), c.id, c.record_type, c.record_id, c.field, "
        "c.value_a, c.value_b, c.device_a, c.device_b, c.hlc_a, c.hlc_b, c.winner, c.status "
        "FROM conflicts c LEFT JOIN hub_scope s ON s.record_type = 'conflict' AND "
        "s.record_id = c.id WHERE c.deleted = 0 AND c.status = 'open' "
        "ORDER BY coalesce(s.commune_id, '') COLLATE \"C\", c.id COLLATE \"C\"",
        {}, "conflicts");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back({r->Text(i, 0),
                     {r->Text(i, 1), r->Text(i, 2), r->Text(i, 3), r->Text(i, 4), r->Text(i, 5),
                      r->Text(i, 6), r->Text(i, 7), r->Text(i, 8), r->Int(i, 9), r->Int(i, 10),
                      r->Text(i, 11), r->Text(i, 12)}});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Result<std::vector<CommuneCoverage>> PgHubStore::CoverageByCommune(int born_from, int born_to) {
  std::vector<CommuneCoverage> out;
  // The SQLite store's query (sqlite/hub_console.cpp): one pass per figure, grouped by commune
  // through the household's village; a returned visit (cần sửa) does not count.
  static const char kSql[] = R"SQL(
WITH hh AS (
  SELECT h.id, v.commune_id, h.working_age_count AS wa FROM households h
  JOIN villages v ON v.id = h.village_id WHERE h.deleted = 0 AND v.deleted = 0),
reg AS (SELECT commune_id, count(*) AS n, sum(wa) AS wa FROM hh GROUP BY commune_id),
vis AS (
  SELECT hh.commune_id, count(DISTINCT vi.household_id) AS n FROM visits vi
  JOIN hh ON hh.id = vi.household_id
  WHERE vi.deleted = 0 AND coalesce(vi.status, '') <> 'returned' GROUP BY hh.commune_id),
onl AS (
  SELECT hh.commune_id, count(*) AS n FROM persons p JOIN hh ON hh.id = p.household_id
  WHERE p.deleted = 0 AND p.skill_public_services = 'proficient'
    AND p.birth_year BETWEEN $1 AND $2 GROUP BY hh.commune_id)
SELECT c.id, c.name, coalesce(reg.n, 0), coalesce(vis.n, 0), coalesce(reg.wa, 0),
  coalesce(onl.n, 0)
FROM communes c LEFT JOIN reg ON reg.commune_id = c.id LEFT JOIN vis ON vis.commune_id = c.id
LEFT JOIN onl ON onl.commune_id = c.id WHERE c.deleted = 0
ORDER BY c.name COLLATE "C", c.id COLLATE "C"
)SQL";
  Status st = Read([&]() -> Status {
    auto r = c_->Query(kSql, {Int(born_from), Int(born_to)}, "coverage");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i)
      out.push_back(
          {r->Text(i, 0), r->Text(i, 1), r->Int(i, 2), r->Int(i, 3), r->Int(i, 4), r->Int(i, 5)});
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

// --- Accounts and sessions kept tidy (docs/console.md, "Accounts") ---

Result<std::vector<std::string>> PgHubStore::ConsoleAdmins() {
  std::vector<std::string> out;
  Status st = Read([&]() -> Status {
    auto r = c_->Query("SELECT name FROM console_admins ORDER BY name COLLATE \"C\"", {},
                       "console accounts");
    if (!r) return r.error();
    out.clear();
    for (int i = 0; i < r->size(); ++i) out.push_back(r->Text(i, 0));
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

Status PgHubStore::SetConsolePassword(const std::string& name, const std::string& password_hash,
                                      const std::string& keep_session_hash) {
  return Write([&](PgTxn&) -> Status {
    if (auto a = ReadAdmin(*c_, name, true); !a) return a.error();
    if (Status s = c_->Exec("UPDATE console_admins SET password_hash = $1 WHERE name = $2",
                            {password_hash, name}, "console password");
        !s)
      return s;
    return c_->Exec("DELETE FROM console_sessions WHERE admin = $1 AND id_hash <> $2",
                    {name, keep_session_hash}, "console session");
  });
}

Status PgHubStore::RemoveConsoleAdmin(const std::string& name) {
  return Write([&](PgTxn&) -> Status {
    if (auto a = ReadAdmin(*c_, name, true); !a) return a.error();
    auto n = c_->Query("SELECT count(*) FROM console_admins", {}, "console accounts");
    if (!n) return n.error();
    if (n->Int(0, 0) <= 1)
      return {ErrorCode::kConflict,
              "Không xoá được tài khoản cuối cùng — the last account cannot be removed"};
    if (Status s =
            c_->Exec("DELETE FROM console_sessions WHERE admin = $1", {name}, "console session");
        !s)
      return s;
    return c_->Exec("DELETE FROM console_admins WHERE name = $1", {name}, "console account");
  });
}

Result<int64_t> PgHubStore::SweepConsoleSessions(int64_t idle_before, int64_t created_before) {
  int64_t swept = 0;
  Status st = Write([&](PgTxn&) {
    return c_->Exec("DELETE FROM console_sessions WHERE last_seen < $1 OR created_at < $2",
                    {Int(idle_before), Int(created_before)}, "console sessions", &swept);
  });
  if (!st) return st;
  return swept;
}

}  // namespace gocua::pg
