// The SQLite hub store's lean log (hub schemas 11 and 12, sqlite/hub_internal.h): ids as
// numbers, a run's ops after the first written short when they repeat what the first says —
// in binary (log_binary.h) when the run fits that form, else in JSON — read back whole, shown
// whole by hub_ops; a file of hub schema 10 is rewritten in place when it opens.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "sync/hub/store/sqlite/hub_schema.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// `s` inside an SQL string literal.
std::string SqlText(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += c;
    if (c == '\'') out += c;
  }
  return out;
}

// Every op of the log as hub_ops shows it, one text line each, in server order.
std::vector<std::string> OpsOf(const std::string& file) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw,
                             "SELECT server_seq, origin_device, seq, record_type, record_id, "
                             "field, value, base_hlc, base_device, hlc, orig_hlc, commune_id, "
                             "served, outcome, reason, pushed_by, received_at, author, seen_hlc, "
                             "seen_device FROM hub_ops ORDER BY server_seq",
                             -1, &q, nullptr) == SQLITE_OK);
  std::vector<std::string> out;
  while (sqlite3_step(q) == SQLITE_ROW) {
    std::string line;
    for (int c = 0; c < 20; ++c) {
      const unsigned char* t = sqlite3_column_text(q, c);
      line += (t ? reinterpret_cast<const char*>(t) : "NULL");
      line += '|';
    }
    out.push_back(line);
  }
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return out;
}

// Ops of JSON `rest` arrays in the whole form (11 items) and the short one (3).
int64_t RestOps(const std::string& file, int items) {
  return Count(file,
               "SELECT count(*) FROM hub_log l, json_each(l.rest) r WHERE typeof(l.rest) = "
               "'text' AND json_array_length(r.value) = " +
                   std::to_string(items));
}

// Ops (after each run's first) of binary `rest` blobs.
int64_t BinaryOps(const std::string& file) {
  return Count(file, "SELECT coalesce(sum(n - 1), 0) FROM hub_log WHERE typeof(rest) = 'blob'");
}

TEST_CASE(
    "Hub log: a visit's ops after the first are written short in binary, an edit's stay whole") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  const std::vector<RemoteOp> pushed = Outbox(*a->db);
  f.Push(*a);
  const std::string mine = " AND l.origin_device = '" + a->db->device_id() + "'";
  // The household and the visit: every op after each run's first is short, in binary.
  CHECK(BinaryOps(file) >= static_cast<int64_t>(pushed.size()) - 2);
  CHECK(Count(file,
              "SELECT count(*) FROM hub_log l WHERE n > 1 AND typeof(rest) <> 'blob'" + mine) == 0);
  // hub_ops shows them whole, as pushed, values as their JSON text.
  const std::vector<std::string> ops = OpsOf(file);
  for (const RemoteOp& op : pushed) {
    CAPTURE(op.field);
    CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE origin_device = '" + op.origin_device +
                          "' AND seq = " + std::to_string(op.seq) + " AND value = '" +
                          SqlText(op.value.dump()) + "'") == 1);
    CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE origin_device = '" + op.origin_device +
                          "' AND seq = " + std::to_string(op.seq) + " AND field = '" + op.field +
                          "' AND hlc = " + std::to_string(op.hlc) +
                          " AND orig_hlc = hlc AND outcome = 'applied' AND author = '" + op.author +
                          "' AND base_hlc = 0 AND base_device = '' AND reason = ''") == 1);
  }

  // An edit of the visit carries its base: written whole, read whole.
  Visit edit = *saved;
  edit.minutes = 45;
  edit.notes = "Hẹn lại tuần sau";
  REQUIRE(Visits(*a->db).Save(edit).ok());
  const std::vector<RemoteOp> edits = Outbox(*a->db);
  REQUIRE(edits.size() == 2);
  REQUIRE(edits[1].base.hlc != 0);
  f.Push(*a);
  CHECK(RestOps(file, 11) == 1);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops WHERE seq = " + std::to_string(edits[1].seq) +
                        " AND origin_device = '" + edits[1].origin_device +
                        "' AND base_hlc = " + std::to_string(edits[1].base.hlc) +
                        " AND base_device = '" + edits[1].base.device + "'") == 1);
  // Another laptop pulls both forms into the same records (pages ending inside runs).
  f.Pull(*b, 3);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
}

