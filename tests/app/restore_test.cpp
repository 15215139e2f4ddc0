// Settings > Restore from a backup (issue 16 obs. 10): the backups the app made are listed, a
// pick asks plainly first, a file that is not this laptop's backup is refused in Vietnamese with
// nothing changed, and a restore keeps the current data as a backup, reopens the app on the
// restored data (everyone signs in again) and says what to do next.
#include "app/core/restore.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "storage/device/backup.h"
#include "tests/app/seed.h"

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

TEST_CASE("App restore: a backup is labelled by the time in its name") {
  CHECK(app::BackupLabel("gocua-notatime.db") == "gocua-notatime.db");
  CHECK(app::BackupLabel("gocua-20260314-101500.db").find("2026") != std::string::npos);
}

}  // namespace
}  // namespace gocua::test
