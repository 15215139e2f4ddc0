#pragma once
// What the fault-injection loops (tests/support/fault_vfs.h) compare before and after a failed
// operation: everything a device holds. The canonical export (records), the tables kept from
// them (derived_history.h's Snapshot), every meta row (clock, change-log counter, pull cursor)
// and the change log itself. Header-only; for the test's thread.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "storage/io/export.h"
#include "tests/support/derived_history.h"

namespace gocua::test {

struct DbState {
  std::string records;  // ExportCanonicalJson
  std::map<std::string, std::vector<std::string>> tables;
  std::vector<std::string> meta, outbox;
  bool operator==(const DbState&) const = default;
};

inline DbState StateOf(Database& db) {
  DbState s;
  auto e = ExportCanonicalJson(db);
  REQUIRE_MESSAGE(e.ok(), e.error().message());
  s.records = *e;
  s.tables = Snapshot(db);
  s.meta = Rows(db, "SELECT key, value FROM meta ORDER BY key");
  s.outbox = Rows(db, "SELECT * FROM outbox_runs ORDER BY seq");
  return s;
}

// After a failed operation: the file is sound and holds exactly `before`.
inline void CheckUnchanged(Database& db, const DbState& before, const std::string& when) {
  auto ic = db.IntegrityCheck();
  REQUIRE_MESSAGE(ic.ok(), (when + ": " + ic.error().message()));
  CHECK_MESSAGE(*ic == "ok", when);
  const DbState now = StateOf(db);
  CHECK_MESSAGE(now.records == before.records, (when + ": records changed"));
  CheckSame(now.tables, before.tables, when);
  CHECK_MESSAGE(now.meta == before.meta, (when + ": meta changed"));
  CHECK_MESSAGE(now.outbox == before.outbox, (when + ": change log changed"));
}

}  // namespace gocua::test
