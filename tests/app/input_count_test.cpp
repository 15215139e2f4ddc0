// The issue-16 measurement: how many inputs a volunteer needs to record a visit through the
// real screens. Every click and every key press is counted (typed text per character, a
// Ctrl+key as one key); the figures go to docs/benchmarks.md. The visit written is checked
// too, so a count cannot pass by skipping work.
#include <doctest/doctest.h>

#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

// Drives the harness as a person would, counting what they press.
class CountingDriver {
 public:
  explicit CountingDriver(UiHarness& ui) : ui_(ui) {}
  void Click(const std::string& name) {
    ui_.Click(name);
    ++clicks_;
  }
  // Types into the field that has the keyboard (no click).
  void Keys(const std::string& text) {
    ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
    ui_.Frames(2);
    keys_ += CodePoints(text);
  }
  void Key(int key, bool ctrl = false) {
    ui_.Key(key, ctrl);
    ++keys_;
  }
  int clicks() const { return clicks_; }
  int keys() const { return keys_; }

 private:
  static int CodePoints(const std::string& s) {
    int n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
  UiHarness& ui_;
  int clicks_ = 0, keys_ = 0;
};

const std::string kNote = "Bà đã cài VNeID, cần con trai giúp kích hoạt mức 2 tuần sau.";

}  // namespace

TEST_CASE("App inputs: a first visit to a household with nobody listed fits the target") {
  REQUIRE(kNote.size() > 60);  // bytes; the count is per character:
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.row." + s.hoa.id);  // on the household's page: counting starts here
  CountingDriver d(ui);
  d.Click("household.record_visit");
  ui.Frames(3);            // frames, not inputs: the app draws a few after every input
  d.Keys("Trần Thị Hoa");  // the keys are in the new person's name already
  d.Key(ImGuiKey_Tab);
  d.Keys("1958");
  d.Click("visit.new_person.sex.female");
  d.Click("visit.new_person.add");
  CHECK_FALSE(ui.Visible("visit.new_person_error"));
  d.Click("visit.result.vneid.1");     // VNeID: done (ticks the topic)
  d.Click("visit.result.cashless.2");  // cashless payment: needs follow-up
  d.Click("visit.minutes");
  d.Keys("35");
  d.Click("visit.notes");
  d.Keys(kNote);
  d.Click("visit.followup_in.7");  // a week after the visit: 22/03/2026
  d.Key(kKeyS, /*ctrl=*/true);
  MESSAGE("first visit: ", d.clicks(), " clicks, ", d.keys(), " keys");

  auto visits = ui.model().visits().List({.household_id = s.hoa.id});
  REQUIRE(visits->size() == 1);
  const Visit& v = visits->front();
  auto persons = ui.model().persons().OfHousehold(s.hoa.id);
  REQUIRE(persons->size() == 1);
  CHECK(persons->front().name == "Trần Thị Hoa");
  CHECK(persons->front().birth_year == 1958);
  CHECK(persons->front().sex == "female");
  CHECK(v.persons == std::vector<std::string>{persons->front().id});
  CHECK(v.topics ==
        std::map<std::string, std::string>{{"vneid", "done"}, {"cashless", "needs_followup"}});
  CHECK(v.minutes == 35);
  CHECK(v.notes == kNote);
  CHECK(v.followup_on == "2026-03-22");
  CHECK(d.clicks() <= 8);
  CHECK(d.keys() <= 80);  // 10 keys under the target of 90
}

TEST_CASE("App inputs: a repeat visit takes five clicks plus the note and keeps the usual length") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  // An earlier visit of 35 minutes sets the usual length.
  OpenNewVisit(ui, s.hoa.id);
  ui.Click("visit.result.safety.0");
  ui.Type("visit.minutes", "35");
  ui.Key(kKeyS, /*ctrl=*/true);
  REQUIRE(ui.model().visits().List({})->size() == 1);
  CHECK(ui.model().settings().visit_minutes == 35);
  ui.Restart();  // remembered across a restart (settings.json)
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.row." + s.duc.id);
  CountingDriver d(ui);
  d.Click("household.record_visit");
  d.Click("visit.person." + s.lan.id);
  d.Click("visit.result.vneid.1");
  d.Click("visit.result.health.0");
  d.Click("visit.notes");
  d.Keys("Đã cài VssID.");
  d.Key(kKeyS, /*ctrl=*/true);
  MESSAGE("repeat visit: ", d.clicks(), " clicks, ", d.keys(), " keys");
  auto visits = ui.model().visits().List({.household_id = s.duc.id});
  REQUIRE(visits->size() == 1);
  CHECK(visits->front().minutes == 35);
  CHECK(visits->front().persons == std::vector<std::string>{s.lan.id});
  CHECK(visits->front().topics ==
        std::map<std::string, std::string>{{"vneid", "done"}, {"health", "guided"}});
  CHECK(d.clicks() <= 5);
  CHECK(d.keys() - 13 <= 1);  // the note's 13 characters, then Ctrl+S
}

}  // namespace gocua::test
