#pragma once
// Takes a file's derived visit tables back to their form before migration v13
// (storage/core/migrations.cpp): visit_members / visit_persons / visit_topics keyed by text ids,
// no ref_keys, visits_period with `id`, and v5's day sums and v7's spans with their triggers
// as v5 and v7 made them (their own SQL, run again). Tests of older migrations start from it,
// then take the file further back; the v13 test stops here (user_version 12). TakeBackToV14
// goes on to what schema v14 made (the v15 and v16 tests start from it).
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>

#include "storage/core/migrations.h"

namespace gocua::test {

inline void BackToV12Derived(sqlite3* raw) {
  const char* to_text_keys =
      "CREATE TABLE vm12(visit_id TEXT NOT NULL, member_id TEXT NOT NULL,\n"
      "  PRIMARY KEY(visit_id, member_id)) WITHOUT ROWID;\n"
      "INSERT INTO vm12 SELECT v.id, r.id FROM visit_members x\n"
      "  JOIN visits v ON v.rowid = x.visit JOIN ref_keys r ON r.k = x.member;\n"
      "CREATE TABLE vp12(visit_id TEXT NOT NULL, person_id TEXT NOT NULL,\n"
      "  PRIMARY KEY(visit_id, person_id)) WITHOUT ROWID;\n"
      "INSERT INTO vp12 SELECT v.id, r.id FROM visit_persons x\n"
      "  JOIN visits v ON v.rowid = x.visit JOIN ref_keys r ON r.k = x.person;\n"
      "CREATE TABLE vt12(visit_id TEXT NOT NULL, topic_id TEXT NOT NULL, result TEXT NOT NULL,\n"
      "  PRIMARY KEY(visit_id, topic_id)) WITHOUT ROWID;\n"
      "INSERT INTO vt12 SELECT v.id, x.topic_id, x.result FROM visit_topics x\n"
      "  JOIN visits v ON v.rowid = x.visit;\n"
      "DROP TRIGGER topic_day_visit; DROP TRIGGER member_day_visit;\n"
      "DROP TRIGGER span_visit_insert; DROP TRIGGER span_visit_update;\n"
      "DROP TRIGGER IF EXISTS span_visit_insert_persons;\n"  // v15's, on visit_persons.visit
      "DROP TRIGGER span_visit_delete; DROP TRIGGER span_household_insert;\n"
      "DROP TRIGGER span_household_update; DROP TRIGGER span_household_delete;\n"
      "DROP TABLE visit_members; DROP TABLE visit_persons; DROP TABLE visit_topics;\n"
      "DROP TABLE ref_keys;\n"
      "ALTER TABLE vm12 RENAME TO visit_members; ALTER TABLE vp12 RENAME TO visit_persons;\n"
      "ALTER TABLE vt12 RENAME TO visit_topics;\n"
      "CREATE INDEX visit_persons_person ON visit_persons(person_id);\n"
      "DROP INDEX visits_period;\n"
      "CREATE INDEX visits_period ON visits(visited_on, deleted, status, household_id, id);\n"
      "DROP TABLE topic_day; DROP TABLE member_day;\n"
      "DROP TABLE household_span; DROP TABLE person_span;\n";
  char* err = nullptr;
  REQUIRE_MESSAGE(sqlite3_exec(raw, to_text_keys, nullptr, nullptr, &err) == SQLITE_OK,
                  (err ? err : ""));
  for (size_t v : {5, 7})  // the day sums and the spans, as those migrations made them
    REQUIRE_MESSAGE(sqlite3_exec(raw, Migrations()[v - 1], nullptr, nullptr, &err) == SQLITE_OK,
                    (err ? err : ""));
  REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 12", nullptr, nullptr, nullptr) == SQLITE_OK);
}

// Trigger `name` as migration v4 made it: its CREATE TRIGGER statement cut from v4's text.
inline std::string V4Trigger(const std::string& name) {
  const std::string v4 = Migrations()[3];
  const size_t from = v4.find("CREATE TRIGGER " + name + " ");
  REQUIRE(from != std::string::npos);
  const size_t to = v4.find("END;", from);
  REQUIRE(to != std::string::npos);
  return v4.substr(from, to + 4 - from);
}

// Takes a new file back to what schema v14 made: the derived visit tables before v13
// (above), then v13's step and v14's as Database::Open ran them, v1's visits_followup, which
// every file had until v15, and v4's visit_latest triggers, which every file had until v16.
inline void TakeBackToV14(const std::string& path) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  test::BackToV12Derived(raw);
  char* err = nullptr;
  const std::string latest =
      "DROP TRIGGER IF EXISTS visit_latest_members_update; "
      "DROP TRIGGER visit_latest_insert; " +
      V4Trigger("visit_latest_insert");
  for (const char* sql : {DerivedVisitKeysSql(), Migrations()[13],
                          "CREATE INDEX visits_followup ON visits(followup_on) "
                          "WHERE followup_on <> ''; PRAGMA user_version = 14;",
                          latest.c_str()})
    REQUIRE_MESSAGE(sqlite3_exec(raw, sql, nullptr, nullptr, &err) == SQLITE_OK, (err ? err : ""));
  sqlite3_close(raw);
}

}  // namespace gocua::test
