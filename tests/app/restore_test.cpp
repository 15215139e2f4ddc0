// Settings > Restore from a backup (issue 16 obs. 10): the backups the app made are listed, a
// pick asks plainly first, a file that is not this laptop's backup is refused in Vietnamese with
// nothing changed, and a restore keeps the current data as a backup, reopens the app on the
// restored data (everyone signs in again) and says what to do next.
#include "app/core/restore.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/ui/ui_probe.h"
#include "storage/device/backup.h"
#include "tests/app/seed.h"
#include "tests/support/fault_vfs.h"

namespace gocua::test {
namespace {

Household Extra(const Seeded& s) {
  Household h;
  h.village_id = s.dong.id;
  h.head_name = "Phạm Văn Tâm";
  h.address = "Số 9, xóm 4";
  h.members_count = 3;
  return h;
}

TEST_CASE("App restore: a backup is listed, asked about, restored and the app reopens on it") {
  UiHarness ui;
  Seeded s = Seed(ui);
  const std::string dir = ui.data_dir() + "/backups";
  auto backup = BackupNow(ui.db(), dir);
  REQUIRE(backup.ok());
  // A file in the backups folder that is no database, named to sort first.
  const std::string bogus = dir + "/gocua-20991231-235959.db";
  std::ofstream(bogus) << "không phải cơ sở dữ liệu";
  ui.clock().Advance(60000);
  REQUIRE(ui.model().households().Add(Extra(s)).ok());
  const int64_t households_now = *ui.model().households().Count();

  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kSettings});
  ui.Frames(2);
  const std::string pick_bogus =
      "settings.restore_pick." + std::filesystem::path(bogus).filename().string();
  const std::string pick_good =
      "settings.restore_pick." + std::filesystem::path(*backup).filename().string();
  REQUIRE(ui.Visible(pick_bogus));
  REQUIRE(ui.Visible(pick_good));
  CHECK_FALSE(ui.Visible("settings.restore_ask"));  // nothing asked before a pick

  // The bogus file: refused, in Vietnamese, nothing changed, still signed in.
  ui.Click(pick_bogus);
  REQUIRE(ui.Visible("settings.restore_ask"));
  ui.Click("settings.restore_yes");
  REQUIRE(ui.FramesUntil([&] { return !ui.model().restore_view().running; }));
  ui.Frames(2);
  REQUIRE(ui.Visible("settings.restore_error"));
  CHECK(ui.model().member().has_value());
  CHECK(*ui.model().households().Count() == households_now);
  CHECK(ListBackups(dir).size() == 2);  // no backup of the current data was made for it

  // Cancel clears the question.
  ui.Click(pick_good);
  CHECK_FALSE(ui.Visible("settings.restore_error"));
  ui.Click("settings.restore_no");
  CHECK_FALSE(ui.Visible("settings.restore_ask"));

  // The real backup.
  ui.Click(pick_good);
  ui.Click("settings.restore_yes");
  REQUIRE(ui.FramesUntil([&] { return !ui.model().restore_view().running; }));
  ui.Frames(3);
  CHECK(ui.model().route().screen == app::Screen::kSignIn);  // reopened: sign in again
  CHECK_FALSE(ui.model().member().has_value());
  CHECK(*ui.model().households().Count() == households_now - 1);
  CHECK(ui.model().households().Search("tam")->empty());
  INFO(ui.model().message());
  CHECK(ui.model().message().find("Đã khôi phục") != std::string::npos);
  CHECK(ui.model().message().find("Hãy đăng nhập lại") != std::string::npos);  // not enrolled
  CHECK(ListBackups(dir).size() == 3);  // + the data before the restore
  // Signed in again, the app shows the restored register and writes on.
  ui.SignInAs(s.member.id, "1234");
  CHECK(ui.model().route().screen == app::Screen::kToday);
  ui.model().Go({app::Screen::kHouseholds});
  ui.Frames(3);
  CHECK(ui.Visible("households.row." + s.duc.id));
  REQUIRE(ui.model().households().Add(Extra(s)).ok());
}

// Another program holding the database's write lock (gocua-cli writing, say): the restore's
// copy waits for it. Lets a test see the app while a restore runs, and make one fail.
class WriteLock {
 public:
  explicit WriteLock(const std::string& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  }
  ~WriteLock() {
    Release();
    sqlite3_close(db_);
  }
  void Release() {
    if (held_) sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    held_ = false;
  }

 private:
  sqlite3* db_ = nullptr;
  bool held_ = true;
};

