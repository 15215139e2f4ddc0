// Bulk mode for the derived tables (storage/device/derived_bulk.h): a pulled page keeps the dashboard's
// tables itself, with the triggers off, and must leave them as the triggers would have. The
// proof is equivalence: one random history applied to two databases, one in bulk pages
// (Replica::ApplyPulled) and one op at a time with the triggers (MergeRemote), compared table
// by table after every page.
#include "storage/device/derived_bulk.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <random>

#include "storage/device/households.h"
#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "storage/device/replica.h"
#include "storage/device/visits.h"
#include "tests/support/derived_history.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

using nlohmann::json;
using test::CheckSame;
using test::History;
using test::kRemote;
using test::Rows;
using test::Snapshot;

// Ops of the remote device, numbered from 1, stamped an hour past the fixture's now.
class RemoteOps {
 public:
  RemoteOp operator()(const std::string& type, const std::string& id, const std::string& field,
                      json value) {
    RemoteOp o;
    o.origin_device = kRemote;
    o.seq = ++seq_;
    o.record_type = type;
    o.record_id = id;
    o.field = field;
    o.value = std::move(value);
    o.hlc = MakeHlc(test::kTestNowMs + 3600000, seq_);
    return o;
  }

 private:
  int64_t seq_ = 0;
};

bool TriggersOn(Database& db) {
  int on = -1;
  sqlite3_db_config(db.impl().db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on);
  return on == 1;
}

// The reference: each op in its own write, the triggers keeping the derived tables.
Status ApplyOneByOne(Database& db, const std::vector<RemoteOp>& ops) {
  Database::Impl& d = db.impl();
  return d.Transact([&]() -> Status {
    for (RemoteOp op : ops) {
      auto value = CheckRemoteOp(op);
      if (!value) return value.error();
      op.value = std::move(*value);
      auto merged = MergeRemote(d, op);
      if (!merged) return merged.error();
    }
    return Status::Ok();
  });
}

TEST_CASE("BulkDerived: pulled pages leave the derived tables as the triggers would") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    test::TempDir dir;
    ManualClock clock(test::kTestNowMs);
    auto bulk = test::OpenOrDie(dir.File("bulk.db"), clock);
    auto triggers = test::OpenOrDie(dir.File("triggers.db"), clock);
    History history(seed);
    const auto groups = history.Generate(500, 300);
    std::mt19937 pager(seed);
    size_t next = 0;
    int pages = 0;
    while (next < groups.size()) {
      std::vector<RemoteOp> page;
      // Now and then a page of many groups: hundreds of derived rows, several statements of
      // 64 rows per table (storage/device/derived_rows.h).
      const size_t n = pages % 9 == 8 ? 150 : std::uniform_int_distribution<size_t>(1, 60)(pager);
      for (size_t i = 0; i < n && next < groups.size(); ++i, ++next)
        page.insert(page.end(), groups[next].begin(), groups[next].end());
      ++pages;
      Status pulled = Replica(*bulk).ApplyPulled(page, "c" + std::to_string(pages));
      REQUIRE_MESSAGE(pulled.ok(), pulled.message());
      Status reference = ApplyOneByOne(*triggers, page);
      REQUIRE_MESSAGE(reference.ok(), reference.message());
      CHECK(bulk->impl().triggers_parked);  // off until a write outside a batch
      CHECK_FALSE(TriggersOn(*bulk));
      CHECK(bulk->impl().bulk == nullptr);
      CheckSame(Snapshot(*bulk), Snapshot(*triggers), "page " + std::to_string(pages));
    }
    // The history reached every table (a test that compares empty tables proves nothing).
    const auto end = Snapshot(*bulk);
    for (const char* table : {"visit_latest", "visit_latest_members", "person_online",
                              "household_span", "person_span", "topic_day", "member_day"})
      CHECK_MESSAGE(end.at(table).size() >= 5, table);
    // The triggers' day sums keep rows with n = 0 for keys visits passed through; bulk pages
    // keep fewer of them (none for a key passed through within one page).
    CHECK(Rows(*bulk, "SELECT count(*) FROM topic_day WHERE n = 0")[0] <=
          Rows(*triggers, "SELECT count(*) FROM topic_day WHERE n = 0")[0]);
  }
}

