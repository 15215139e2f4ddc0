// Issue 16, item 3: at 1024x600 (a common low-end screen) with the largest text size, no named
// widget of any main screen is cut off at the right (windows scroll up and down, not sideways),
// and the visit form's Save stays on screen. Plain text in tables counts too (Today's follow-up
// rows, the household's persons table, the returned rows: ui::CellText notes them). ImGui knows
// every item's rect; the UI probe (app/ui/ui_probe.h) compares it with the window or table cell
// that holds it. ImGui's own table and window state (tests/app/table_clip.h) also shows text
// that is no named item: plain table cells, TableHeadersRow headers, captions.
#include <doctest/doctest.h>

#include <sstream>

#include "storage/device/backup.h"
#include "storage/device/household_removal.h"
#include "storage/device/replica.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"
#include "tests/app/table_clip.h"

namespace gocua::test {
namespace {

std::string Join(const std::vector<std::string>& v) {
  std::ostringstream out;
  for (const std::string& s : v) out << s << ' ';
  return out.str();
}

void UseSmallScreenLargestText(UiHarness& ui) {
  ImGui::GetIO().DisplaySize = ImVec2(1024, 600);
  app::Settings s = ui.model().settings();
  s.text_scale = 1.45f;  // "Rất lớn", the largest in Settings
  REQUIRE(ui.model().UpdateSettings(s).ok());
}

// No named item cut off at the right, no table cell's text (plain cells and headers too) past
// its column, and nothing in the page (plain text too) past the window's right edge beyond the
// half item spacing a Selectable's highlight takes on purpose (tests/app/table_clip.h).
void CheckScreen(UiHarness& ui, app::Route route) {
  ui.model().Go(route);
  ui.Frames(3);
  const std::vector<std::string> clipped = app::probe::ClippedSideways();
  INFO("screen ", static_cast<int>(route.screen), ": cut off at the right: ", Join(clipped));
  CHECK(clipped.empty());
  const std::vector<std::string> cells = ClippedTableCells();
  INFO("screen ", static_cast<int>(route.screen), ": table text cut off: ", Join(cells));
  CHECK(cells.empty());
  const std::vector<std::string> wide =
      WindowsCutAtRight(ImGui::GetStyle().ItemSpacing.x * 0.5f + 1.0f);
  INFO("screen ", static_cast<int>(route.screen), ": page wider than its window: ", Join(wide));
  CHECK(wide.empty());
}

}  // namespace

TEST_CASE("App layout: at 1024x600 and the largest text nothing is cut off at the right") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v;
  v.household_id = s.duc.id;
  v.visited_on = "2026-03-14";
  v.minutes = 20;
  v.members = {s.member.id};
  v.persons = {s.lan.id};
  v.topics = {{"vneid", "done"}, {"cashless", "needs_followup"}};
  v.followup_on = "2026-03-20";
  REQUIRE(ui.model().visits().Save(v).ok());
  // A returned visit for the member's "to fix" list (its row and the leader's comment).
  v.visited_on = "2026-03-13";
  v.followup_on = "";
  auto returned = ui.model().visits().Save(v);
  REQUIRE(returned.ok());
  REQUIRE(ui.model()
              .reviews()
              .Decide(returned->id, s.leader.id, kStatusReturned,
                      "Ghi rõ số điện thoại đã cài VNeID và ai trong hộ đã được hướng dẫn.")
              .ok());
  UseSmallScreenLargestText(ui);
  ui.model().Error(
      "Chưa đồng bộ được: không kết nối được tới máy chủ. Hãy kiểm tra mạng rồi bấm Đồng bộ "
      "lại; dữ liệu vẫn an toàn trên máy này.");  // a long message in the band
  ui.SignInAs(s.member.id, "1234");
  ui.model().Error(
      "Chưa đồng bộ được: không kết nối được tới máy chủ. Hãy kiểm tra mạng rồi bấm Đồng bộ "
      "lại; dữ liệu vẫn an toàn trên máy này.");
  using app::Screen;
  CheckScreen(ui, {Screen::kToday});
  CHECK(ui.AnyVisible("today.followup_due."));  // the table's plain cells were checked
  CHECK(ui.AnyVisible("today.followup_village."));
  CheckScreen(ui, {Screen::kHouseholds});
  CheckScreen(ui, {Screen::kHousehold, s.duc.id});
  CHECK(ui.Visible("household.person_year." + s.lan.id));
  CHECK(ui.AnyVisible("household.person_skill." + s.lan.id));
  // The persons table's headers wrap in their cells ("Nền tảng số" was cut at the right).
  for (int i = 0; i < 7; ++i) CHECK(ui.Visible("household.header." + std::to_string(i)));
  ui.Click("household.remove");  // the removal panel: reasons and the question
  CHECK(ui.Visible("household.remove_reason.other"));
  CheckScreen(ui, {Screen::kHousehold, s.duc.id});
  CheckScreen(ui, {Screen::kHouseholdForm});
  CheckScreen(ui, {Screen::kVisitForm, s.duc.id});
  CHECK(ui.Visible("visit.save"));  // Save on screen without scrolling
  CheckScreen(ui, {Screen::kReturned});
  CHECK(ui.Visible("returned.row." + returned->id));
  CheckScreen(ui, {Screen::kSync});
  REQUIRE(BackupNow(ui.db(), ui.data_dir() + "/backups").ok());  // listed for restore
  CheckScreen(ui, {Screen::kSettings});
  ui.Click("nav.lock");
  ui.Frames(2);
  CheckScreen(ui, {Screen::kSignIn});
  ui.SignInAs(s.leader.id, "5678");
  CheckScreen(ui, {Screen::kReview});
  // The dashboard's tables: headers and village names were cut ("Số...", "Thôn An Bìn").
  CheckScreen(ui, {Screen::kDashboard});
  CheckScreen(ui, {Screen::kConflicts});
  // The member list, with a deactivation's question open, and Settings as a leader sees it on
  // an enrolled laptop (adding a member, resetting the laptop).
  CheckScreen(ui, {Screen::kMembers});
  ui.Click("members.deactivate." + s.member.id);
  REQUIRE(ui.Visible("members.ask"));
  CheckScreen(ui, {Screen::kMembers});
  REQUIRE(Replica(ui.db())
              .SaveEnrollment("http://127.0.0.1:9", "token", ui.model().commune()->id)
              .ok());
  ui.model().Touch();
  CheckScreen(ui, {Screen::kSettings});
  // A removed household's page, and sign-in with a deactivated member picked.
  REQUIRE(RemoveHousehold(ui.db(), s.duc.id, "moved").ok());
  ui.model().Touch();
  CheckScreen(ui, {Screen::kHousehold, s.duc.id});
  CHECK(ui.Visible("household.removed_notice"));
  REQUIRE(ui.model().members().Deactivate(s.member.id).ok());
  ui.Click("nav.lock");
  ui.Frames(2);
  ui.Click("signin.member." + s.member.id);
  CHECK(ui.Visible("signin.error"));
  CheckScreen(ui, {Screen::kSignIn});
}

}  // namespace gocua::test