TEST_CASE("App restore: it runs off the UI thread behind a progress bar, then the app reopens") {
  UiHarness ui;
  Seeded s = Seed(ui);
  const std::string dir = ui.data_dir() + "/backups";
  auto backup = BackupNow(ui.db(), dir);
  REQUIRE(backup.ok());
  ui.clock().Advance(60000);
  REQUIRE(ui.model().households().Add(Extra(s)).ok());
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kSettings});
  ui.Frames(2);
  ui.Click("settings.restore_pick." + std::filesystem::path(*backup).filename().string());

  auto lock = std::make_unique<WriteLock>(ui.data_dir() + "/gocua.db");
  ui.Click("settings.restore_yes");
  // The copy waits for the lock; the UI thread keeps drawing: the progress bar and its words
  // in place of every screen, no navigation to leave it by.
  for (int i = 0; i < 20; ++i) ui.Frame();
  REQUIRE(ui.model().restore_view().running);
  CHECK(ui.Visible("restore.progress"));
  CHECK(app::probe::TextOf("restore.wait").find("đừng tắt máy") != std::string::npos);
  CHECK_FALSE(ui.Visible("nav.households"));
  CHECK_FALSE(ui.Visible("settings.restore_yes"));
  lock->Release();
  REQUIRE(ui.FramesUntil([&] { return !ui.model().restore_view().running; }));
  INFO(ui.model().message());
  CHECK(ui.model().restore_view().error.empty());
  // Its pages' progress reached the UI thread, to the end.
  CHECK(ui.model().restore_view().total_pages > 0);
  CHECK(ui.model().restore_view().done_pages == ui.model().restore_view().total_pages);
  CHECK(ui.model().route().screen == app::Screen::kSignIn);
  CHECK(ui.model().message().find("Đã khôi phục") != std::string::npos);
  CHECK(ui.model().households().Search("tam")->empty());
  CHECK_FALSE(ui.Visible("restore.progress"));
}

TEST_CASE("App restore: a copy that fails part-way says so in Vietnamese and changes nothing") {
  UiHarness ui;
  Seeded s = Seed(ui);
  const std::string dir = ui.data_dir() + "/backups";
  auto backup = BackupNow(ui.db(), dir);
  REQUIRE(backup.ok());
  ui.clock().Advance(60000);
  REQUIRE(ui.model().households().Add(Extra(s)).ok());
  const int64_t households_now = *ui.model().households().Count();
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kSettings});
  ui.Frames(2);
  ui.Click("settings.restore_pick." + std::filesystem::path(*backup).filename().string());

  // The restore's own connection opens through a VFS whose writes start failing (a disk that
  // went away) half-way through the copy of the backup's pages: after the pages of the "data
  // before" backup (VACUUM INTO, about one write per page) and about half the copy's (two per
  // page: a WAL frame's header and its page). The log says which step failed.
  int64_t pages = 0;
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(backup->c_str(), &raw) == SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA page_count", -1, &q, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(q) == SQLITE_ROW);
    pages = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    sqlite3_close(raw);
  }
  REQUIRE(pages > 10);
  FaultVfs vfs;
  {
    DefaultVfsScope scope(vfs);
    vfs.Arm(FaultKind::kWrite, static_cast<int>(pages + pages), SQLITE_IOERR_WRITE);
    ui.Click("settings.restore_yes");
    REQUIRE(ui.FramesUntil([&] { return !ui.model().restore_view().running; }, 120));
    CHECK(vfs.Fired());
    vfs.Disarm();
  }
  std::ifstream log_file(ui.data_dir() + "/logs/gocua.log");
  const std::string log((std::istreambuf_iterator<char>(log_file)), {});
  CHECK(log.find("Khôi phục không thành công (") != std::string::npos);  // in the copy
  ui.Frames(2);
  REQUIRE(ui.Visible("settings.restore_error"));
  const std::string shown = app::probe::TextOf("settings.restore_error");
  INFO(shown);
  CHECK(shown.find("Khôi phục không thành công; dữ liệu hiện tại không thay đổi") !=
        std::string::npos);
  CHECK(shown.find("rồi thử lại") != std::string::npos);
  // Nothing restored, not even in part: the same data, still signed in, the app usable.
  CHECK(ui.model().member().has_value());
  CHECK(*ui.model().households().Count() == households_now);
  CHECK(ui.model().households().Search("tam")->size() == 1);
  CHECK(ui.db().IntegrityCheck().value() == "ok");
  CHECK(ui.Visible("nav.households"));
  REQUIRE(ui.model().households().Add(Extra(s)).ok());
}

TEST_CASE("App restore: a backup is labelled by the time in its name") {
  CHECK(app::BackupLabel("gocua-notatime.db") == "gocua-notatime.db");
  CHECK(app::BackupLabel("gocua-20260314-101500.db").find("2026") != std::string::npos);
}

}  // namespace
}  // namespace gocua::test
