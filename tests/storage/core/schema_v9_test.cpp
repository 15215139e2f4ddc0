// Migration v9 (storage/core/migrations.cpp): the per-member and per-topic indexes of visit_members
// and visit_topics go, on a new file and on a v8 file, their rows stay, and the filters that
// read those tables look a visit's rows up by primary key.
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

std::vector<std::string> VisitIndexes(Database& db) {
  return Column(db,
                "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN "
                "('visit_members', 'visit_persons', 'visit_topics') AND sql IS NOT NULL "
                "ORDER BY name");
}

// The plan's details, one string.
std::string Plan(Database& db, const std::string& sql) {
  std::string out;
  Status st;
  auto q = db.impl().Prepare("EXPLAIN QUERY PLAN " + sql, &st);
  REQUIRE_MESSAGE(q, st.message());
  while (q->Step() == SQLITE_ROW) out += q->Text(3) + "; ";
  return out;
}

TEST_CASE("Migration v9: a new file has no per-member or per-topic visit index") {
  test::LeaderFixture f;
  CHECK(f.db->SchemaVersion() == kSchemaVersion);
  CHECK(VisitIndexes(*f.db) == std::vector<std::string>{"visit_persons_person"});
}

TEST_CASE("Migration v9: a v8 file loses the two indexes and keeps its rows") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("v8.db");
  size_t members = 0, topics = 0;
  {
    test::LeaderFixture f;
    members = Column(*f.db, "SELECT visit FROM visit_members").size();
    topics = Column(*f.db, "SELECT visit FROM visit_topics").size();
    REQUIRE(members > 0);
    REQUIRE(topics > 0);
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "CREATE INDEX visit_members_member ON visit_members(member); "
                       "CREATE INDEX visit_topics_topic ON visit_topics(topic_id, result); "
                       "PRAGMA user_version = 8;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(VisitIndexes(*db) == std::vector<std::string>{"visit_persons_person"});
  CHECK(Column(*db, "SELECT visit FROM visit_members").size() == members);
  CHECK(Column(*db, "SELECT visit FROM visit_topics").size() == topics);
  CHECK(db->IntegrityCheck().value() == "ok");
}

TEST_CASE("Migration v9: the member and topic filters read a visit's rows by primary key") {
  test::LeaderFixture f;
  // The shape of the filters of Visits::List and the review queue (storage/device/visits.cpp,
  // storage/device/review_queue.cpp).
  const std::string plan = Plan(
      *f.db,
      "SELECT v.id FROM visits v WHERE v.deleted = 0 "
      "AND (?1 = '' OR EXISTS (SELECT 1 FROM visit_members m WHERE m.visit = v.rowid "
      "AND m.member = (SELECT k FROM ref_keys WHERE id = ?1))) "
      "AND (?2 = '' OR EXISTS (SELECT 1 FROM visit_topics t WHERE t.visit = v.rowid "
      "AND t.topic_id = ?2))");
  CHECK_MESSAGE(plan.find("SEARCH m USING PRIMARY KEY (visit=? AND member=?)") !=
                    std::string::npos,
                plan);
  CHECK_MESSAGE(plan.find("SEARCH t USING PRIMARY KEY (visit=? AND topic_id=?)") !=
                    std::string::npos,
                plan);
}

}  // namespace
}  // namespace gocua
