// Migration v14 (storage/core/migrations.cpp): visits_status goes, on a new file and on a v13
// file (a fixture's file with the index made again, user_version 13), the visits stay, and the
// device's queries over visits never read that index even where it is still there: it served
// nothing but its own upkeep.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "storage/core/sqlite_db.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

std::vector<std::string> Column(Database& db, const std::string& sql) {
  Status st;
  auto q = db.impl().Prepare(sql, &st);
  REQUIRE_MESSAGE(q, st.message());
  std::vector<std::string> out;
  while (q->Step() == SQLITE_ROW) out.push_back(q->Text(0));
  return out;
}

std::vector<std::string> StatusIndex(Database& db) {
  return Column(db, "SELECT name FROM sqlite_schema WHERE name = 'visits_status'");
}

// The device's reads of visits by status: Visits::List (storage/device/visits.cpp), the review
// queue (storage/device/review_queue.cpp) and the dashboard's queue counts
// (storage/dashboard/indicators.cpp), as they are written there.
const char* const kStatusReads[] = {
    "SELECT v.id FROM visits v WHERE v.deleted = 0 "
    "AND (?1 = '' OR v.household_id = ?1) AND (?2 = '' OR v.status = ?2) "
    "AND (?3 = '' OR v.visited_on >= ?3) AND (?4 = '' OR v.visited_on <= ?4) "
    "ORDER BY v.visited_on DESC, v.id DESC LIMIT ?6 OFFSET ?7",
    "SELECT v.id FROM visits v JOIN households h ON h.id = v.household_id "
    "WHERE v.deleted = 0 AND (?1 = '' OR v.status = ?1) AND (?2 = '' OR h.village_id = ?2) "
    "AND v.visited_on BETWEEN ?5 AND ?6 ORDER BY v.visited_on DESC, v.id DESC LIMIT ?7",
    "SELECT status, count(*) FROM visits INDEXED BY visits_review "
    "WHERE status IN ('pending', 'returned') AND deleted = 0 GROUP BY status",
};

// Makes a v13 file of the fixture's data at `path`.
size_t MakeV13(const std::string& path) {
  size_t visits = 0;
  {
    test::LeaderFixture f;
    visits = Column(*f.db, "SELECT id FROM visits").size();
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "CREATE INDEX visits_status ON visits(status, visited_on); "
                       "PRAGMA user_version = 13;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  return visits;
}

TEST_CASE("Migration v14: a new file has no visits_status index") {
  test::LeaderFixture f;
  CHECK(f.db->SchemaVersion() == kSchemaVersion);
  CHECK(StatusIndex(*f.db).empty());
  // The indexes the device's queries do read are still there.
  CHECK(Column(*f.db,
               "SELECT name FROM sqlite_schema WHERE name IN ('visits_review', 'visits_period') "
               "ORDER BY name") == std::vector<std::string>{"visits_period", "visits_review"});
}

TEST_CASE("Migration v14: a v13 file loses visits_status and keeps its visits") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("v13.db");
  const size_t visits = MakeV13(path);
  REQUIRE(visits > 0);
  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(StatusIndex(*db).empty());
  CHECK(Column(*db, "SELECT id FROM visits").size() == visits);
  CHECK(db->IntegrityCheck().value() == "ok");
}

TEST_CASE("Migration v14: no device query over visits reads visits_status where it is there") {
  test::TempDir dir;
  const std::string path = dir.File("v13.db");
  MakeV13(path);
  // The v13 file as it was, index and all, read by the plain library: the planner's choice.
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  for (const char* sql : kStatusReads) {
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, (std::string("EXPLAIN QUERY PLAN ") + sql).c_str(), -1, &q,
                               nullptr) == SQLITE_OK);
    std::string plan;
    while (sqlite3_step(q) == SQLITE_ROW)
      plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 3))) + "; ";
    sqlite3_finalize(q);
    CHECK_MESSAGE(plan.find("visits_status") == std::string::npos, sql, " — ", plan);
    CHECK_MESSAGE(plan.find("visits") != std::string::npos, plan);  // the plan was read
  }
  sqlite3_close(raw);
}

}  // namespace
}  // namespace gocua
