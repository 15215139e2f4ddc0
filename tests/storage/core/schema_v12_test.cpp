// Migration v12 (storage/core/migrations.cpp, storage/core/outbox_runs.h): the change log a
// record run a row instead of a field a row, on a file made by the v11 schema (a fixture's file
// taken back to it: the per-field outbox table of v1/v2 holding every entry, no outbox_runs,
// user_version 11). Every entry reads back the same — seq, field, value, base, seen, hlc,
// author — and the file keeps working: a new write follows the last seq, a partial
// acknowledgement, integrity.
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

std::string Line(const ChangeEntry& e) {
  return std::to_string(e.seq) + "|" + e.record_type + "|" + e.record_id + "|" + e.field + "|" +
         e.value.dump() + "|" + std::to_string(e.base_hlc) + "|" + e.base_device + "|" +
         std::to_string(e.hlc) + "|" + e.author + "|" + std::to_string(e.seen_hlc) + "|" +
         e.seen_device;
}

std::vector<std::string> Log(Database& db) {
  auto all = ChangeLog(db).Pending(0, -1);
  REQUIRE_MESSAGE(all.ok(), all.error().message());
  std::vector<std::string> out;
  for (const ChangeEntry& e : *all) out.push_back(Line(e));
  return out;
}

// Takes the file at `path` (schema v12) back to what schema v11 held: the same entries in the
// per-field outbox table (v1's columns and v2's), no outbox_runs, user_version 11.
void BackToV11(const std::string& path, ManualClock& clock) {
  std::vector<ChangeEntry> entries;
  {
    auto db = test::OpenOrDie(path, clock);
    auto all = ChangeLog(*db).Pending(0, -1);
    REQUIRE(all.ok());
    entries = *all;
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "CREATE TABLE outbox(seq INTEGER PRIMARY KEY, record_type TEXT NOT NULL, "
                       "record_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, "
                       "base_hlc INTEGER NOT NULL, base_device TEXT NOT NULL, "
                       "hlc INTEGER NOT NULL, author TEXT NOT NULL DEFAULT '', "
                       "seen_hlc INTEGER NOT NULL DEFAULT 0, "
                       "seen_device TEXT NOT NULL DEFAULT ''); BEGIN",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "INSERT INTO outbox VALUES(?,?,?,?,?,?,?,?,?,?,?)", -1, &q,
                             nullptr) == SQLITE_OK);
  for (const ChangeEntry& e : entries) {
    const std::string value = e.value.dump();
    sqlite3_bind_int64(q, 1, e.seq);
    sqlite3_bind_text(q, 2, e.record_type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 3, e.record_id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 4, e.field.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 5, value.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 6, e.base_hlc);
    sqlite3_bind_text(q, 7, e.base_device.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 8, e.hlc);
    sqlite3_bind_text(q, 9, e.author.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(q, 10, e.seen_hlc);
    sqlite3_bind_text(q, 11, e.seen_device.c_str(), -1, SQLITE_TRANSIENT);
    REQUIRE(sqlite3_step(q) == SQLITE_DONE);
    sqlite3_reset(q);
  }
  sqlite3_finalize(q);
  REQUIRE(sqlite3_exec(raw, "DROP TABLE outbox_runs; PRAGMA user_version = 11; COMMIT", nullptr,
                       nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
}

Status Write(Database& db, const char* type, const std::string& id, const nlohmann::json& c) {
  Database::Impl& d = db.impl();
  return d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef(type), id, c);
    return w ? Status::Ok() : w.error();
  });
}

TEST_CASE("Migration v12: a v11 file's change log reads the same, a record run a row") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("v11.db");
  std::vector<std::string> before;
  int64_t last_seq = 0;
  {
    test::LeaderFixture f;
    // Entries of every kind: an author, an edit's base stamp, a delete's seen stamp.
    f.db->SetAuthor(f.member.id);
    REQUIRE(Write(*f.db, "visit", f.v["V1"].id, {{"notes", "đã sửa"}}).ok());
    REQUIRE(Write(*f.db, "visit", f.v["V2"].id, {{"deleted", 1}}).ok());
    before = Log(*f.db);
    last_seq = *ChangeLog(*f.db).LastSeq();
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  REQUIRE(before.size() > 100);
  BackToV11(path, clock);
  {  // the v11 file really holds the per-field table
    auto raw_rows = [&](const char* sql) {
      sqlite3* raw = nullptr;
      REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
      sqlite3_stmt* q = nullptr;
      REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &q, nullptr) == SQLITE_OK);
      REQUIRE(sqlite3_step(q) == SQLITE_ROW);
      const int64_t n = sqlite3_column_int64(q, 0);
      sqlite3_finalize(q);
      sqlite3_close(raw);
      return n;
    };
    CHECK(raw_rows("SELECT count(*) FROM outbox") == static_cast<int64_t>(before.size()));
    CHECK(raw_rows("PRAGMA user_version") == 11);
  }

  auto db = test::OpenOrDie(path, clock);  // migrates
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Rows(*db, "SELECT count(*) FROM sqlite_schema WHERE name = 'outbox'") ==
        std::vector<std::string>{"0|"});
  CHECK(Log(*db) == before);  // entry by entry
  CHECK(*ChangeLog(*db).PendingCount() == static_cast<int64_t>(before.size()));
  CHECK(*ChangeLog(*db).LastSeq() == last_seq);
  const auto runs = std::stoll(Rows(*db, "SELECT count(*) FROM outbox_runs")[0]);
  CHECK(runs > 0);
  CHECK(runs * 3 < static_cast<int64_t>(before.size()));  // runs, not fields
  CHECK(db->IntegrityCheck().value() == "ok");

  // The file keeps working: a new write follows the last seq, as one row.
  const auto rows_before = runs;
  auto v3 = Rows(*db, "SELECT id FROM visits WHERE deleted = 0 LIMIT 1")[0];
  v3.pop_back();
  REQUIRE(Write(*db, "visit", v3, {{"notes", "sau nâng cấp"}, {"followup_on", "2026-04-01"}}).ok());
  auto after = ChangeLog(*db).Pending(last_seq, 100);
  REQUIRE(after.ok());
  REQUIRE(after->size() == 2);
  CHECK((*after)[0].seq == last_seq + 1);
  CHECK((*after)[1].seq == last_seq + 2);
  CHECK(std::stoll(Rows(*db, "SELECT count(*) FROM outbox_runs")[0]) == rows_before + 1);
  // An acknowledgement part way into a run keeps the rest of it.
  REQUIRE(ChangeLog(*db).Acknowledge(last_seq + 1).ok());
  auto rest = ChangeLog(*db).Pending(0, -1);
  REQUIRE(rest.ok());
  REQUIRE(rest->size() == 1);
  CHECK(Line(rest->front()) == Line((*after)[1]));
}

TEST_CASE("Migration v12: reading a file whose per-field log is already gone changes nothing") {
  test::LeaderFixture f;
  const auto before = Log(*f.db);
  f.db.reset();
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(f.dir.File("gocua.db").c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 11", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto db = test::OpenOrDie(f.dir.File("gocua.db"), f.clock);  // runs v12 again
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Log(*db) == before);
}

}  // namespace
}  // namespace gocua
