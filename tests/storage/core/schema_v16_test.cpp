// Migration v16 (storage/core/migration_v16.cpp): visit_latest kept by an upsert, and its
// members rows changed only where they differ. On a file made by the v15 schema
// (a random history's file taken back to it) the derived rows stay as they were, the file ends
// with the objects a new file has, and its triggers then keep the derived tables equal to the
// bulk path (BulkDerived: the oracle of derived_bulk_test.cpp).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>

#include "storage/core/migrations.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/visits.h"
#include "tests/storage/core/upgrade_check.h"
#include "tests/storage/core/v12_derived.h"
#include "tests/support/derived_history.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

using test::ApplyOneByOne;
using test::CheckSame;
using test::History;
using test::Objects;
using test::Rows;
using test::Snapshot;
using test::TriggerSql;

// What schema v15 made: v14's file (v12_derived.h) with v15's step as Database::Open ran it.
void TakeBackToV15(const std::string& path) {
  test::TakeBackToV14(path);
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  char* err = nullptr;
  for (const char* sql : {Migrations()[14], "PRAGMA user_version = 15"})
    REQUIRE_MESSAGE(sqlite3_exec(raw, sql, nullptr, nullptr, &err) == SQLITE_OK, (err ? err : ""));
  sqlite3_close(raw);
}

TEST_CASE("Migration v16: a new file keeps visit_latest by an upsert") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  auto db = test::OpenOrDie(dir.File("new.db"), clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(TriggerSql(*db, "visit_latest_insert").find("ON CONFLICT") != std::string::npos);
  CHECK(TriggerSql(*db, "visit_latest_insert").find("DELETE") == std::string::npos);
  CHECK(!TriggerSql(*db, "visit_latest_members_update").empty());
  // Run again on a file that has it (user_version set back): the same objects and rows.
  History history(5);
  ApplyOneByOne(*db, history.Generate(200, 60), 0, 60);
  const auto objects = Objects(*db);
  const auto rows = Snapshot(*db);
  REQUIRE(db->impl().Exec("PRAGMA user_version = 15").ok());
  db.reset();
  db = test::OpenOrDie(dir.File("new.db"), clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Objects(*db) == objects);
  CheckSame(Snapshot(*db), rows, "v16 run again");
}

TEST_CASE(
    "Migration v16: a v15 file keeps its derived rows and its triggers then match the bulk path") {
  const auto end = test::CheckUpgrade(23, TakeBackToV15, [](const std::string& old_path) {
    // It is the v15 file: v4's visit_latest_insert, no visit_latest_members_update.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(old_path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(
        sqlite3_prepare_v2(raw,
                           "SELECT (SELECT count(*) FROM sqlite_schema "
                           "  WHERE name = 'visit_latest_members_update'), "
                           "(SELECT sql FROM sqlite_schema WHERE name = 'visit_latest_insert'), "
                           "(SELECT user_version FROM pragma_user_version)",
                           -1, &q, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    CHECK(sqlite3_column_int(q, 0) == 0);
    const std::string latest = reinterpret_cast<const char*>(sqlite3_column_text(q, 1));
    CHECK(latest.find("DELETE FROM visit_latest") != std::string::npos);
    CHECK(latest.find("ON CONFLICT") == std::string::npos);
    CHECK(sqlite3_column_int(q, 2) == 15);
    sqlite3_finalize(q);
    sqlite3_close(raw);
  });
  for (const char* table : {"visit_latest", "visit_latest_members"})
    CHECK_MESSAGE(end.at(table).size() >= 5, table);  // empty tables prove nothing
}

// Counts the rows of visit_latest_members deleted, inserted and updated from now on.
struct MemberRowWrites {
  explicit MemberRowWrites(Database& db) : db_(db) {
    REQUIRE(db_.impl()
                .Exec("CREATE TEMP TABLE lm_writes(what TEXT); "
                      "CREATE TEMP TRIGGER lm_d AFTER DELETE ON visit_latest_members "
                      "BEGIN INSERT INTO lm_writes VALUES('delete'); END; "
                      "CREATE TEMP TRIGGER lm_i AFTER INSERT ON visit_latest_members "
                      "BEGIN INSERT INTO lm_writes VALUES('insert'); END; "
                      "CREATE TEMP TRIGGER lm_u AFTER UPDATE ON visit_latest_members "
                      "BEGIN INSERT INTO lm_writes VALUES('update'); END;")
                .ok());
  }
  std::vector<std::string> Take() {
    auto rows = Rows(db_, "SELECT what FROM lm_writes ORDER BY what");
    REQUIRE(db_.impl().Exec("DELETE FROM lm_writes").ok());
    return rows;
  }
  Database& db_;
};

TEST_CASE(
    "Migration v16: a later visit saved on the laptop rewrites only the members rows that "
    "change") {
  test::LeaderFixture f;
  // H1's latest visit is V2 (03-10, Mai and Bình, follow-up 03-20; V6 is deleted).
  const std::string h1 = f.h["H1"].id;
  const std::string rows_sql =
      "SELECT member_id, followup_on FROM visit_latest_members WHERE household_id = '" + h1 +
      "' ORDER BY 1";
  auto latest = [&] {
    return Rows(*f.db,
                "SELECT visit_id, visited_on, followup_on FROM visit_latest "
                "WHERE household_id = '" +
                    h1 + "'");
  };
  REQUIRE(Rows(*f.db, rows_sql).size() == 2);
  MemberRowWrites writes(*f.db);
  Visits visits(*f.db);
  auto save = [&](const std::string& day, std::vector<std::string> members,
                  const std::string& followup) {
    Visit v;
    v.household_id = h1;
    v.visited_on = day;
    v.minutes = 30;
    v.members = std::move(members);
    v.topics = {{"vneid", "guided"}};
    v.followup_on = followup;
    auto saved = visits.Save(v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
    return saved->id;
  };
  // Same members, same follow-up: the visit_latest row moves, its members rows stay.
  const std::string a = save("2026-03-11", {f.member.id, f.binh.id}, "2026-03-20");
  CHECK(latest() == std::vector<std::string>{a + "|2026-03-11|2026-03-20|"});
  CHECK(writes.Take().empty());
  std::vector<std::string> both = {f.member.id + "|2026-03-20|", f.binh.id + "|2026-03-20|"};
  std::sort(both.begin(), both.end());
  CHECK(Rows(*f.db, rows_sql) == both);
  // Bình leaves, the follow-up moves: one row deleted, one updated.
  const std::string b = save("2026-03-12", {f.member.id}, "2026-03-25");
  CHECK(latest() == std::vector<std::string>{b + "|2026-03-12|2026-03-25|"});
  CHECK(writes.Take() == std::vector<std::string>{"delete|", "update|"});
  CHECK(Rows(*f.db, rows_sql) == std::vector<std::string>{f.member.id + "|2026-03-25|"});
  // An earlier visit leaves the latest visit and its rows alone.
  save("2026-03-01", {f.binh.id}, "");
  CHECK(latest() == std::vector<std::string>{b + "|2026-03-12|2026-03-25|"});
  CHECK(writes.Take().empty());
  // Bình again with Mai, no follow-up: one row inserted, one updated.
  const std::string c = save("2026-03-13", {f.member.id, f.binh.id}, "");
  CHECK(latest() == std::vector<std::string>{c + "|2026-03-13||"});
  CHECK(writes.Take() == std::vector<std::string>{"insert|", "update|"});
  CHECK(Rows(*f.db, rows_sql).size() == 2);
}

}  // namespace
}  // namespace gocua
