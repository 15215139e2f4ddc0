// Migration v11 (storage/core/migrations.cpp): the two indexes that repeat a prefix of another
// go, and every record's stamps are rewritten in the binary form, on a file made by the v10
// schema (a fixture's file taken back to it: its indexes made again, its stamps written as the
// JSON text v10 wrote, user_version 10). Every record reads the same afterwards, and the file
// keeps working: a save, a local edit's change-log base, integrity.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "storage/core/change_log.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "tests/support/derived_history.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

using test::Rows;

// Every record of every type as ReadRow gives it: values and stamps, one string a record.
std::vector<std::string> Records(Database& db) {
  std::vector<std::string> out;
  for (const RecordDef& def : RecordDefs())
    for (const std::string& row : Rows(db, std::string("SELECT id FROM ") + def.table)) {
      const std::string id = row.substr(0, row.size() - 1);
      auto r = ReadRow(db.impl(), def, id);
      REQUIRE(r.ok());
      out.push_back(std::string(def.type) + " " + id + " " + r->values.dump() + " " +
                    r->stamps.dump());
    }
  return out;
}

std::vector<std::string> DroppedIndexes(Database& db) {
  return Rows(db,
              "SELECT name FROM sqlite_schema WHERE type = 'index' AND name IN "
              "('visits_visited_on', 'households_village') ORDER BY name");
}

// Takes the file at `path` (schema v11) back to what schema v10 made of the same records.
void BackToV10(const std::string& path, ManualClock& clock) {
  {
    auto db = test::OpenOrDie(path, clock);
    Database::Impl& d = db->impl();
    Status st = d.Transact([&]() -> Status {
      for (const RecordDef& def : RecordDefs())
        for (const std::string& row : Rows(*db, std::string("SELECT id FROM ") + def.table)) {
          const std::string id = row.substr(0, row.size() - 1);
          auto r = ReadRow(d, def, id);
          if (!r) return r.error();
          Status s;
          auto q =
              d.Prepare(std::string("UPDATE ") + def.table + " SET stamps = ? WHERE id = ?", &s);
          if (!q) return s;
          q->Bind(1, r->stamps.dump()).Bind(2, id);  // v10's text: json::dump()
          if (q->Step() != SQLITE_DONE) return Status{ErrorCode::kInternal, "update"};
        }
      return Status::Ok();
    });
    REQUIRE_MESSAGE(st.ok(), st.message());
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "CREATE INDEX households_village ON households(village_id); "
                       "CREATE INDEX visits_visited_on ON visits(visited_on); "
                       "PRAGMA user_version = 10;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
}

TEST_CASE("Migration v11: a new file has neither index and writes binary stamps") {
  test::LeaderFixture f;
  CHECK(f.db->SchemaVersion() == kSchemaVersion);
  CHECK(DroppedIndexes(*f.db).empty());
  CHECK(Rows(*f.db, "SELECT DISTINCT typeof(stamps) FROM visits") ==
        std::vector<std::string>{"blob|"});
  CHECK(Rows(*f.db, "SELECT DISTINCT typeof(stamps) FROM households") ==
        std::vector<std::string>{"blob|"});
}

TEST_CASE("Migration v11: a v10 file keeps every record and its stamps, in the binary form") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("v10.db");
  std::vector<std::string> before;  // every record as the fixture's file reads
  {
    test::LeaderFixture f;
    before = Records(*f.db);
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  REQUIRE(before.size() > 10);
  BackToV10(path, clock);
  int64_t json_bytes = 0;
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw,
                               "SELECT sum(length(stamps)) FROM visits WHERE "
                               "typeof(stamps) = 'text' AND stamps LIKE '{%'",
                               -1, &q, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    json_bytes = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(raw);
  }
  REQUIRE(json_bytes > 0);  // the v10 file really holds JSON stamps

  auto db = test::OpenOrDie(path, clock);  // migrates
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(DroppedIndexes(*db).empty());
  for (const RecordDef& def : RecordDefs())
    CHECK_MESSAGE(
        Rows(*db, std::string("SELECT count(*) FROM ") + def.table +
                      " WHERE typeof(stamps) <> 'blob'") == std::vector<std::string>{"0|"},
        def.table);
  const auto binary_bytes = std::stoll(Rows(*db, "SELECT sum(length(stamps)) FROM visits")[0]);
  CHECK(binary_bytes * 5 < json_bytes);
  CHECK(db->IntegrityCheck().value() == "ok");

  CHECK(Records(*db) == before);  // values and stamps, record by record
  Database& again = *db;

  // A local edit after the upgrade logs the stamp it replaces as its base, as before.
  const std::string visit_id = Rows(again, "SELECT id FROM visits WHERE deleted = 0 LIMIT 1")[0];
  const std::string id = visit_id.substr(0, visit_id.size() - 1);
  auto old = ReadRow(again.impl(), *FindRecordDef("visit"), id);
  REQUIRE(old.ok());
  const Stamp base = FieldStamp(*old, "notes");
  REQUIRE(base.hlc > 0);
  Database::Impl& d = again.impl();
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef("visit"), id, {{"notes", "sau nâng cấp"}});
    return w ? Status::Ok() : w.error();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  auto pending = ChangeLog(again).Pending(0, 100000);
  REQUIRE(pending.ok());
  REQUIRE(!pending->empty());
  CHECK(pending->back().field == "notes");
  CHECK(pending->back().base_hlc == base.hlc);
  CHECK(pending->back().base_device == base.device);
}

}  // namespace
}  // namespace gocua
