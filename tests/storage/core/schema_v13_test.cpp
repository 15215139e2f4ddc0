// Migration v13 (storage/core/migrations.cpp): the derived visit tables keyed by integers (the
// visit's rowid, the person's and member's ref_keys) instead of 36-character ids, on a file made
// by the v12 schema (a random history's file taken back to it: text-keyed visit_members /
// visit_persons / visit_topics, visits_period with id, v5's day sums and v7's spans as those
// migrations made them, user_version 12; tests/storage/core/v12_derived.h). The answers stay:
// every derived table reads the same as a file that ran v13 from the start, before and after
// more history, the dashboard's activity by either path, integrity; a VACUUM keeps the keys.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/merge.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/dashboard/period_activity.h"
#include "tests/storage/core/v12_derived.h"
#include "tests/support/derived_history.h"

namespace gocua {
namespace {

using test::ApplyOneByOne;
using test::CheckSame;
using test::History;
using test::Rows;
using test::Snapshot;

bool HasTextKeys(const std::string& path) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw,
                             "SELECT count(*) FROM pragma_table_info('visit_persons') "
                             "WHERE name = 'person_id'",
                             -1, &q, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  const bool text = sqlite3_column_int(q, 0) == 1;
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return text;
}

void TakeBackToV12(const std::string& path) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  test::BackToV12Derived(raw);
  sqlite3_close(raw);
  REQUIRE(HasTextKeys(path));
}

std::vector<std::string> Activity(Database& db, ActivityPath path, bool approved) {
  std::map<std::string, VillageIndicators> rows;
  Status st = PeriodActivity(db, {"0000-00-00", "9999-12-31", approved, path}, &rows);
  REQUIRE_MESSAGE(st.ok(), st.message());
  std::vector<std::string> out;
  for (const auto& [village, r] : rows)
    out.push_back(village + "|" + std::to_string(r.visits) + "|" +
                  std::to_string(r.households_visited) + "|" + std::to_string(r.persons_guided) +
                  "|" + std::to_string(r.guidance_sessions));
  return out;
}

TEST_CASE(
    "Migration v13: a v12 file's derived visit tables take integer keys and answer the same") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string old_path = dir.File("v12.db");
  History history(13);
  const auto groups = history.Generate(400, 200);
  const size_t half = groups.size() * 2 / 3;
  auto reference = test::OpenOrDie(dir.File("v13.db"), clock);
  ApplyOneByOne(*reference, groups, 0, half);
  {
    auto old = test::OpenOrDie(old_path, clock);
    ApplyOneByOne(*old, groups, 0, half);
  }
  TakeBackToV12(old_path);

  auto db = test::OpenOrDie(old_path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK_FALSE(HasTextKeys(old_path));
  CHECK(Rows(*db, "SELECT count(*) FROM ref_keys WHERE id LIKE 'p%'")[0] != "0|");
  CheckSame(Snapshot(*db), Snapshot(*reference), "after the upgrade");
  for (ActivityPath path : {ActivityPath::kVisits, ActivityPath::kSpans})
    for (bool approved : {false, true})
      CHECK(Activity(*db, path, approved) == Activity(*reference, path, approved));
  CHECK(db->IntegrityCheck().value() == "ok");

  // The new triggers on the upgraded file: the rest of the history, then the same again.
  ApplyOneByOne(*db, groups, half, groups.size());
  ApplyOneByOne(*reference, groups, half, groups.size());
  const auto end = Snapshot(*db);
  CheckSame(end, Snapshot(*reference), "after the rest of the history");
  for (const char* table : {"visit_members", "visit_persons", "visit_topics", "person_span",
                            "household_span", "topic_day", "member_day"})
    CHECK_MESSAGE(end.at(table).size() >= 5, table);  // empty tables prove nothing
  CHECK(Activity(*db, ActivityPath::kVisits, false) ==
        Activity(*reference, ActivityPath::kVisits, false));
}

TEST_CASE("Migration v13: a VACUUM keeps the visit rows' keys") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  History history(17);
  const auto groups = history.Generate(300, 100);
  auto db = test::OpenOrDie(dir.File("a.db"), clock);
  ApplyOneByOne(*db, groups, 0, groups.size() / 2);
  // Visit rows are never deleted, so their rowids run 1..n; a gap (a tombstone at a far rowid)
  // is what a VACUUM that renumbered them would close.
  REQUIRE(db->impl().Exec("INSERT INTO visits(rowid, id, deleted) VALUES(100000, 'gap', 1)").ok());
  ApplyOneByOne(*db, groups, groups.size() / 2, groups.size());
  const auto before = Snapshot(*db);
  REQUIRE(before.at("visit_persons").size() >= 5);
  REQUIRE(Rows(*db, "SELECT count(*) FROM visit_persons WHERE visit > 100000")[0] != "0|");
  REQUIRE(db->impl().Exec("VACUUM").ok());
  CheckSame(Snapshot(*db), before, "after VACUUM");
}

TEST_CASE("Migration v13: a file that already ran it is left as it is") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("a.db");
  History history(5);
  const auto groups = history.Generate(200, 50);
  std::map<std::string, std::vector<std::string>> before;
  {
    auto db = test::OpenOrDie(path, clock);
    ApplyOneByOne(*db, groups, 0, groups.size());
    before = Snapshot(*db);
    REQUIRE(db->impl().Exec("PRAGMA user_version = 12").ok());
  }
  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CheckSame(Snapshot(*db), before, "v13 run twice");
}

}  // namespace
}  // namespace gocua
