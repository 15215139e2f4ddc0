// Migration v15 (storage/core/migrations.cpp): visits_followup dropped, the day sums' and the
// person spans' insert triggers as upserts, span_visit_insert's person half in a trigger of
// its own that fires only when the visit has visit_persons rows. On a file made by the v14
// schema (a random history's file taken back to it: v13's triggers, v14's indexes and v1's
// visits_followup, user_version 14) the derived rows stay as they were, the file ends with the
// objects a new file has, and its triggers then keep the derived tables equal to the bulk path
// (BulkDerived, which writes them without triggers: the oracle of derived_bulk_test.cpp).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/merge.h"
#include "storage/core/migrations.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/replica.h"
#include "tests/storage/core/upgrade_check.h"
#include "tests/storage/core/v12_derived.h"
#include "tests/support/derived_history.h"

namespace gocua {
namespace {

using test::ApplyOneByOne;
using test::History;
using test::Rows;

using test::Objects;
using test::TakeBackToV14;
using test::TriggerSql;

TEST_CASE("Migration v15: a new file has no visits_followup and the upsert triggers") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  auto db = test::OpenOrDie(dir.File("new.db"), clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Rows(*db, "SELECT name FROM sqlite_schema WHERE name = 'visits_followup'").empty());
  for (const char* t : {"member_day_insert", "topic_day_insert", "span_visit_persons_insert"})
    CHECK_MESSAGE(TriggerSql(*db, t).find("ON CONFLICT") != std::string::npos, t);
  CHECK(TriggerSql(*db, "span_visit_insert").find("person_span") == std::string::npos);
  CHECK(TriggerSql(*db, "span_visit_insert_persons").find("WHEN EXISTS") != std::string::npos);
  // Run again on a file that has it (user_version set back): the same objects.
  const auto objects = Objects(*db);
  REQUIRE(db->impl().Exec("PRAGMA user_version = 14").ok());
  db.reset();
  db = test::OpenOrDie(dir.File("new.db"), clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Objects(*db) == objects);
}

TEST_CASE(
    "Migration v15: a v14 file keeps its derived rows and its triggers then match the bulk path") {
  const auto end = test::CheckUpgrade(16, TakeBackToV14, [](const std::string& old_path) {
    // It is the v14 file: v13's two-statement triggers and visits_followup.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(old_path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw,
                               "SELECT (SELECT count(*) FROM sqlite_schema WHERE name IN "
                               "('visits_followup', 'span_visit_insert_persons')), "
                               "(SELECT sql FROM sqlite_schema WHERE name = 'member_day_insert'), "
                               "(SELECT user_version FROM pragma_user_version)",
                               -1, &q, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    CHECK(sqlite3_column_int(q, 0) == 1);
    const std::string member_day = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
    CHECK(member_day.find("UPDATE member_day") != std::string::npos);
    CHECK(member_day.find("ON CONFLICT") == std::string::npos);
    CHECK(sqlite3_column_int(q, 2) == 14);
    sqlite3_finalize(q);
    sqlite3_close(raw);
  });
  for (const char* table :
       {"visit_latest", "person_span", "household_span", "topic_day", "member_day"})
    CHECK_MESSAGE(end.at(table).size() >= 5, table);  // empty tables prove nothing
}

// span_visit_insert's person half, in its own trigger since v15, for the one case it has work:
// a visit row inserted where visit_persons rows of its rowid are already there. No write of the
// device does that (visits are never deleted, only marked), so it is made here by hand: a
// counted visit's row deleted and inserted again with its rowid, in one transaction.
TEST_CASE("Migration v15: a visit inserted over its rowid's visit_persons re-spans those persons") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  auto db = test::OpenOrDie(dir.File("a.db"), clock);
  History history(7);
  const auto groups = history.Generate(300, 100);
  ApplyOneByOne(*db, groups, 0, groups.size());
  const char* spans = "SELECT * FROM person_span ORDER BY 1, 2";
  const auto before = Rows(*db, spans);
  const auto households = Rows(*db, "SELECT * FROM household_span ORDER BY 1, 2");
  auto picked = Rows(*db,
                     "SELECT v.rowid FROM visits v JOIN households h ON h.id = v.household_id "
                     "WHERE v.deleted = 0 AND v.status <> 'returned' AND h.deleted = 0 "
                     "AND h.village_id IS NOT NULL "
                     "AND EXISTS (SELECT 1 FROM visit_persons x JOIN ref_keys r ON r.k = x.person "
                     "JOIN persons p ON p.id = r.id WHERE x.visit = v.rowid) "
                     "ORDER BY (SELECT count(*) FROM visit_persons x WHERE x.visit = v.rowid) "
                     "DESC LIMIT 1");
  REQUIRE(picked.size() == 1);
  const std::string rowid = picked[0].substr(0, picked[0].size() - 1);  // "N|"
  const std::string columns =
      "id, household_id, visited_on, minutes, members, persons, topics, notes, followup_on, "
      "status, created_by, deleted, stamps";
  REQUIRE(db->impl()
              .Exec(("BEGIN; CREATE TEMP TABLE kept AS SELECT rowid AS r, " + columns +
                     " FROM visits WHERE rowid = " + rowid +
                     "; DELETE FROM visits WHERE rowid = " + rowid + ";")
                        .c_str())
              .ok());
  const auto without = Rows(*db, spans);
  REQUIRE(db->impl()
              .Exec(("INSERT INTO visits(rowid, " + columns + ") SELECT r, " + columns +
                     " FROM kept; DROP TABLE kept; COMMIT;")
                        .c_str())
              .ok());
  CHECK(without != before);  // the visit counted in its persons' spans
  CHECK(Rows(*db, spans) == before);
  CHECK(Rows(*db, "SELECT * FROM household_span ORDER BY 1, 2") == households);
}

}  // namespace
}  // namespace gocua
