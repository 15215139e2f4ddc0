// Files only this user may read (storage/core/private_files.h): the database and its -wal and
// -shm 0600 when made and when an older build left them 0644, folders 0700, backups 0600.
#include "storage/core/private_files.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "storage/device/backup.h"
#include "storage/device/places.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE_MESSAGE(::stat(path.c_str(), &st) == 0, path);
  return st.st_mode & 07777;
}

TEST_CASE("Files: a new database and its -wal and -shm are 0600 whatever the umask") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("gocua.db");
  const mode_t old = ::umask(022);  // as a shell leaves it: files 0644 by default
  auto db = test::OpenOrDie(path, clock);
  ::umask(old);
  REQUIRE(Places(*db).SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(path + "-wal") == 0600);
  CHECK(ModeOf(path + "-shm") == 0600);
}

TEST_CASE("Files: a database an older build left 0644 is tightened when it is opened") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("gocua.db");
  test::OpenOrDie(path, clock).reset();
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  { std::ofstream(path + "-wal").flush(); }  // a leftover WAL, also 0644
  REQUIRE(::chmod((path + "-wal").c_str(), 0644) == 0);
  auto db = test::OpenOrDie(path, clock);
  CHECK(ModeOf(path) == 0600);
  CHECK(ModeOf(path + "-wal") == 0600);
}

TEST_CASE("Files: MakePrivateDir makes missing folders 0700 and tightens an existing one") {
  test::TempDir dir;
  const std::string deep = (dir.path() / "a" / "b").string();
  REQUIRE(MakePrivateDir(deep).ok());
  CHECK(ModeOf((dir.path() / "a").string()) == 0700);
  CHECK(ModeOf(deep) == 0700);
  REQUIRE(::chmod(deep.c_str(), 0755) == 0);
  REQUIRE(MakePrivateDir(deep).ok());
  CHECK(ModeOf(deep) == 0700);
}

TEST_CASE("Files: a backup is 0600 in a 0700 folder") {
  test::CommuneFixture f;
  const mode_t old = ::umask(022);
  auto copy = BackupNow(*f.db, (f.dir.path() / "backups").string());
  ::umask(old);
  REQUIRE_MESSAGE(copy.ok(), copy.error().message());
  CHECK(ModeOf(*copy) == 0600);
  CHECK(ModeOf((f.dir.path() / "backups").string()) == 0700);
}

}  // namespace
}  // namespace gocua
