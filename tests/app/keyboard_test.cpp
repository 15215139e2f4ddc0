// Headless UI tests for issue 16 obs. 8: with the keyboard alone, Tab reaches the check boxes,
// result buttons and Save of the visit form and the names and button of sign-in, and Space or
// Enter presses them (app/ui/focus_ring.h). Keys go in through Dear ImGui's own input.
#include <doctest/doctest.h>

#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

std::string Focused() { return app::probe::TextOf("focus.current"); }

// Presses Tab (Shift+Tab when `back`) until `name` has the focus frame; false after 80 presses.
bool TabTo(UiHarness& ui, const std::string& name, bool back = false) {
  for (int i = 0; i < 80; ++i) {
    if (Focused() == name) return true;
    ImGui::GetIO().KeyShift = back;
    ui.Key(ImGuiKey_Tab);
    ImGui::GetIO().KeyShift = false;
  }
  return Focused() == name;
}

void Type(UiHarness& ui, const std::string& text) {
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
  ui.Frames(2);
}

}  // namespace

TEST_CASE("App UI keyboard: Tab reaches a person, a topic, a result and Save in the visit form") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.date");
  REQUIRE(TabTo(ui, "visit.person." + s.lan.id));
  ui.Key(ImGuiKey_Space);  // ticks Lan
  REQUIRE(TabTo(ui, "visit.topic.vneid"));
  ui.Key(ImGuiKey_Space);  // ticks VNeID (result "guided")
  ui.Key(ImGuiKey_Tab);
  CHECK(Focused() == "visit.result.vneid.0");
  ui.Key(ImGuiKey_Tab);
  CHECK(Focused() == "visit.result.vneid.1");
  ui.Key(ImGuiKey_Enter);  // "done"
  REQUIRE(TabTo(ui, "visit.notes"));
  Type(ui, "Bàn phím");  // a text field reached by Tab takes the keys
  REQUIRE(TabTo(ui, "visit.save"));
  // Shift+Tab goes back one stop, Tab forward again.
  ImGui::GetIO().KeyShift = true;
  ui.Key(ImGuiKey_Tab);
  ImGui::GetIO().KeyShift = false;
  CHECK(Focused() == "visit.followup_in.30");  // the last of the follow-up buttons
  ui.Key(ImGuiKey_Tab);
  CHECK(Focused() == "visit.save");
  ui.Key(ImGuiKey_Enter);  // presses Save
  auto visits = ui.model().visits().List({});
  REQUIRE(visits->size() == 1);
  const Visit& v = visits->front();
  CHECK(v.persons == std::vector<std::string>{s.lan.id});
  CHECK(v.topics == std::map<std::string, std::string>{{"vneid", "done"}});
  CHECK(v.notes == "Bàn phím");
}

TEST_CASE("App UI keyboard: sign in with Tab, Space, the PIN and Enter") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.Frames(2);
  REQUIRE(TabTo(ui, "signin.member." + s.member.id));
  ui.Key(ImGuiKey_Space);  // picks the name; the PIN field takes the keys
  ui.Frames(2);
  Type(ui, "1234");
  REQUIRE(TabTo(ui, "signin.go"));
  ui.Key(ImGuiKey_Enter);
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->id == s.member.id);
}

}  // namespace gocua::test
