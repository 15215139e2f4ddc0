// The PostgreSQL hub store's log as runs (PostgreSQL hub schema 5, postgresql/pg_log.h): a run
// of ops on one record is one row of hub_runs with integer ids, every op reads back whole (the
// store's pulls and the test table hub_ops, postgresql/pg_ops_table.h), and a database of
// schema 4 (one row per op) upgrades in place, batch by batch, keeping every op and its server
// seq, with devices pulling on from their cursors. Linux only, like the PostgreSQL store.
#ifndef _WIN32
#include <doctest/doctest.h>

#include <chrono>

#include "sync/hub/store/log_runs.h"
#include "sync/hub/store/postgresql/pg_ops_table.h"
#include "sync/hub/store/postgresql/pg_schema.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// The database the PostgreSQL store of the fixture in `dir` uses (hub_store_factories.h).
std::unique_ptr<pg::Conn> ConnOf(const test::TempDir& dir) {
  test::PgCluster& cluster = test::PgCluster::Shared();
  const std::string db =
      "h" + std::to_string(std::hash<std::string>{}(dir.path().string()) % 1000000007);
  auto c = pg::Conn::Open(cluster.Uri(db));
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  return std::move(c).value();
}

int64_t IntOf(pg::Conn& c, const std::string& sql) {
  INFO(sql);
  auto r = c.Query(sql, {}, "test");
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  REQUIRE(r->size() == 1);
  return r->Int(0, 0);
}

void Run(pg::Conn& c, const char* sql) {
  INFO(sql);
  Status s = c.Simple(sql, "test");
  REQUIRE_MESSAGE(s.ok(), s.message());
}

void LoadOps(pg::Conn& c) {
  Status s = pg::LoadOpsTable(c);
  REQUIRE_MESSAGE(s.ok(), s.message());
}

