// Migration v7 on a file written before it: the spans of every household and (village,
// person) are filled from the visits already there, and kept from then on.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "storage/dashboard/period_activity.h"
#include "tests/storage/core/v12_derived.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

TEST_CASE("Migrations: v7 fills the activity spans of a v6 file and keeps them") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("old.db");
  std::string dong, tay, v1;
  {
    test::LeaderFixture f;
    dong = f.village.id;
    tay = f.tay.id;
    v1 = f.v["V1"].id;
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  test::BackToV12Derived(raw);  // the derived visit tables as before v13
  const char* back_to_v6 =
      "DROP TRIGGER span_visit_insert; DROP TRIGGER span_visit_update; "
      "DROP TRIGGER span_visit_delete; DROP TRIGGER span_visit_persons_insert; "
      "DROP TRIGGER span_visit_persons_delete; DROP TRIGGER span_household_insert; "
      "DROP TRIGGER span_household_update; DROP TRIGGER span_household_delete; "
      "DROP TABLE household_span; DROP TABLE person_span; DROP INDEX visits_household; "
      "CREATE INDEX visits_household ON visits(household_id, visited_on); "
      "DROP TABLE household_order; PRAGMA user_version = 6;";
  REQUIRE(sqlite3_exec(raw, back_to_v6, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);

  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  // Whole period, from the spans alone: counted visits V1–V5 (V6 deleted, V7 returned).
  std::map<std::string, VillageIndicators> rows;
  REQUIRE(PeriodActivity(*db, {"0000-00-00", "9999-12-31", false, ActivityPath::kSpans}, &rows)
              .ok());
  CHECK(rows[dong].visits == 3);  // V1 V2 V3
  CHECK(rows[dong].households_visited == 2);
  CHECK(rows[dong].persons_guided == 3);  // P1 P2 P3
  CHECK(rows[dong].guidance_sessions == 4);
  CHECK(rows[tay].visits == 2);  // V4 V5
  CHECK(rows[tay].households_visited == 1);
  CHECK(rows[tay].persons_guided == 2);
  CHECK(rows[tay].guidance_sessions == 2);
  // Approved only: V1 and V4.
  rows.clear();
  REQUIRE(PeriodActivity(*db, {"0000-00-00", "9999-12-31", true, ActivityPath::kSpans}, &rows)
              .ok());
  CHECK(rows[dong].visits == 1);
  CHECK(rows[dong].persons_guided == 1);
  CHECK(rows[tay].visits == 1);
  // The triggers came with it: deleting V1 leaves Đông V2 V3, P1 still guided by V2.
  REQUIRE(Visits(*db).Remove(v1).ok());
  rows.clear();
  REQUIRE(PeriodActivity(*db, {"0000-00-00", "9999-12-31", false, ActivityPath::kSpans}, &rows)
              .ok());
  CHECK(rows[dong].visits == 2);
  CHECK(rows[dong].persons_guided == 3);
  CHECK(rows[dong].guidance_sessions == 3);
}

}  // namespace
}  // namespace gocua
