#pragma once
// What the migration tests (schema_v15_test.cpp, schema_v16_test.cpp) compare an upgraded file
// by: its indexes and triggers, and the bulk path it is held against. For the test's thread.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "storage/device/replica.h"
#include "tests/support/derived_history.h"

namespace gocua::test {

// Groups [from, to) as pulled pages of 20 groups each: the bulk path, no triggers.
inline void ApplyPulled(Database& db, const std::vector<std::vector<RemoteOp>>& groups, size_t from,
                        size_t to) {
  for (size_t g = from; g < to;) {
    std::vector<RemoteOp> page;
    for (size_t n = 0; n < 20 && g < to; ++n, ++g)
      page.insert(page.end(), groups[g].begin(), groups[g].end());
    Status st = Replica(db).ApplyPulled(page, "c" + std::to_string(g));
    REQUIRE_MESSAGE(st.ok(), st.message());
  }
}

// Indexes and triggers, each with its SQL.
inline std::vector<std::string> Objects(Database& db) {
  return Rows(db,
              "SELECT type, name, tbl_name, sql FROM sqlite_schema "
              "WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY name");
}

// The SQL of object `name`, "" if there is none.
inline std::string TriggerSql(Database& db, const std::string& name) {
  auto rows = Rows(db, "SELECT sql FROM sqlite_schema WHERE name = '" + name + "'");
  return rows.empty() ? "" : rows[0];
}

// A random history (seed `seed`): its first half through the triggers into a file, which
// `take_back` then takes back to an older schema and `check_old` looks at (raw: opening it
// would migrate it). Opened, the file must keep its derived rows, have the objects a new file
// has and pass an integrity check; then the rest of the history goes through its triggers,
// and every derived table must equal the bulk path's over the whole history. Returns the
// upgraded file's tables at the end.
inline std::map<std::string, std::vector<std::string>> CheckUpgrade(
    uint32_t seed, const std::function<void(const std::string&)>& take_back,
    const std::function<void(const std::string&)>& check_old) {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  const std::string old_path = dir.File("old.db");
  History history(seed);
  const auto groups = history.Generate(400, 200);
  const size_t half = groups.size() / 2;
  auto bulk = OpenOrDie(dir.File("bulk.db"), clock);
  ApplyPulled(*bulk, groups, 0, half);
  std::map<std::string, std::vector<std::string>> before;
  {
    auto old = OpenOrDie(old_path, clock);
    ApplyOneByOne(*old, groups, 0, half);
    before = Snapshot(*old);
  }
  take_back(old_path);
  check_old(old_path);

  auto db = OpenOrDie(old_path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CheckSame(Snapshot(*db), before, "after the upgrade");
  auto fresh = OpenOrDie(dir.File("new.db"), clock);
  CHECK(Objects(*db) == Objects(*fresh));
  CHECK(db->IntegrityCheck().value() == "ok");

  // The upgraded file's triggers against the bulk path, over the rest of the history.
  ApplyOneByOne(*db, groups, half, groups.size());
  ApplyPulled(*bulk, groups, half, groups.size());
  auto end = Snapshot(*db);
  CheckSame(Snapshot(*bulk), end, "after the rest of the history");
  return end;
}

}  // namespace gocua::test
