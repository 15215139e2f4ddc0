// The SQLite hub's binary log (hub schema 12, sync/hub/store/log_binary.h) on a real file: a
// hub of schema 11 upgrades in committed batches (hub_schema.h RewriteLogRows), and a process
// SIGKILLed half way through leaves a hub that reads the same ops and that the next open
// finishes; the view hub_ops shows the binary rows as the JSON ones, on a plain connection.
#include <doctest/doctest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sync/hub/store/sqlite/hub_schema.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

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

// Takes a file of this build back to hub schema 11: every run's `rest` JSON (whole ops) and op
// 0's field and value in their columns, the view hub_ops of step 11 (hub_log as schema 12 had
// it: record ids may be 16 bytes), no hub_fields, no rewrite under way.
void BackTo11(const std::string& file) {
  Exec(file, R"SQL(
CREATE TEMP TABLE whole AS
  SELECT l.server_seq, (SELECT json_group_array(json_array(o.field, json(o.value), o.base_hlc,
      o.base_device, o.hlc, o.orig_hlc, o.outcome, o.reason, o.author, o.seen_hlc,
      o.seen_device)) FROM (SELECT * FROM hub_ops o WHERE o.server_seq > l.server_seq AND
      o.server_seq < l.server_seq + l.n ORDER BY o.server_seq) o) AS rest
  FROM hub_log l WHERE l.n > 1;
CREATE TEMP TABLE heads AS SELECT server_seq, field, value FROM hub_log;
UPDATE hub_runs SET field = (SELECT field FROM heads h WHERE h.server_seq = hub_runs.server_seq),
  value = (SELECT value FROM heads h WHERE h.server_seq = hub_runs.server_seq);
UPDATE hub_runs SET rest = (SELECT rest FROM whole w WHERE w.server_seq = hub_runs.server_seq)
  WHERE n > 1;
DROP VIEW hub_ops;
CREATE VIEW hub_ops AS
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 2 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 3 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 4 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 5 END,
    l.commune_id, l.served,
    CASE WHEN json_array_length(r.value) = 3 THEN l.outcome ELSE r.value ->> 6 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 7 END,
    l.pushed_by, l.received_at,
    CASE WHEN json_array_length(r.value) = 3 THEN l.author ELSE r.value ->> 8 END,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 9 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 10 END
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1;
DROP VIEW hub_log;
CREATE VIEW hub_log AS
  SELECT r.server_seq AS server_seq, r.n AS n, r.rest AS rest, o.text AS origin_device,
    r.seq AS seq, r.record_type AS record_type,
    CASE WHEN typeof(r.record_id) = 'blob' THEN lower(substr(hex(r.record_id), 1, 8) || '-' ||
      substr(hex(r.record_id), 9, 4) || '-' || substr(hex(r.record_id), 13, 4) || '-' ||
      substr(hex(r.record_id), 17, 4) || '-' || substr(hex(r.record_id), 21, 12))
      ELSE r.record_id END AS record_id, r.field AS field,
    r.value AS value, r.base_hlc AS base_hlc, bd.text AS base_device, r.hlc AS hlc,
    CASE WHEN r.orig_hlc = 0 THEN r.hlc ELSE r.orig_hlc END AS orig_hlc, c.text AS commune_id,
    r.served AS served, r.outcome AS outcome,
    r.reason AS reason, p.text AS pushed_by, r.received_at AS received_at, a.text AS author,
    r.seen_hlc AS seen_hlc, sd.text AS seen_device, r.record_id AS record_key
  FROM hub_runs r JOIN hub_ids o ON o.id = r.origin JOIN hub_ids bd ON bd.id = r.base_device
    JOIN hub_ids c ON c.id = r.commune JOIN hub_ids p ON p.id = r.pushed_by
    JOIN hub_ids a ON a.id = r.author JOIN hub_ids sd ON sd.id = r.seen_device;
DROP TABLE hub_fields;
DELETE FROM meta WHERE key = 'hub_rest_rewrite';
UPDATE meta SET value = '11' WHERE key = 'hub_schema';
)SQL");
}

int64_t BlobRuns(const std::string& file) {
  return Count(file, "SELECT count(*) FROM hub_runs WHERE typeof(rest) = 'blob'");
}

TEST_CASE(
    "HubStore: a hub.db of hub schema 11 upgrades to 12 in batches, a kill half way loses "
    "nothing") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  for (int i = 0; i < 30; ++i) {
    Household h = f.AddHousehold(*a, "Hộ " + std::to_string(i));
    REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  }
  f.Push(*a);
  const std::vector<std::string> ops = OpsOf(file);
  const int64_t runs = Count(file, "SELECT count(*) FROM hub_runs WHERE n > 1");
  REQUIRE(runs >= 60);
  REQUIRE(BlobRuns(file) == runs);  // this build writes every such run in binary
  const int64_t lean = Count(file, "SELECT sum(length(rest)) FROM hub_runs");
  f.hub.reset();

  BackTo11(file);
  REQUIRE(BlobRuns(file) == 0);
  REQUIRE(OpsOf(file) == ops);  // schema 11's view shows the same ops
  REQUIRE(Count(file, "SELECT sum(length(rest)) FROM hub_runs") > 2 * lean);

  // A process upgrades it: two batches of 10 rows committed, a third half written, SIGKILL.
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    DatabaseOptions options;
    options.device_schema = false;
    auto db = Database::Open(file, f.clock, options);
    if (!db) _exit(2);
    Database::Impl& d = (*db)->impl();
    if (!hub_internal::MigrateHubSchema(d, false)) _exit(3);
    if (!hub_internal::RewriteLogRows(d, 2, 10)) _exit(4);
    if (!d.Exec("BEGIN IMMEDIATE")) _exit(5);
    if (!d.Exec("UPDATE hub_runs SET rest = x'01ff' WHERE typeof(rest) = 'text'")) _exit(6);
    if (!d.Exec("UPDATE meta SET value = 'done' WHERE key = 'hub_rest_rewrite'")) _exit(7);
    kill(getpid(), SIGKILL);
    _exit(8);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("child status ", status);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(WTERMSIG(status) == SIGKILL);

  // Schema 12 (and 13 since), the two batches kept with how far they got, the third gone; the
  // same ops.
  CHECK(Count(file, "SELECT value FROM meta WHERE key = 'hub_schema'") ==
        hub_internal::kHubSchemaVersion);
  CHECK(BlobRuns(file) == 20);
  CHECK(Count(file, "SELECT count(*) FROM hub_runs WHERE rest = x'01ff'") == 0);
  CHECK(Count(file, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'hub_rest_rewrite'") ==
        Count(file, "SELECT max(server_seq) FROM hub_runs WHERE typeof(rest) = 'blob'"));
  CHECK(OpsOf(file) == ops);

  // The next open goes on from there: every run binary, as lean as a new hub's, same ops.
  auto opened = OpenSqliteHubStore(file, f.clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  f.hub = std::move(opened).value();
  CHECK(Count(file,
              "SELECT count(*) FROM meta WHERE key = 'hub_rest_rewrite' AND value = "
              "'done'") == 1);
  CHECK(BlobRuns(file) == runs);
  CHECK(Count(file, "SELECT sum(length(rest)) FROM hub_runs") == lean);
  CHECK(OpsOf(file) == ops);
  // It serves them: a new laptop gets the same records; a resend is recognised.
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
  auto again = f.hub->Push(a->hub_view, {});
  REQUIRE(again.ok());
}

}  // namespace
}  // namespace gocua::hub_store_test