TEST_CASE("BulkDerived: a page that fails writes nothing and leaves the triggers on") {
  test::LeaderFixture f;
  const auto before = Snapshot(*f.db);
  RemoteOps op;
  std::vector<RemoteOp> page = {
      op("visit", "vnew", "household_id", f.h["H1"].id),
      op("visit", "vnew", "visited_on", "2026-03-14"),
      op("visit", "vnew", "topics", json{{"dvc", "done"}}),
      op("visit", "vnew", "members", json::array({f.member.id})),
      op("visit", f.v["V2"].id, "household_id", f.h["H3"].id),
      op("household", f.h["H2"].id, "deleted", 1),
      op("visit", f.v["V3"].id, "bogus", 1),  // not in this build's schema
      op("visit", f.v["V4"].id, "status", "returned"),
  };
  Status st = Replica(*f.db).ApplyPulled(page, "c1");
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == ErrorCode::kCorrupt);
  CheckSame(Snapshot(*f.db), before, "after the failed page");
  CHECK((TriggersOn(*f.db) || f.db->impl().triggers_parked));
  CHECK(f.db->impl().bulk == nullptr);

  // A page that fails at COMMIT (a visit of a household that does not exist): also nothing.
  page.erase(page.begin() + 6);
  page.push_back(op("visit", "vbad", "household_id", "nosuchhousehold"));
  st = Replica(*f.db).ApplyPulled(page, "c2");
  REQUIRE_FALSE(st.ok());
  CheckSame(Snapshot(*f.db), before, "after the page that failed at commit");
  CHECK((TriggersOn(*f.db) || f.db->impl().triggers_parked));
  CHECK(Replica(*f.db).State()->cursor.empty());

  // Local saves keep the derived tables through the triggers again: H4's first visit becomes
  // its latest, and its topic is counted.
  Visit v;
  v.household_id = f.h["H4"].id;
  v.visited_on = "2026-03-15";
  v.minutes = 20;
  v.members = {f.member.id};
  v.topics = {{"health", "guided"}};
  auto saved = Visits(*f.db).Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  CHECK(Rows(*f.db, "SELECT visit_id FROM visit_latest WHERE household_id = '" + f.h["H4"].id +
                        "'") == std::vector<std::string>{saved->id + "|"});
  CHECK(Rows(*f.db, "SELECT n FROM topic_day WHERE day = '2026-03-15' AND topic_id = 'health'") ==
        std::vector<std::string>{"1|"});

  // The page without its bad op applies (the cached statements, expired by each switch of the
  // triggers, are prepared again).
  page.pop_back();
  REQUIRE(Replica(*f.db).ApplyPulled(page, "c3").ok());
  CHECK(f.db->impl().triggers_parked);
  CHECK(Rows(*f.db, "SELECT visit_id FROM visit_latest WHERE household_id = '" + f.h["H1"].id +
                        "'") == std::vector<std::string>{"vnew|"});
  CHECK(Rows(*f.db, "SELECT count(*) FROM visit_latest WHERE household_id = '" + f.h["H2"].id +
                        "'") == std::vector<std::string>{"0|"});
}

TEST_CASE("BulkDerived: cached statements expired by the switch are prepared again") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  const std::string sql = "SELECT count(*) FROM villages";
  auto count = [&] {
    Status st;
    auto q = d.Prepare(sql, &st);
    REQUIRE_MESSAGE(q, st.message());
    REQUIRE(q->Step() == SQLITE_ROW);
    return q->Int(0);
  };
  auto reprepared = [&] {
    Status st;
    auto q = d.Prepare(sql, &st);
    return sqlite3_stmt_status(q->raw(), SQLITE_STMTSTATUS_REPREPARE, 0);
  };
  auto batch = [&] {
    Status st = d.Transact([&]() -> Status {
      BulkDerived derived(d);
      if (Status s = derived.Begin(); !s) return s;
      CHECK(!TriggersOn(*f.db));
      CHECK(count() == 1);  // expired by a switch: prepared again, same answer
      return derived.Finish();
    });
    REQUIRE_MESSAGE(st.ok(), st.message());
  };
  REQUIRE(count() == 1);
  const int before = reprepared();
  batch();
  CHECK(d.triggers_parked);
  CHECK_FALSE(TriggersOn(*f.db));
  CHECK(count() == 1);                // a read leaves them parked
  CHECK(reprepared() == before + 1);  // once, after the switch off
  // Batch after batch, with meta written between them, the triggers stay off: no more switches.
  for (int i = 0; i < 3; ++i) {
    REQUIRE(d.Transact([&] { return d.SetMeta("test_key", std::to_string(i)); }).ok());
    batch();
  }
  CHECK(reprepared() == before + 1);
  // A write outside a batch turns them on first.
  REQUIRE(d.Transact([&]() -> Status {
            Status st;
            auto q = d.Prepare("UPDATE villages SET name = name || ''", &st);
            if (!q) return st;
            return q->Step() == SQLITE_DONE ? Status::Ok() : Status{ErrorCode::kInternal, "step"};
          }).ok());
  CHECK(TriggersOn(*f.db));
  CHECK_FALSE(d.triggers_parked);
  CHECK(count() == 1);
  CHECK(reprepared() == before + 2);
}

