// Headless UI test for issue 16 obs. 10: a list with nothing in it says what to do next (Today's
// follow-ups and recent visits, a household's visits, the review queue), and the words go once
// there is something to show.
#include <doctest/doctest.h>

#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {

TEST_CASE("App UI empty states: empty lists say what to do next, and go once filled") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.today");
  CHECK(app::probe::TextOf("today.recent_none").find("Ghi lượt thăm") != std::string::npos);
  CHECK(ui.Visible("today.followups_none"));
  ui.model().Go({app::Screen::kHousehold, s.hoa.id});
  ui.Frames(3);
  CHECK(app::probe::TextOf("household.visits_none").find("Ghi lượt thăm") != std::string::npos);

  Visit v;
  v.household_id = s.hoa.id;
  v.visited_on = "2026-03-15";
  v.minutes = 20;
  v.members = {s.member.id};
  v.topics = {{"vneid", "needs_followup"}};
  v.followup_on = "2026-03-20";
  REQUIRE(ui.model().visits().Save(v).ok());
  ui.model().Touch();
  ui.Frames(3);
  CHECK_FALSE(ui.Visible("household.visits_none"));
  ui.Click("nav.today");
  CHECK_FALSE(ui.Visible("today.recent_none"));
  CHECK_FALSE(ui.Visible("today.followups_none"));

  SwitchMember(ui, s.leader.id, "5678");
  ui.Click("nav.review");
  CHECK_FALSE(ui.Visible("review.none"));  // the visit is pending
  ui.Choose("review.status", 2);           // approved: none yet
  CHECK(app::probe::TextOf("review.none").find("bộ lọc") != std::string::npos);
}

}  // namespace gocua::test
