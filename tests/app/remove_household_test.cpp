// Removing a household from its page (issue 16 obs. 10): a reason from a short list and a
// confirmation first; then it leaves the Households list and search, and its visits stay.
#include <doctest/doctest.h>

#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

TEST_CASE("App household: removing asks for a reason and a confirmation, then the household goes") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v;
  v.household_id = s.duc.id;
  v.visited_on = "2026-03-14";
  v.minutes = 20;
  v.members = {s.member.id};
  v.persons = {s.lan.id};
  v.topics = {{"vneid", "done"}};
  auto visit = ui.model().visits().Save(v);
  REQUIRE(visit.ok());
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kHousehold, s.duc.id});
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("household.remove_ask"));
  ui.Click("household.remove");
  REQUIRE(ui.Visible("household.remove_ask"));
  REQUIRE(ui.Visible("household.remove_reason.moved"));
  REQUIRE(ui.Visible("household.remove_reason.duplicate"));
  REQUIRE(ui.Visible("household.remove_reason.mistake"));
  REQUIRE(ui.Visible("household.remove_reason.other"));

  // Cancel keeps it.
  ui.Click("household.remove_no");
  CHECK_FALSE(ui.Visible("household.remove_ask"));
  // Without a reason: asked for one, nothing removed.
  ui.Click("household.remove");
  ui.Click("household.remove_yes");
  CHECK(ui.Visible("household.remove_error"));
  CHECK(ui.model().households().Get(s.duc.id).ok());

  ui.Click("household.remove_reason.moved");
  CHECK_FALSE(ui.Visible("household.remove_error"));
  ui.Click("household.remove_yes");
  CHECK(ui.model().route().screen == app::Screen::kHouseholds);
  CHECK_FALSE(ui.model().households().Get(s.duc.id).ok());
  CHECK(ui.model().message().find("Đã xoá hộ Nguyễn Văn Đức") != std::string::npos);
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  CHECK(ui.Visible("households.row." + s.hoa.id));
  // Search does not find it either.
  ui.Type("households.search", "duc");
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  // Its visit stays in the history.
  auto history = ui.model().visits().List({.household_id = s.duc.id});
  REQUIRE(history.ok());
  CHECK(history->size() == 1);
}

}  // namespace
}  // namespace gocua::test
