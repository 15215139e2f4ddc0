#include "storage/core/database.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <algorithm>
#include <fstream>
#include <thread>
#include <vector>

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "storage/core/ids.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/topics.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;

TEST_CASE("Database: a new file is migrated to the current schema with the topic catalog") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  auto db = OpenOrDie(dir.File("a.db"), clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(IsUuid(db->device_id()));
  auto topics = Topics(*db).List();
  REQUIRE(topics.ok());
  CHECK(topics->size() == BuiltinTopics().size());
  CHECK(topics->front().id == "vneid");
  CHECK(*db->IntegrityCheck() == "ok");
}

TEST_CASE("Database: reopening keeps the device id and data, and migrates nothing twice") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  std::string device;
  {
    auto db = OpenOrDie(dir.File("a.db"), clock);
    device = db->device_id();
    REQUIRE(Places(*db).SetUpCommune("Huế", "Phường Thuận Hóa").ok());
  }
  auto db = OpenOrDie(dir.File("a.db"), clock);
  CHECK(db->device_id() == device);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  auto commune = Places(*db).LocalCommune();
  REQUIRE(commune.ok());
  CHECK(commune->name == "Phường Thuận Hóa");
  CHECK(Topics(*db).List()->size() == BuiltinTopics().size());
}

TEST_CASE("Database: a file from a newer version is refused with a clear message") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  { auto db = OpenOrDie(dir.File("a.db"), clock); }
  {
    // Pretend a future Gõ Cửa wrote it.
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(dir.File("a.db").c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = Database::Open(dir.File("a.db"), clock);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code() == ErrorCode::kTooNew);
  CHECK(db.error().message().find("v99") != std::string::npos);
  CHECK(db.error().message().find("cập nhật") != std::string::npos);
}

TEST_CASE("Database: a file that is not a database is reported as such") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  {
    std::ofstream f(dir.File("junk.db"), std::ios::binary);
    f << std::string(8192, 'x');
  }
  auto db = Database::Open(dir.File("junk.db"), clock);
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code() == ErrorCode::kCorrupt);
}

TEST_CASE("Database: WAL, synchronous=FULL and foreign keys are on") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  auto db = OpenOrDie(dir.File("a.db"), clock);
  sqlite3* raw = db->impl().db;
  auto pragma = [&](const char* sql) {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, sql, -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    std::string v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
  };
  CHECK(pragma("PRAGMA journal_mode") == "wal");
  CHECK(pragma("PRAGMA synchronous") == "2");
  CHECK(pragma("PRAGMA foreign_keys") == "1");
}

TEST_CASE("Ids: UUIDv7 are well-formed, unique and sort by time") {
  std::string a = NewUuidV7(kTestNowMs), b = NewUuidV7(kTestNowMs + 1);
  CHECK(IsUuid(a));
  CHECK(a[14] == '7');  // version
  CHECK(a < b);
  CHECK(NewUuidV7(kTestNowMs) != NewUuidV7(kTestNowMs));
  CHECK_FALSE(IsUuid("not-a-uuid"));
}

TEST_CASE("Ids: UUIDv7 random bits never repeat, across pool refills and threads") {
  // Ids draw their random bits from a pool refilled 4 KiB at a time per thread: thousands of
  // ids in the same millisecond, on two threads at once, are all different.
  std::vector<std::string> ids(8000), other(8000);
  std::thread t([&] {
    for (auto& id : other) id = NewUuidV7(kTestNowMs);
  });
  for (auto& id : ids) id = NewUuidV7(kTestNowMs);
  t.join();
  ids.insert(ids.end(), other.begin(), other.end());
  std::sort(ids.begin(), ids.end());
  CHECK(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
  for (const std::string& id : ids) CHECK(IsUuid(id));
}

#ifndef _WIN32
TEST_CASE("Ids: a forked child does not hand out the ids its parent will") {
  // The parent's pool holds bytes for hundreds of ids; a child made by fork() starts afresh.
  (void)NewUuidV7(kTestNowMs);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const std::string id = NewUuidV7(kTestNowMs);
    const ssize_t n = write(fds[1], id.data(), id.size());
    _exit(n == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  const std::string mine = NewUuidV7(kTestNowMs);
  std::string theirs(36, '\0');
  const ssize_t n = read(fds[0], theirs.data(), theirs.size());
  close(fds[0]);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  REQUIRE(n == 36);
  CHECK(IsUuid(theirs));
  CHECK(theirs != mine);
}
#endif

TEST_CASE("Ids: the HLC never goes backwards and jumps past what it receives") {
  HlcTime t = HlcTick(0, 1000);
  CHECK(HlcMillis(t) == 1000);
  HlcTime t2 = HlcTick(t, 500);  // wall clock moved back
  CHECK(t2 > t);
  CHECK(HlcMillis(t2) == 1000);
  HlcTime remote = MakeHlc(5000, 7);
  HlcTime t3 = HlcObserve(t2, remote, 1200);
  CHECK(t3 > remote);
  CHECK(HlcTick(MakeHlc(10, 0xffff), 10) == MakeHlc(11, 0));  // counter overflow
}

}  // namespace
}  // namespace gocua

namespace gocua {
namespace {

TEST_CASE("Database: two connections opening a new file at once migrate it once, one device id") {
  for (int round = 0; round < 10; ++round) {
    test::TempDir dir;
    ManualClock clock(test::kTestNowMs);
    const std::string path = dir.File("new.db");
    Result<std::unique_ptr<Database>> a = Status{ErrorCode::kInternal, "not run"};
    Result<std::unique_ptr<Database>> b = Status{ErrorCode::kInternal, "not run"};
    std::thread ta([&] { a = Database::Open(path, clock); });
    std::thread tb([&] { b = Database::Open(path, clock); });
    ta.join();
    tb.join();
    REQUIRE_MESSAGE(a.ok(), a.error().message());
    REQUIRE_MESSAGE(b.ok(), b.error().message());
    CHECK((*a)->device_id() == (*b)->device_id());
    CHECK(Topics(**a).List()->size() == BuiltinTopics().size());
  }
}

// Defect: a file another program holds locked made Open retry 200 times, each try waiting out
// the 5 s busy timeout: ~17 minutes of a frozen app. It now gives up after a few seconds with a
// Vietnamese sentence saying what to do. (Put the retry back by tries and this test runs into
// ctest's timeout.)
TEST_CASE(
    "Database: a file held locked by another program fails the open soon, saying what to do") {
  TempDir dir;
  ManualClock clock(kTestNowMs);
  const std::string path = dir.File("held.db");
  { REQUIRE(Database::Open(path, clock).ok()); }
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE", nullptr, nullptr,
                       nullptr) == SQLITE_OK);
  auto held = Database::Open(path, clock);
  REQUIRE_FALSE(held.ok());
  CHECK(held.error().code() == ErrorCode::kIo);
  INFO(held.error().message());
  CHECK(held.error().message().find("đang bị một chương trình khác giữ") != std::string::npos);
  CHECK(held.error().message().find("Hãy đóng các cửa sổ Gõ Cửa khác") != std::string::npos);
  sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK(Database::Open(path, clock).ok());  // released: it opens
}

}  // namespace
}  // namespace gocua
