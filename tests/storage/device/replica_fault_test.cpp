// A pulled group (Replica::ApplyPulled over a span of pages) under I/O faults, in SQLite's
// manner: for N = 1, 2, ... the Nth write (or sync) of the database's files fails, until the
// group needs fewer than N. Every time, the error reaches the caller as a Status, the file
// passes PRAGMA integrity_check and holds exactly what it held before (records, derived
// tables, meta with the cursor, change log); the group retried without faults then leaves
// exactly what a clean run leaves.
#include <doctest/doctest.h>

#include <span>

#include "storage/device/replica.h"
#include "tests/storage/fault_state.h"
#include "tests/support/fault_vfs.h"

namespace gocua {
namespace {

using test::FaultKind;
using test::FaultVfs;

std::vector<std::vector<RemoteOp>> Pages() {
  const auto groups = test::History(21).Generate(120, 80);
  std::vector<std::vector<RemoteOp>> pages;
  for (size_t i = 0; i < groups.size(); ++i) {
    if (i % 6 == 0) pages.emplace_back();
    pages.back().insert(pages.back().end(), groups[i].begin(), groups[i].end());
  }
  return pages;
}

std::vector<CheckedPage> Checked(const std::vector<std::vector<RemoteOp>>& pages, size_t from,
                                 size_t to) {
  std::vector<CheckedPage> out;
  for (size_t i = from; i < to; ++i) out.push_back(CheckPulled(pages[i]));
  return out;
}

TEST_CASE("Replica: a pulled group meeting a failing write or sync applies nothing") {
  const auto pages = Pages();
  REQUIRE(pages.size() >= 8);
  const size_t split = pages.size() / 2;  // pages before: applied; after: the group
  const std::string cursor = "c" + std::to_string(pages.size());
  test::DbState clean_after;
  {
    test::TempDir dir;
    ManualClock clock(test::kTestNowMs);
    auto db = test::OpenOrDie(dir.File("clean.db"), clock);
    auto first = Checked(pages, 0, split);
    REQUIRE(Replica(*db).ApplyPulled(std::span<CheckedPage>(first), "c").ok());
    auto group = Checked(pages, split, pages.size());
    REQUIRE(Replica(*db).ApplyPulled(std::span<CheckedPage>(group), cursor).ok());
    clean_after = test::StateOf(*db);
  }
  struct Fault {
    FaultKind kind;
    int error;
    const char* name;
  };
  for (const Fault fault : {Fault{FaultKind::kWrite, SQLITE_IOERR_WRITE, "write"},
                            Fault{FaultKind::kWrite, SQLITE_FULL, "write, disk full"},
                            Fault{FaultKind::kSync, SQLITE_IOERR_FSYNC, "sync"},
                            Fault{FaultKind::kTruncate, SQLITE_IOERR_TRUNCATE, "truncate"},
                            Fault{FaultKind::kRead, SQLITE_IOERR_READ, "read"}}) {
    const std::string fault_name = fault.name;
    CAPTURE(fault_name);
    FaultVfs vfs;
    test::TempDir dir;
    ManualClock clock(test::kTestNowMs);
    // Opened through the fault VFS by name (DatabaseOptions::vfs). Its device id differs from
    // the clean run's, so that run is compared on records and tables (the remote device's ops),
    // not on meta.
    auto opened = Database::Open(dir.File("gocua.db"), clock, DatabaseOptions{FaultVfs::kName});
    REQUIRE_MESSAGE(opened.ok(), opened.error().message());
    std::unique_ptr<Database> db = std::move(opened).value();
    auto first = Checked(pages, 0, split);
    REQUIRE(Replica(*db).ApplyPulled(std::span<CheckedPage>(first), "c").ok());
    const test::DbState before = test::StateOf(*db);
    int failures = 0;
    for (int n = 1;; ++n) {
      CAPTURE(n);
      REQUIRE(n < 5000);
      if (fault.kind == FaultKind::kRead) db->ReleaseMemory();
      auto group = Checked(pages, split, pages.size());
      vfs.Arm(fault.kind, n, fault.error);
      Status st = Replica(*db).ApplyPulled(std::span<CheckedPage>(group), cursor);
      const bool fired = vfs.Fired();
      vfs.Disarm();
      if (!fired) {
        REQUIRE_MESSAGE(st.ok(), st.message());
        break;
      }
      ++failures;
      CHECK_FALSE(st.ok());
      if (st.ok()) break;
      test::CheckUnchanged(*db, before, std::string(fault.name) + " #" + std::to_string(n));
    }
    const test::DbState after = test::StateOf(*db);
    CHECK(after.records == clean_after.records);
    test::CheckSame(after.tables, clean_after.tables, std::string(fault.name) + ", retried");
    CHECK(Replica(*db).State()->cursor == cursor);
    // A pulled group commits without fsync (synchronous = NORMAL, replica.cpp) and may
    // truncate nothing: those loops may meet no call to fail.
    if (fault.kind != FaultKind::kSync && fault.kind != FaultKind::kTruncate) CHECK(failures > 0);
    MESSAGE(fault_name << ": " << failures << " failing runs before the clean one");
  }
}

}  // namespace
}  // namespace gocua
