// Restore from a backup (storage/device/backup.h): the content comes back, the current content
// is kept as a backup first, and a file that is not this device's Gõ Cửa database is refused
// with a Vietnamese message and nothing changed.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "storage/core/sqlite_db.h"
#include "storage/device/backup.h"
#include "storage/device/households.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

namespace fs = std::filesystem;

Household MakeHousehold(const std::string& village_id, const std::string& head) {
  Household h;
  h.village_id = village_id;
  h.head_name = head;
  h.address = "Số 12, ngõ 3";
  h.members_count = 4;
  return h;
}

TEST_CASE("Backup restore: the backup's content comes back and the current one is kept first") {
  test::CommuneFixture f;
  Households hs(*f.db);
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Nguyễn Văn Đức")).ok());
  const std::string dir = f.dir.File("backups");
  auto backup = BackupNow(*f.db, dir);
  REQUIRE_MESSAGE(backup.ok(), backup.error().message());
  f.clock.Advance(2000);  // a later name
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Phạm Thị Hoa")).ok());
  CHECK(*hs.Count() == 2);

  std::string kept;
  int last_done = -1, last_total = -1;
  Status st = RestoreBackup(*f.db, *backup, dir, &kept, [&](int done, int total) {
    last_done = done;
    last_total = total;
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  CHECK(*hs.Count() == 1);  // as at the backup, read through the same open connection
  CHECK(hs.Search("hoa")->empty());
  CHECK(last_total > 0);
  CHECK(last_done == last_total);  // progress reached the end
  // The content before the restore is a backup of its own, listed first (newest).
  const auto list = ListBackups(dir);
  REQUIRE(list.size() == 2);
  CHECK(list[0].path == kept);
  CHECK(list[1].path == *backup);
  CHECK(list[0].bytes > 0);
  // The backup restored is unchanged and can be restored again; the kept one undoes it all.
  REQUIRE(RestoreBackup(*f.db, kept, dir).ok());
  CHECK(*hs.Count() == 2);
  // Writes go on after a restore (the change log and clock come from the restored meta).
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Lê Văn Tâm")).ok());
  CHECK(*hs.Count() == 3);
}

TEST_CASE(
    "Backup restore: a non-database, a damaged or another device's file is refused and nothing "
    "changes") {
  test::CommuneFixture f;
  Households hs(*f.db);
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Nguyễn Văn Đức")).ok());
  const std::string dir = f.dir.File("backups");
  fs::create_directories(dir);

  const auto refused = [&](const std::string& path) {
    Status st = RestoreBackup(*f.db, path, dir);
    REQUIRE_FALSE(st.ok());
    CHECK(st.code() == ErrorCode::kCorrupt);
    INFO(st.message());
    CHECK(st.message().find("không phải bản sao lưu dùng được") != std::string::npos);
    CHECK(st.message().find("Dữ liệu hiện tại không thay đổi") != std::string::npos);
    CHECK(*hs.Count() == 1);
    CHECK(ListBackups(dir).empty());  // no "current content" backup was made either
  };
  const std::string text = f.dir.File("gocua-20260101-000000.db");  // elsewhere: dir stays empty
  std::ofstream(text) << "đây không phải cơ sở dữ liệu\n";
  refused(text);
  const std::string empty = f.dir.File("empty.db");
  std::ofstream(empty).close();  // SQLite would open it as a new, empty database
  refused(empty);

  // A real backup with its pages cut short.
  auto good = BackupNow(*f.db, f.dir.File("elsewhere"));
  REQUIRE(good.ok());
  const std::string cut = f.dir.File("cut.db");
  fs::copy_file(*good, cut);
  fs::resize_file(cut, 4096);
  refused(cut);

  // Another device's database (another laptop's backup copied here).
  test::CommuneFixture other;
  auto theirs = BackupNow(*other.db, other.dir.File("b"));
  REQUIRE(theirs.ok());
  refused(*theirs);
}

// Defect: once the pages are in, the restore has happened. It used to reset the pull cursor in
// a transaction of its own afterwards, and when that failed (here: another connection took the
// write lock as the last step ended) the caller was told the restore failed about a database
// already restored. The reset now travels in the restored pages.
TEST_CASE("Backup restore: a write lock taken as the pages land does not turn it into a failure") {
  test::CommuneFixture f;
  Households hs(*f.db);
  Database::Impl& d = f.db->impl();
  REQUIRE(d.Transact([&] { return d.SetMeta("pull_cursor", "p-after-backup"); }).ok());
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Nguyễn Văn Đức")).ok());
  const std::string dir = f.dir.File("backups");
  auto backup = BackupNow(*f.db, dir);
  REQUIRE(backup.ok());
  f.clock.Advance(2000);
  REQUIRE(hs.Add(MakeHousehold(f.village.id, "Phạm Thị Hoa")).ok());

  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(d.path.c_str(), &other) == SQLITE_OK);
  bool locked = false;
  Status st = RestoreBackup(*f.db, *backup, dir, nullptr, [&](int done, int total) {
    if (done != total || locked) return;
    sqlite3_busy_timeout(other, 0);
    locked = sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK;
  });
  REQUIRE(locked);
  CHECK_MESSAGE(st.ok(), st.message());
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  CHECK(*hs.Count() == 1);                       // restored: what the call says
  CHECK(*d.ReadMeta("pull_cursor", "?") == "");  // and the next pull starts from the start
}

}  // namespace
}  // namespace gocua
