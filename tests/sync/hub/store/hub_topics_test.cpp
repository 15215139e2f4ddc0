// A new hub's topic catalog is the one devices seed (storage/core/topic_catalog.h): the hub's
// schema step seeds it from BuiltinTopics(), so the two cannot diverge.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "storage/core/topic_catalog.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

struct TopicRow {
  std::string id, name_vi, name_en, skill;
  int64_t sort = 0, deleted = 0;
  std::string stamps;
  bool operator==(const TopicRow&) const = default;
};

std::vector<TopicRow> HubTopics(const std::string& file) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw,
                             "SELECT id, name_vi, name_en, skill, sort, deleted, stamps "
                             "FROM topics ORDER BY sort, id",
                             -1, &q, nullptr) == SQLITE_OK);
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(q, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  std::vector<TopicRow> rows;
  int rc;
  while ((rc = sqlite3_step(q)) == SQLITE_ROW)
    rows.push_back({text(0), text(1), text(2), text(3), sqlite3_column_int64(q, 4),
                    sqlite3_column_int64(q, 5), text(6)});
  CHECK(rc == SQLITE_DONE);
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return rows;
}

TEST_CASE("HubStore: a new hub's topic rows are the device catalog, with zero stamps") {
  HubFixture f;
  std::vector<TopicRow> want;
  for (const Topic& t : BuiltinTopics())
    want.push_back({t.id, t.name_vi, t.name_en, t.skill, t.sort, 0, "{}"});
  REQUIRE(!want.empty());
  const std::vector<TopicRow> got = HubTopics(f.dir.File("hub.db"));
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    INFO("topic " << want[i].id);
    CHECK(got[i] == want[i]);
  }
}

}  // namespace
}  // namespace gocua::hub_store_test