// Takes a database of schema 5 back to schema 4: hub_log one row per op (the table step 1
// made, filled from the runs as the store reads them), hub_ops its view, no runs or ids.
void BackToSchema4(pg::Conn& c) {
  LoadOps(c);
  Run(c, R"SQL(
DROP VIEW hub_log;
CREATE TABLE hub_log(
  server_seq bigint PRIMARY KEY,
  origin_device text NOT NULL,
  seq bigint NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  field text NOT NULL,
  value text NOT NULL,
  base_hlc bigint NOT NULL,
  base_device text NOT NULL,
  hlc bigint NOT NULL,
  orig_hlc bigint NOT NULL,
  commune_id text NOT NULL,
  served boolean NOT NULL,
  outcome text NOT NULL,
  reason text NOT NULL,
  pushed_by text NOT NULL,
  received_at bigint NOT NULL,
  author text NOT NULL,
  seen_hlc bigint NOT NULL,
  seen_device text NOT NULL,
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served;
CREATE INDEX hub_log_quarantine ON hub_log(server_seq) WHERE NOT served;
INSERT INTO hub_log SELECT * FROM pg_temp.hub_ops;
DROP TABLE pg_temp.hub_ops;
CREATE VIEW public.hub_ops AS SELECT * FROM hub_log;
DROP TABLE hub_runs;
DROP TABLE hub_ids;
UPDATE hub_meta SET value = '4' WHERE key = 'hub_schema';
)SQL");
}

TEST_CASE("PgHubStore: a run of ops on one record is one row with integer ids") {
  HubFixture f(&test::PostgresStore::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  auto c = ConnOf(f.dir);
  const int64_t rows_before = IntOf(*c, "SELECT count(*) FROM hub_runs");
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  const std::vector<RemoteOp> pushed = Outbox(*a->db);
  REQUIRE(pushed.size() > 10);
  f.Push(*a);
  const std::string mine = " WHERE origin_device = '" + a->db->device_id() + "'";
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_log" + mine) == 2);  // the household, the visit
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_runs") == rows_before + 2);
  // The ids are numbers: no column of hub_runs holds a device's or a commune's id.
  CHECK(IntOf(*c,
              "SELECT count(*) FROM information_schema.columns WHERE table_name = "
              "'hub_runs' AND column_name IN ('origin', 'commune', 'pushed_by', 'author', "
              "'base_device', 'seen_device') AND data_type = 'integer'") == 6);
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_ids WHERE text = '" + a->db->device_id() + "'") == 1);
  // One server seq per op, consecutive, each op whole.
  LoadOps(*c);
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_ops" + mine) == static_cast<int64_t>(pushed.size()));
  CHECK(IntOf(*c, "SELECT count(DISTINCT server_seq) FROM hub_ops") ==
        IntOf(*c, "SELECT count(*) FROM hub_ops"));
  CHECK(IntOf(*c, "SELECT max(server_seq) - min(server_seq) + 1 FROM hub_ops") ==
        IntOf(*c, "SELECT count(*) FROM hub_ops"));
  for (const RemoteOp& op : pushed) {
    INFO(op.record_type, ".", op.field);
    auto r = c->Query("SELECT value, hlc, seq FROM hub_ops WHERE origin_device = $1 AND seq = $2",
                      {op.origin_device, pg::Int(op.seq)}, "test");
    REQUIRE(r.ok());
    REQUIRE(r->size() == 1);
    CHECK(nlohmann::json::parse(r->Text(0, 0)) == op.value);
    CHECK(r->Int(0, 1) == op.hlc);
  }
  // Pulled whole, a page at a time (pages of 7 start and end inside the runs).
  CHECK(f.Pull(*b) == static_cast<int>(pushed.size()));
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
  // The log's reads use its indexes, never a scan of the log: the pull (two ranges of
  // hub_runs_scope merged), a resend's op and the conflicts' history (the primary key).
  Run(*c, "SET enable_seqscan = off");  // a log this small would be scanned whole otherwise
  for (const char* sql :
       {"EXPLAIN (SELECT server_seq FROM hub_log WHERE served AND server_seq > 5 AND origin <> 1 "
        "AND commune = 2 ORDER BY server_seq LIMIT 8) UNION ALL (SELECT server_seq FROM hub_log "
        "WHERE served AND server_seq > 5 AND origin <> 1 AND commune = 0 ORDER BY server_seq "
        "LIMIT 8) ORDER BY server_seq LIMIT 8",
        "EXPLAIN SELECT * FROM hub_log WHERE origin = 1 AND seq <= 5 ORDER BY seq DESC LIMIT 1",
        "EXPLAIN SELECT * FROM hub_log WHERE origin = 1 AND record_type = 'visit' AND record_id "
        "= 'x' ORDER BY seq"}) {
    auto plan = c->Query(sql, {}, "plan");
    REQUIRE(plan.ok());
    std::string text;
    for (int i = 0; i < plan->size(); ++i) text += plan->Text(i, 0) + "\n";
    INFO(text);
    CHECK(text.find("Seq Scan on hub_runs") == std::string::npos);
    CHECK(text.find("Sort  (") == std::string::npos);  // Merge Append, no sort node
  }
}

TEST_CASE("PgHubStore: a schema 4 database upgrades to runs in place, ops and cursors kept") {
  HubFixture f(&test::PostgresStore::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  for (int i = 0; i < 3; ++i) {
    Household h = f.AddHousehold(*a, "Hộ " + std::to_string(i));
    REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  }
  f.Push(*a);
  REQUIRE(f.Pull(*b) > 0);
  auto c = ConnOf(f.dir);
  f.hub.reset();
  BackToSchema4(*c);
  // A sizeable log beside the real ops, as schema 4 held it: 11-op visits of 200 devices
  // interleaved, some ops long (a base, a reason), some quarantined, in another commune. More
  // ops than one batch of the upgrade, so runs cross batches.
  const int64_t end = IntOf(*c, "SELECT max(server_seq) FROM hub_log");
  constexpr int64_t kOps = 66000;
  Run(*c, ("INSERT INTO hub_log SELECT " + std::to_string(end) +
           " + g, 'dev-' || (g / 11) % 200, 1 + (g / 2200) * 11 + g % 11, 'visit', "
           "'visit-' || (g / 11), 'f' || g % 11, CASE WHEN g % 3 = 0 THEN '\"v' || g || "
           "'\"' ELSE g::text END, CASE WHEN g % 29 = 0 THEN g ELSE 0 END, CASE WHEN g % 29 = 0 "
           "THEN 'dev-0' ELSE '' END, 1000000 + g, 1000000 + g, 'synthetic-commune', g % 53 <> "
           "0, 'applied', CASE WHEN g % 53 = 0 THEN 'held' ELSE '' END, 'dev-' || (g / 11) % "
           "200, 1700000000000 + g / 11, 'author-' || (g / 11) % 7, 0, '' FROM "
           "generate_series(1, " +
           std::to_string(kOps) + ") g")
              .c_str());
  Run(*c, "SELECT setval('hub_log_seq', (SELECT max(server_seq) FROM hub_log))");
  Run(*c, "CREATE TABLE ops_before AS SELECT * FROM hub_log");
  const int64_t ops = IntOf(*c, "SELECT count(*) FROM ops_before");

  const auto started = std::chrono::steady_clock::now();
  auto opened = test::PostgresStore::Open(f.dir.path().string(), f.clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
  MESSAGE("schema 4 → 5: " << ops << " ops in " << ms << " ms");
  f.hub = std::move(opened).value();
  CHECK(IntOf(*c, "SELECT value::bigint FROM hub_meta WHERE key = 'hub_schema'") ==
        pg::kPgHubSchema);
  CHECK(IntOf(*c, "SELECT count(*) FROM pg_class WHERE relname = 'hub_log_v4'") == 0);
  const int64_t rows = IntOf(*c, "SELECT count(*) FROM hub_runs");
  MESSAGE(ops << " ops, " << rows << " rows");
  CHECK(rows * 5 < ops);  // runs, not ops
  CHECK(IntOf(*c, "SELECT max(n) FROM hub_runs") <= hub_internal::kMaxLogRun);
  // Every op reads back the same, with its server seq.
  LoadOps(*c);
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_ops") == ops);
  CHECK(IntOf(*c,
              "SELECT count(*) FROM (SELECT * FROM ops_before EXCEPT SELECT * FROM "
              "hub_ops) x") == 0);
  CHECK(IntOf(*c,
              "SELECT count(*) FROM (SELECT * FROM hub_ops EXCEPT SELECT * FROM "
              "ops_before) x") == 0);
  CHECK(IntOf(*c, "SELECT count(*) FROM hub_log WHERE NOT served") ==
        IntOf(*c, "SELECT count(DISTINCT server_seq) FROM ops_before WHERE NOT served"));
  // The quarantine reads the same ops.
  auto held = f.hub->Quarantined();
  REQUIRE(held.ok());
  CHECK(static_cast<int64_t>(held->size()) ==
        IntOf(*c, "SELECT count(*) FROM ops_before WHERE NOT served"));
  // b pulls on from its cursor: exactly a's new ops; a new laptop gets everything.
  Household h = f.AddHousehold(*a, "Hộ sau nâng cấp");
  REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  const int64_t more = static_cast<int64_t>(Outbox(*a->db).size());
  f.Push(*a);
  CHECK(f.Pull(*b) == more);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
  auto fresh = f.Enroll("c.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*fresh->db) == *ExportCanonicalJson(*a->db));
}

}  // namespace
}  // namespace gocua::hub_store_test
#endif
