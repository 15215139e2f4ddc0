// Headless UI tests for issue 16 obs. 5: the message band lies over the page (nothing under
// the mouse moves when a message comes), its text wraps before Close; Settings opens the
// reports, backups and logs folders in the file manager (a stand-in opener script records
// what it was asked to open — the file manager is the OS's, not ours).
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "tests/app/seed.h"

namespace gocua::test {

TEST_CASE("App UI band: a message does not push the page down and its text clears Close") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ImGui::GetIO().DisplaySize = ImVec2(1024, 600);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Frames(2);
  auto before = app::probe::Find("households.search");
  REQUIRE(before.has_value());
  ui.model().Error(
      "Chưa đồng bộ được: không kết nối được tới máy chủ. Hãy kiểm tra mạng rồi bấm Đồng bộ "
      "lại; dữ liệu vẫn an toàn trên máy này. Nếu vẫn không được, hãy báo tổ trưởng.");
  ui.Frames(2);
  auto after = app::probe::Find("households.search");
  REQUIRE(after.has_value());
  CHECK(after->y0 == before->y0);  // the page did not move
  CHECK(after->x0 == before->x0);
  auto text = app::probe::Find("banner.text");
  auto close = app::probe::Find("banner.close");
  REQUIRE(text.has_value());
  REQUIRE(close.has_value());
  CHECK(text->x1 <= close->x0);        // wrapped before Close, not under it
  CHECK(text->y1 - text->y0 > 30.0f);  // more than one line at this width
  CHECK(app::probe::ClippedSideways().empty());
  // Close takes the click (the band is above the page), and the band goes.
  ui.Click("banner.close");
  CHECK(ui.model().message().empty());
  CHECK_FALSE(ui.Visible("banner.text"));
}

#ifndef _WIN32
// POSIX: GOCUA_OPENER names a stand-in for the file manager (platform/open_folder_posix.cpp). On
// Windows the call is ShellExecuteW on Explorer, which has no such stand-in: not tested there.
TEST_CASE("App UI settings: open folder runs the file manager on reports, backups and logs") {
  UiHarness ui;
  Seeded s = Seed(ui);
  // The stand-in file manager appends the folder it was given to a file.
  const std::string record = ui.data_dir() + "/opened.txt";
  const std::string script = ui.data_dir() + "/opener.sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '" << record << "'\n";
  }
  REQUIRE(std::system(("chmod +x '" + script + "'").c_str()) == 0);
  REQUIRE(setenv("GOCUA_OPENER", script.c_str(), 1) == 0);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.settings");
  const auto lines = [&] {
    std::ifstream in(record);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  ui.Click("settings.open_backups");
  REQUIRE(ui.FramesUntil([&] { return !lines().empty(); }, 30));
  CHECK(lines() == ui.data_dir() + "/backups\n");
  ui.Click("settings.open_reports");
  ui.Click("settings.open_logs");
  REQUIRE(ui.FramesUntil([&] { return lines().size() > (ui.data_dir().size() + 9) * 2; }, 30));
  CHECK(lines() ==
        ui.data_dir() + "/backups\n" + ui.data_dir() + "/reports\n" + ui.data_dir() + "/logs\n");
  CHECK(ui.model().message().empty());  // nothing went wrong

  // An opener that cannot be started: a plain message, not a crash.
  REQUIRE(setenv("GOCUA_OPENER", (ui.data_dir() + "/no-such-opener").c_str(), 1) == 0);
  ui.Click("settings.open_logs");
  CHECK(ui.model().message_is_error());
  CHECK(ui.model().message().find("Không mở được thư mục") != std::string::npos);
  unsetenv("GOCUA_OPENER");
}
#endif

}  // namespace gocua::test