// A hub.db of hub schema 10: made here and taken back to 10 (hub_log a table again, with its
// ids as texts, its runs in the whole form, the view and the schema number of 10). Opened by this
// code, it is schema 12 with every run rewritten short (binary where it fits), the same ops,
// and it serves them.
TEST_CASE("HubStore: a hub.db of hub schema 10 upgrades to 12: runs rewritten short, same ops") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  for (const char* head : {"Nguyễn Văn Đức", "Trần Thị Hoa", "Lê Văn Nam"}) {
    Household h = f.AddHousehold(*a, head);
    REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  }
  f.Push(*a);
  const std::vector<std::string> ops = OpsOf(file);
  const int64_t short_ops = BinaryOps(file) + RestOps(file, 3);
  REQUIRE(short_ops > 20);
  const int64_t lean = Count(file, "SELECT sum(length(rest)) FROM hub_log");
  f.hub.reset();

  Exec(file, R"SQL(
CREATE TEMP TABLE whole AS
  SELECT l.server_seq, (SELECT json_group_array(json_array(o.field, json(o.value), o.base_hlc,
      o.base_device, o.hlc, o.orig_hlc, o.outcome, o.reason, o.author, o.seen_hlc,
      o.seen_device)) FROM (SELECT * FROM hub_ops o WHERE o.server_seq > l.server_seq AND
      o.server_seq < l.server_seq + l.n ORDER BY o.server_seq) o) AS rest
  FROM hub_log l WHERE l.n > 1;
CREATE TABLE old_log AS SELECT * FROM hub_log;
DROP VIEW hub_ops;
DROP VIEW hub_log;
DROP TABLE hub_runs;
DROP TABLE hub_ids;
DROP TABLE hub_fields;
DELETE FROM meta WHERE key = 'hub_rest_rewrite';
CREATE TABLE hub_log(
  server_seq INTEGER PRIMARY KEY,
  origin_device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  orig_hlc INTEGER NOT NULL,
  commune_id TEXT NOT NULL,
  served INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  pushed_by TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL DEFAULT 0,
  author TEXT NOT NULL DEFAULT '',
  seen_hlc INTEGER NOT NULL DEFAULT 0,
  seen_device TEXT NOT NULL DEFAULT '',
  n INTEGER NOT NULL DEFAULT 1,
  rest TEXT NOT NULL DEFAULT '[]',
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served = 1;
INSERT INTO hub_log(server_seq, origin_device, seq, record_type, record_id, field, value,
    base_hlc, base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by,
    received_at, author, seen_hlc, seen_device, n, rest)
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device, n, rest FROM old_log;
DROP TABLE old_log;
UPDATE hub_log SET rest = (SELECT rest FROM whole w WHERE w.server_seq = hub_log.server_seq)
  WHERE n > 1;
CREATE VIEW hub_ops AS
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4,
    r.value ->> 5, l.commune_id, l.served, r.value ->> 6, r.value ->> 7, l.pushed_by,
    l.received_at, r.value ->> 8, r.value ->> 9, r.value ->> 10
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1;
UPDATE meta SET value = '10' WHERE key = 'hub_schema';
)SQL");
  REQUIRE(Count(file,
                "SELECT count(*) FROM sqlite_master WHERE name IN ('hub_ids', "
                "'hub_runs')") == 0);
  REQUIRE(Count(file,
                "SELECT count(*) FROM sqlite_master WHERE name = 'hub_log' AND type = "
                "'table'") == 1);
  REQUIRE(RestOps(file, 3) == 0);
  REQUIRE(RestOps(file, 11) == short_ops);
  REQUIRE(OpsOf(file) == ops);  // schema 10's file holds the same ops
  const int64_t whole = Count(file, "SELECT sum(length(rest)) FROM hub_log");
  REQUIRE(whole > 2 * lean);

  auto opened = OpenSqliteHubStore(file, f.clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  f.hub = std::move(opened).value();
  CHECK(Count(file, "SELECT count(*) FROM meta WHERE key = 'hub_schema' AND value = '" +
                        std::to_string(hub_internal::kHubSchemaVersion) + "'") == 1);
  // The runs with numbers for their ids, hub_log their view with the texts.
  CHECK(Count(file,
              "SELECT count(*) FROM sqlite_master WHERE name = 'hub_log' AND type = "
              "'view'") == 1);
  CHECK(Count(file,
              "SELECT count(*) FROM hub_runs WHERE origin = (SELECT id FROM hub_ids WHERE "
              "text = '" +
                  a->db->device_id() + "')") == 6);  // 3 households, 3 visits
  CHECK(Count(file,
              "SELECT count(*) FROM hub_runs r JOIN hub_ids c ON c.id = r.commune WHERE "
              "c.text = '" +
                  f.commune.id + "'") == Count(file,
                                               "SELECT count(*) FROM "
                                               "hub_log WHERE commune_id = '" +
                                                   f.commune.id + "'"));
  CHECK(RestOps(file, 11) == 0);
  CHECK(BinaryOps(file) + RestOps(file, 3) == short_ops);
  CHECK(BinaryOps(file) > 20);
  CHECK(Count(file,
              "SELECT count(*) FROM meta WHERE key = 'hub_rest_rewrite' AND value = "
              "'done'") == 1);
  CHECK(Count(file, "SELECT sum(length(rest)) FROM hub_log") == lean);
  CHECK(OpsOf(file) == ops);
  // The upgraded hub serves them to a new laptop and recognises a resend.
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
  auto again = f.hub->Push(a->hub_view, {});
  REQUIRE(again.ok());
}

}  // namespace
}  // namespace gocua::hub_store_test
