// The lean scope table of hub schema 13 (hub_internal.h ScopeOf, SetScope; hub_schema.h):
// hub_scopes(type, id, commune) WITHOUT ROWID, the record type and the commune as hub_ids
// numbers and a record id that is a canonical UUID as its 16 bytes (any other id as its text).
// The view hub_scope shows it as the table of before (record_type, record_id, commune_id, all
// text) for people, `gocua-hub migrate` and tests. No triggers (a hub file has none: the hub's
// connections run with them off), so plain SQL that writes scopes writes hub_scopes.
#include "storage/core/uuid_bytes.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {
namespace {

// The record id as hub_scopes keeps it (a UUID's bytes packed on the stack: BindBlob copies
// them; a heap string for 16 bytes was an allocation per lookup).
void BindScopeId(Stmt& q, int i, const std::string& id) {
  unsigned char b[16];
  if (PackUuid(id, b))
    q.BindBlob(i, std::string_view(reinterpret_cast<const char*>(b), sizeof b));
  else
    BindStatic(q, i, id);
}

// The view. The text of a stored id: a blob is a UUID's 16 bytes.
constexpr char kScopeView[] = R"SQL(
CREATE VIEW hub_scope AS
  SELECT t.text AS record_type,
    CASE WHEN typeof(s.id) = 'blob' THEN lower(substr(hex(s.id), 1, 8) || '-' ||
      substr(hex(s.id), 9, 4) || '-' || substr(hex(s.id), 13, 4) || '-' ||
      substr(hex(s.id), 17, 4) || '-' || substr(hex(s.id), 21, 12)) ELSE s.id END AS record_id,
    c.text AS commune_id
  FROM hub_scopes s JOIN hub_ids t ON t.id = s.type JOIN hub_ids c ON c.id = s.commune;
)SQL";

}  // namespace

Status LeanScopes(Database::Impl& d) {
  if (Status s = d.Exec(R"SQL(
CREATE TABLE hub_scopes(type INTEGER NOT NULL, id NOT NULL, commune INTEGER NOT NULL,
  PRIMARY KEY(type, id)) WITHOUT ROWID;
INSERT OR IGNORE INTO hub_ids(text) SELECT record_type FROM hub_scope
  UNION SELECT commune_id FROM hub_scope;
)SQL");
      !s)
    return s;
  {
    Status st;
    auto q = d.Prepare(
        "SELECT t.id, s.record_id, c.id FROM hub_scope s JOIN hub_ids t ON t.text = s.record_type "
        "JOIN hub_ids c ON c.text = s.commune_id",
        &st);
    if (!q) return st;
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      auto add = d.Prepare("INSERT INTO hub_scopes(type, id, commune) VALUES(?, ?, ?)", &st);
      if (!add) return st;
      const std::string id = q->Text(1);
      add->Bind(1, q->Int(0)).Bind(3, q->Int(2));
      BindScopeId(*add, 2, id);
      if (const int done = add->Step(); done != SQLITE_DONE) return d.Error("hub scopes", done);
    }
    if (rc != SQLITE_DONE) return d.Error("hub scopes", rc);
  }
  if (Status s = d.Exec("DROP TABLE hub_scope"); !s) return s;
  return d.Exec(kScopeView);
}

Result<std::string> ScopeOf(Database::Impl& d, const std::string& type, const std::string& id,
                            bool* found) {
  Status st;
  static const std::string kFind =
      "SELECT c.text FROM hub_scopes s JOIN hub_ids c ON c.id = s.commune "
      "WHERE s.type = (SELECT id FROM hub_ids WHERE text = ?) AND s.id = ?";
  auto q = d.Prepare(kFind, &st);
  if (!q) return st;
  BindStatic(*q, 1, type);
  BindScopeId(*q, 2, id);
  int rc = q->Step();
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc != SQLITE_DONE) return d.Error("scope", rc);
  return std::string();
}

Result<int64_t> ScopeIdOf(Database::Impl& d, int64_t type, const std::string& id, bool* found) {
  Status st;
  static const std::string kFind = "SELECT commune FROM hub_scopes WHERE type = ? AND id = ?";
  auto q = d.Prepare(kFind, &st);
  if (!q) return st;
  q->Bind(1, type);
  BindScopeId(*q, 2, id);
  const int rc = q->Step();
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW) return q->Int(0);
  if (rc != SQLITE_DONE) return d.Error("scope", rc);
  return int64_t{0};
}

Status AddScopeIds(Database::Impl& d, int64_t type, const std::string& id, int64_t commune) {
  Status st;
  static const std::string kAdd =
      "INSERT OR IGNORE INTO hub_scopes(type, id, commune) VALUES(?, ?, ?)";
  auto q = d.Prepare(kAdd, &st);
  if (q) {
    q->Bind(1, type).Bind(3, commune);
    BindScopeId(*q, 2, id);
  }
  return Run(d, std::move(q), st, "scope");
}

Status SetScope(Database::Impl& d, const std::string& type, const std::string& id,
                const std::string& commune, bool replace) {
  Status st;
  if (!replace) {
    // One statement when both texts are numbered already (all but a commune's first record):
    // a row is added, or nothing when it was there (the scope stays) or a text is not
    // numbered yet — then the slow way below, which adds the texts.
    static const std::string kAdd =
        "INSERT OR IGNORE INTO hub_scopes(type, id, commune) SELECT t.id, ?2, c.id "
        "FROM hub_ids t, hub_ids c WHERE t.text = ?1 AND c.text = ?3";
    auto q = d.Prepare(kAdd, &st);
    if (!q) return st;
    BindStatic(*q, 1, type);
    BindScopeId(*q, 2, id);
    BindStatic(*q, 3, commune);
    if (const int rc = q->Step(); rc != SQLITE_DONE) return d.Error("scope", rc);
    if (sqlite3_changes(d.db) > 0) return Status::Ok();
  }
  auto t = TextId(d, type, nullptr);
  if (!t) return t.error();
  auto c = TextId(d, commune, nullptr);
  if (!c) return c.error();
  static const std::string kAddIds =
      "INSERT OR IGNORE INTO hub_scopes(type, id, commune) VALUES(?, ?, ?)";
  static const std::string kReplace =
      "INSERT INTO hub_scopes(type, id, commune) VALUES(?, ?, ?) "
      "ON CONFLICT(type, id) DO UPDATE SET commune = excluded.commune";
  auto q = d.Prepare(replace ? kReplace : kAddIds, &st);
  if (q) {
    q->Bind(1, *t).Bind(3, *c);
    BindScopeId(*q, 2, id);
  }
  return Run(d, std::move(q), st, "scope");
}

}  // namespace gocua::hub_internal
