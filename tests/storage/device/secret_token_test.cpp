// The hub's bearer token lives in the `secret` table, never in `meta` (storage/core/database.cpp,
// EnsureLocalTables): saved there at enrollment, and moved there from an older file's meta.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/sqlite_db.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

// How many rows of `table` hold `text` in any column (read with plain SQL).
int64_t RowsHolding(Database& db, const std::string& table, const std::string& text) {
  Status st;
  auto q = db.impl().Prepare("SELECT count(*) FROM " + table +
                                 " WHERE key LIKE '%' || ?1 || '%' OR value LIKE '%' || ?1 || '%'",
                             &st);
  REQUIRE(q);
  q->Bind(1, text);
  REQUIRE(q->Step() == SQLITE_ROW);
  return q->Int(0);
}

TEST_CASE("Token: SaveEnrollment keeps the token out of meta, and State reads it back") {
  test::CommuneFixture f;
  const std::string token = "tok-5f2a9c1e0b7d4e3a";
  REQUIRE(Replica(*f.db)
              .SaveEnrollment("http://127.0.0.1:1", token, Places(*f.db).LocalCommune()->id)
              .ok());
  CHECK(RowsHolding(*f.db, "meta", token) == 0);
  CHECK(RowsHolding(*f.db, "secret", token) == 1);
  auto state = Replica(*f.db).State();
  REQUIRE(state.ok());
  CHECK(state->token == token);
  CHECK(state->hub_url == "http://127.0.0.1:1");
}

TEST_CASE("Token: an older file's token in meta moves to the secret table when it is opened") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("gocua.db");
  test::OpenOrDie(path, clock).reset();
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  REQUIRE(sqlite3_exec(raw,
                       "INSERT INTO meta(key, value) VALUES('hub_token', 'old-token-77'),"
                       "('hub_url', 'http://h'); DELETE FROM secret;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto db = test::OpenOrDie(path, clock);
  CHECK(RowsHolding(*db, "meta", "old-token-77") == 0);
  auto state = Replica(*db).State();
  REQUIRE(state.ok());
  CHECK(state->token == "old-token-77");
}

}  // namespace
}  // namespace gocua