TEST_CASE("BulkDerived: parked triggers come on for Exec's writes, not for its brackets") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  REQUIRE(d.Transact([&]() -> Status {
            BulkDerived derived(d);
            if (Status s = derived.Begin(); !s) return s;
            return derived.Finish();
          }).ok());
  REQUIRE(d.triggers_parked);
  for (const char* sql : {"PRAGMA synchronous = NORMAL", "BEGIN", "COMMIT",
                          "PRAGMA synchronous = FULL"}) {
    REQUIRE(d.Exec(sql).ok());
    CHECK_MESSAGE(d.triggers_parked, sql);
  }
  REQUIRE(d.Exec("BEGIN IMMEDIATE").ok());
  REQUIRE(d.Exec("ROLLBACK").ok());
  CHECK(d.triggers_parked);
  REQUIRE(d.Exec("CREATE TEMP TABLE t(x)").ok());
  CHECK_FALSE(d.triggers_parked);
  CHECK(TriggersOn(*f.db));
}

TEST_CASE("BulkDerived: local saves between pulled pages keep their derived data") {
  test::LeaderFixture f;
  RemoteOps op;
  const std::vector<RemoteOp> page = {
      op("visit", "vpulled", "household_id", f.h["H1"].id),
      op("visit", "vpulled", "visited_on", "2026-03-14"),
      op("visit", "vpulled", "topics", json{{"dvc", "done"}}),
      op("visit", "vpulled", "members", json::array({f.member.id})),
  };
  REQUIRE(Replica(*f.db).ApplyPulled(page, "c1").ok());
  REQUIRE(f.db->impl().triggers_parked);
  CHECK(Rows(*f.db, "SELECT r.id FROM visit_members x JOIN ref_keys r ON r.k = x.member "
             "WHERE x.visit = (SELECT rowid FROM visits WHERE id = 'vpulled')") ==
        std::vector<std::string>{f.member.id + "|"});
  // A local save right after the page: its derived rows are there.
  Visit v;
  v.household_id = f.h["H4"].id;
  v.visited_on = "2026-03-16";
  v.minutes = 20;
  v.members = {f.member.id};
  v.topics = {{"health", "guided"}};
  auto saved = Visits(*f.db).Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  CHECK(TriggersOn(*f.db));
  CHECK(Rows(*f.db, "SELECT visit_id FROM visit_latest WHERE household_id = '" + f.h["H4"].id +
                        "'") == std::vector<std::string>{saved->id + "|"});
  CHECK(Rows(*f.db, "SELECT n FROM topic_day WHERE day = '2026-03-16' AND topic_id = 'health'") ==
        std::vector<std::string>{"1|"});
  // A household's deletion after another page: its latest visit goes, by trigger.
  REQUIRE(Replica(*f.db).ApplyPulled({op("visit", "vpulled", "status", "approved")}, "c2").ok());
  REQUIRE(f.db->impl().triggers_parked);
  REQUIRE(Households(*f.db).Remove(f.h["H4"].id).ok());
  CHECK(Rows(*f.db, "SELECT count(*) FROM visit_latest WHERE household_id = '" + f.h["H4"].id +
                        "'") == std::vector<std::string>{"0|"});
}

TEST_CASE("BulkDerived: on a connection that keeps no derived data it leaves the triggers off") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  d.derived = false;  // as HubStore::Open sets it
  REQUIRE(sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr) == SQLITE_OK);
  Status st = d.Transact([&]() -> Status {
    BulkDerived derived(d);
    if (Status s = derived.Begin(); !s) return s;
    CHECK(d.bulk == nullptr);
    return derived.Finish();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  CHECK_FALSE(TriggersOn(*f.db));
}

TEST_CASE("BulkDerived: a save after a bulk add of households keeps its derived data") {
  test::CommuneFixture f;
  std::vector<Household> hs(50);
  for (size_t i = 0; i < hs.size(); ++i) {
    hs[i].village_id = f.village.id;
    hs[i].head_name = "Chủ hộ " + std::to_string(i);
  }
  auto ids = Households(*f.db).AddAll(hs);
  REQUIRE_MESSAGE(ids.ok(), ids.error().message());
  CHECK(f.db->impl().triggers_parked);  // on again at the next write outside a batch
  Visit v;
  v.household_id = ids->front();
  v.visited_on = "2026-03-15";
  v.minutes = 20;
  v.members = {f.member.id};
  v.topics = {{"vneid", "guided"}};
  auto saved = Visits(*f.db).Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  CHECK(Rows(*f.db, "SELECT visit_id FROM visit_latest") ==
        std::vector<std::string>{saved->id + "|"});
  CHECK(TriggersOn(*f.db));
  CHECK(Rows(*f.db, "SELECT count(*) FROM household_span") == std::vector<std::string>{"1|"});
}

}  // namespace
}  // namespace gocua
