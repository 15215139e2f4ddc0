// Database::Impl::Transact (storage/core/sqlite_db.h) when its body throws, and the meta values
// the transaction reads (the clock, the change-log counter) when reading them fails.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "storage/core/change_log.h"
#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/places.h"
#include "tests/support/fault_vfs.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

TEST_CASE("Transact: a body that throws rolls back, and the next write succeeds") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  const int64_t seq_before = *ChangeLog(*f.db).LastSeq();
  const std::string village_count_sql = "SELECT count(*) FROM villages";
  for (const char* what : {"stoll", "json", "strict writer"}) {
    CAPTURE(std::string(what));
    bool threw = false;
    Status st;
    try {
      st = d.Transact([&]() -> Status {
        // Something written before the throw must not stay.
        if (Status s = d.SetMeta("half_written", "yes"); !s) return s;
        const std::string w = what;
        if (w == "stoll") (void)std::stoll("not a number");
        if (w == "json") (void)nlohmann::json("text").get<int>();
        if (w == "strict writer") (void)nlohmann::json(std::string("\xff\xfe")).dump();
        return Status::Ok();
      });
    } catch (const std::exception&) {
      threw = true;  // the contract says the exception becomes a Status
    }
    CHECK_FALSE(threw);
    CHECK_FALSE(st.ok());
    CHECK(st.code() == ErrorCode::kInternal);
    CHECK(d.GetMeta("half_written").empty());
    CHECK_FALSE(d.in_tx);
    // The connection is not left inside BEGIN IMMEDIATE: a normal write works and commits.
    auto v = Places(*f.db).AddVillage(std::string("Thôn ") + what);
    CHECK_MESSAGE(v.ok(), (v.ok() ? "" : v.error().message()));
  }
  CHECK(*ChangeLog(*f.db).LastSeq() > seq_before);
  // Another connection sees the villages: they were committed, not held in an open transaction.
  auto other = test::OpenOrDie(f.dir.File("gocua.db"), f.clock);
  auto villages = Places(*other).Villages();
  REQUIRE(villages.ok());
  CHECK(villages->size() == 4);  // Thôn Đông and the three above
}

TEST_CASE("Meta: a failed read of the change-log counter is an error, never 0") {
  test::FaultVfs vfs;
  test::DefaultVfsScope scope(vfs);
  test::CommuneFixture f;
  const auto last = ChangeLog(*f.db).LastSeq();
  REQUIRE(last.ok());
  REQUIRE(*last > 0);
  int failures = 0;
  for (int n = 1;; ++n) {
    CAPTURE(n);
    REQUIRE(n < 100);
    f.db->ReleaseMemory();  // the pages come from the file, where the fault is
    vfs.Arm(test::FaultKind::kRead, n, SQLITE_IOERR_READ);
    const auto seq = ChangeLog(*f.db).LastSeq();
    const bool fired = vfs.Fired();
    vfs.Disarm();
    if (!fired) {
      REQUIRE(seq.ok());
      CHECK(*seq == *last);
      break;
    }
    ++failures;
    // Either the read failed and says so, or it read the right value (a read SQLite retried).
    if (seq.ok()) CHECK(*seq == *last);
  }
  CHECK(failures > 0);
}

TEST_CASE("Database: a failed read says the disk could not be read, not that it is full") {
  test::FaultVfs vfs;
  test::DefaultVfsScope scope(vfs);
  test::CommuneFixture f;
  int failures = 0;
  for (int n = 1; n < 100; ++n) {
    CAPTURE(n);
    f.db->ReleaseMemory();  // the pages come from the file, where the fault is
    vfs.Arm(test::FaultKind::kRead, n, SQLITE_IOERR_READ);
    const auto seq = ChangeLog(*f.db).LastSeq();
    const bool fired = vfs.Fired();
    vfs.Disarm();
    if (!fired) break;
    if (seq.ok()) continue;  // a read SQLite retried
    ++failures;
    CHECK(seq.error().message().find("Không đọc được dữ liệu từ ổ đĩa") != std::string::npos);
    CHECK(seq.error().message().find("đã đầy") == std::string::npos);
  }
  CHECK(failures > 0);
}

TEST_CASE("Meta: a write whose clock or counter cannot be read fails, nothing is written") {
  test::FaultVfs vfs;
  test::DefaultVfsScope scope(vfs);
  test::CommuneFixture f;
  const int64_t last = *ChangeLog(*f.db).LastSeq();
  int failures = 0;
  for (int n = 1;; ++n) {
    CAPTURE(n);
    REQUIRE(n < 200);
    const int64_t before = *ChangeLog(*f.db).LastSeq();
    f.db->ReleaseMemory();
    // One bad read (not a disk gone): the next read of the same page works, so a caller
    // that swallowed the error goes on with a wrong value.
    vfs.Arm(test::FaultKind::kRead, n, SQLITE_IOERR_READ, /*persistent=*/false);
    // The transaction alone (AddVillage reads the village again after it commits).
    Database::Impl& d = f.db->impl();
    Status v = d.Transact([&]() -> Status {
      auto w =
          WriteLocal(d, *FindRecordDef("village"), NewUuidV7(f.clock.NowMs()),
                     {{"commune_id", f.village.commune_id}, {"name", "Thôn " + std::to_string(n)}});
      return w ? Status::Ok() : w.error();
    });
    const bool fired = vfs.Fired();
    vfs.Disarm();
    const int64_t after = *ChangeLog(*f.db).LastSeq();
    // The change log stays dense: a write either added its entries after the last one, or
    // nothing at all. (Before the fix a failed read of last_seq gave 0, and the write reused
    // seq 1, or failed on it.)
    auto rows = test::OpenOrDie(f.dir.File("gocua.db"), f.clock);
    auto log = ChangeLog(*rows).Pending(0, -1);
    REQUIRE(log.ok());
    CHECK((log->empty() ? 0 : log->back().seq) == after);
    // ... and its stamps only go forward: a failed read of the clock must not restart it.
    for (size_t i = 1; i < log->size(); ++i) CHECK((*log)[i].hlc > (*log)[i - 1].hlc);
    if (v.ok()) {
      CHECK(after == before + 2);  // the village's commune_id and name
    } else {
      CHECK(after == before);
    }
    if (!fired) {
      REQUIRE(v.ok());
      break;
    }
    ++failures;
  }
  CHECK(failures > 0);
  CHECK(*ChangeLog(*f.db).LastSeq() > last);
}

}  // namespace
}  // namespace gocua
