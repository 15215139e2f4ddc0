// A household import (storage/io/household_import.h) under I/O faults, in SQLite's manner:
// for N = 1, 2, ... the Nth write (or sync) of the database's files fails, until the import
// needs fewer than N. Every time, the error reaches the caller as a Status, the file passes
// PRAGMA integrity_check and holds exactly what it held before; the same import then retried
// without faults gives what a clean run gives.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "storage/device/places.h"
#include "storage/io/household_import.h"
#include "tests/storage/fault_state.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::FaultKind;
using test::FaultVfs;

std::string Spreadsheet() {
  std::string csv = "Thôn;Số nhà;Chủ hộ;Số điện thoại;Số nhân khẩu;Internet tại nhà\n";
  for (int i = 0; i < 40; ++i)
    csv += std::string(i % 2 ? "Thôn Đông" : "Thôn Tây") + ";" + std::to_string(i) +
           ";Nguyễn Văn " + std::to_string(i) + ";09123456" + std::to_string(10 + i) + ";" +
           std::to_string(1 + i % 5) + ";" + (i % 3 ? "Có" : "Không") + "\n";
  return csv;
}

// The households as a person reads them: the CSV export without its id column, sorted.
std::string Households(Database& db) {
  auto csv = ExportCsv(db, "households");
  REQUIRE_MESSAGE(csv.ok(), csv.error().message());
  std::istringstream in(*csv);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line.substr(0, line.rfind(',')));
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

struct Fault {
  FaultKind kind;
  int error;
  const char* name;
};

TEST_CASE("Import: a write or sync failing at any point leaves the database as it was") {
  const std::string csv = Spreadsheet();
  std::string clean_households;
  size_t clean_imported = 0;
  {
    test::CommuneFixture clean;
    REQUIRE(Places(*clean.db).AddVillage("Thôn Tây").ok());
    auto r = ImportHouseholdsCsv(*clean.db, csv, {});
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    REQUIRE(r->problems.empty());
    clean_imported = r->imported;
    clean_households = Households(*clean.db);
    REQUIRE(clean_imported == 40);
  }
  for (const Fault fault : {Fault{FaultKind::kWrite, SQLITE_IOERR_WRITE, "write"},
                            Fault{FaultKind::kWrite, SQLITE_FULL, "write, disk full"},
                            Fault{FaultKind::kSync, SQLITE_IOERR_FSYNC, "sync"},
                            Fault{FaultKind::kRead, SQLITE_IOERR_READ, "read"}}) {
    const std::string fault_name = fault.name;
    CAPTURE(fault_name);
    FaultVfs vfs;
    test::DefaultVfsScope scope(vfs);  // the fixture's connection goes through it
    test::CommuneFixture f;
    REQUIRE(Places(*f.db).AddVillage("Thôn Tây").ok());
    const test::DbState before = test::StateOf(*f.db);
    int failures = 0;
    for (int n = 1;; ++n) {
      CAPTURE(n);
      REQUIRE(n < 2000);
      // A read fault needs the pages to come from the file, not the connection's cache.
      if (fault.kind == FaultKind::kRead) f.db->ReleaseMemory();
      vfs.Arm(fault.kind, n, fault.error);
      auto r = ImportHouseholdsCsv(*f.db, csv, {});
      const bool fired = vfs.Fired();
      vfs.Disarm();
      if (!fired) {
        REQUIRE_MESSAGE(r.ok(), r.error().message());
        CHECK(r->imported == clean_imported);
        CHECK(r->problems.empty());
        CHECK(Households(*f.db) == clean_households);
        break;
      }
      ++failures;
      CHECK_FALSE(r.ok());
      if (r.ok()) CHECK(r->imported == 0);  // at least nothing may claim to be imported
      test::CheckUnchanged(*f.db, before, std::string(fault.name) + " #" + std::to_string(n));
    }
    CHECK(failures > 0);  // the loop met the fault at least once
    MESSAGE(fault_name << ": " << failures << " failing runs before the clean one");
  }
}

}  // namespace
}  // namespace gocua
