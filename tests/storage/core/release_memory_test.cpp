// Database::ReleaseMemory: the page cache a connection keeps after reading gives its memory
// back, and nothing a reader sees changes — not even a statement still running.
#include <doctest/doctest.h>

#include <string>

#include "storage/core/database.h"
#include "storage/core/sqlite_db.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;

// ~2 MiB of rows (512 pages of 4 KiB): far more than SQLite keeps without being asked.
constexpr int kRows = 2000;
constexpr int64_t kRowBytes = 1000;

void Fill(Database& db) {
  REQUIRE(db.impl().Exec("CREATE TABLE filler(n INTEGER PRIMARY KEY, x BLOB)").ok());
  const std::string insert =
      "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < " +
      std::to_string(kRows) + ") INSERT INTO filler SELECT n, zeroblob(" +
      std::to_string(kRowBytes) + ") FROM r";
  REQUIRE(db.impl().Exec(insert.c_str()).ok());
}

int64_t SumOfLengths(Database& db) {
  Status st;
  auto q = db.impl().Prepare("SELECT sum(length(x)) FROM filler", &st);
  REQUIRE(q);
  REQUIRE(q->Step() == SQLITE_ROW);
  return q->Int(0);
}

TEST_CASE("Database::ReleaseMemory: the pages a read cached are freed, the data reads the same") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  { Fill(*OpenOrDie(dir.File("a.db"), clock)); }
  auto db = OpenOrDie(dir.File("a.db"), clock);  // a fresh connection: an empty cache

  REQUIRE(SumOfLengths(*db) == kRows * kRowBytes);
  const int64_t cached = db->CacheBytes();
  CHECK(cached > kRows * kRowBytes);  // the read left the table's pages in the cache

  const int64_t released = db->ReleaseMemory();
  CHECK(released > kRows * kRowBytes);
  CHECK(db->CacheBytes() == cached - released);
  CHECK(db->CacheBytes() < 256 * 1024);  // a few pages' worth at most

  CHECK(SumOfLengths(*db) == kRows * kRowBytes);  // read again, through the file
  CHECK(db->CacheBytes() > kRows * kRowBytes);
}

TEST_CASE("Database::ReleaseMemory: a statement in the middle of its rows keeps reading them") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  { Fill(*OpenOrDie(dir.File("a.db"), clock)); }
  auto db = OpenOrDie(dir.File("a.db"), clock);

  Status st;
  auto q = db->impl().Prepare("SELECT n, length(x) FROM filler ORDER BY n", &st);
  REQUIRE(q);
  int64_t rows = 0, bytes = 0;
  bool released = false;
  while (q->Step() == SQLITE_ROW) {
    ++rows;
    CHECK(q->Int(0) == rows);
    bytes += q->Int(1);
    if (rows == kRows / 2) released = db->ReleaseMemory() > 0;
  }
  CHECK(released);  // the pages already read were dropped mid-scan
  CHECK(rows == kRows);
  CHECK(bytes == kRows * kRowBytes);
}

}  // namespace
}  // namespace gocua
