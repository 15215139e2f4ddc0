// InsertRows (storage/device/derived_rows.h): many rows in statements of 64, 16, 4 and 1 rows. Every
// row arrives, once, in order, with its NULLs and integers, whatever the count; an upsert tail
// applies to each row; an error names the table and leaves the transaction to roll back.
#include "storage/device/derived_rows.h"

#include <doctest/doctest.h>

#include <deque>

#include "tests/support/fixture.h"

namespace gocua {
namespace {

std::vector<std::string> Rows(Database::Impl& d, const std::string& sql) {
  Status st;
  auto q = d.Prepare(sql, &st);
  REQUIRE_MESSAGE(q, st.message());
  const int cols = sqlite3_column_count(q->raw());
  std::vector<std::string> out;
  while (q->Step() == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < cols; ++c) row += (q->IsNull(c) ? "NULL" : q->Text(c)) + "|";
    out.push_back(std::move(row));
  }
  return out;
}

TEST_CASE("InsertRows: every row once, in order, for any count") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  REQUIRE(d.Exec("CREATE TEMP TABLE t(seq INTEGER PRIMARY KEY, a, b)").ok());
  for (size_t n : {0, 1, 3, 4, 5, 15, 16, 17, 63, 64, 65, 85, 100, 129, 200, 1000}) {
    CAPTURE(n);
    REQUIRE(d.Exec("DELETE FROM t").ok());
    std::vector<Cell> cells;
    std::vector<std::string> want;
    std::deque<std::string> text;  // the cells' text, kept in place
    for (size_t i = 0; i < n; ++i) {
      const auto seq = static_cast<int64_t>(i);
      Cell b = i % 3 == 0   ? Cell()
               : i % 3 == 1 ? Cell(seq * 7)
                            : Cell(text.emplace_back("x" + std::to_string(i)));
      want.push_back(std::to_string(i) + "|r" + std::to_string(i) + "|" +
                     (i % 3 == 0   ? "NULL"
                      : i % 3 == 1 ? std::to_string(seq * 7)
                                   : "x" + std::to_string(i)) +
                     "|");
      cells.insert(cells.end(), {seq, text.emplace_back("r" + std::to_string(i)), b});
    }
    Status st = d.Transact([&] { return InsertRows(d, "INSERT INTO t(seq, a, b)", 3, cells, "", "t"); });
    REQUIRE_MESSAGE(st.ok(), st.message());
    CHECK(Rows(d, "SELECT seq, a, b FROM t ORDER BY rowid") == want);
    CHECK(Rows(d, "SELECT typeof(b) FROM t WHERE seq = 1") ==
          std::vector<std::string>(n > 1 ? 1 : 0, "integer|"));
  }
}

TEST_CASE("InsertRows: an upsert tail applies to each row, also within one statement") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  REQUIRE(d.Exec("CREATE TEMP TABLE sums(k TEXT PRIMARY KEY, n INTEGER NOT NULL)").ok());
  const std::string keys[] = {"a", "b", "c", "d", "e"};
  std::vector<Cell> cells;
  for (int i = 0; i < 70; ++i) cells.insert(cells.end(), {keys[i % 5], int64_t{1}});
  Status st = d.Transact([&] {
    return InsertRows(d, "INSERT INTO sums(k, n)", 2, cells,
                      "ON CONFLICT(k) DO UPDATE SET n = n + excluded.n", "sums");
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  CHECK(Rows(d, "SELECT k, n FROM sums ORDER BY k") ==
        std::vector<std::string>{"a|14|", "b|14|", "c|14|", "d|14|", "e|14|"});
}

TEST_CASE("InsertRows: a constraint error names the table and writes nothing") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  REQUIRE(d.Exec("CREATE TEMP TABLE u(k TEXT PRIMARY KEY)").ok());
  std::deque<std::string> keys;
  std::vector<Cell> cells;
  for (int i = 0; i < 100; ++i) cells.push_back(keys.emplace_back("k" + std::to_string(i)));
  cells.push_back(keys.emplace_back("k5"));  // a duplicate, in the last statement
  Status st = d.Transact([&] { return InsertRows(d, "INSERT INTO u(k)", 1, cells, "", "table u"); });
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == ErrorCode::kConflict);
  CHECK(st.message().rfind("table u: ", 0) == 0);
  CHECK(Rows(d, "SELECT count(*) FROM u") == std::vector<std::string>{"0|"});
}

TEST_CASE("IdArray: a JSON array that json_each reads back, whatever the ids hold") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  const std::set<std::string> ids = {"a", "b\"c", "đ", "x\\y", ""};
  Status st;
  auto q = d.Prepare("SELECT value FROM json_each(?1) ORDER BY value", &st);
  REQUIRE(q);
  q->Bind(1, IdArray(ids));
  std::set<std::string> back;
  while (q->Step() == SQLITE_ROW) back.insert(q->Text(0));
  CHECK(back == ids);
}

}  // namespace
}  // namespace gocua
