// Headless UI tests for issue 16 (field usability): what an older volunteer trips over on the
// visit form, sign-in, Households and Settings, driven through the real screens.
#include <doctest/doctest.h>

#include "app/core/i18n.h"
#include "app/core/visit_draft.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

// Types into whatever field has the keyboard focus (no click first).
void TypeHere(UiHarness& ui, const std::string& text) {
  ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
  ui.Frames(2);
}

}  // namespace

TEST_CASE("App UI usability: a person added while the visit form is open appears on it") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.hoa.id);  // nobody listed
  Person p;
  p.household_id = s.hoa.id;
  p.name = "Trần Thị Hoa";
  p.birth_year = 1970;
  p.sex = "female";
  auto added = ui.model().persons().Add(p);  // as the household page or a sync would
  REQUIRE(added.ok());
  ui.model().Touch();
  ui.Frames(2);
  CHECK(ui.Visible("visit.person." + added->id));
}

TEST_CASE("App UI usability: a bad field on save is summarised at the top until it is fixed") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.topic.vneid");
  ui.Type("visit.minutes", "-5");
  ui.Key(kKeyS, /*ctrl=*/true);
  CHECK(ui.model().visits().List({})->empty());
  CHECK(ui.Visible("visit.summary"));
  CHECK(ui.Visible("visit.minutes_error"));
  // The summary sits above the fields.
  CHECK(app::probe::Find("visit.summary")->y0 < app::probe::Find("visit.date")->y0);
  ui.Type("visit.minutes", "30");
  CHECK_FALSE(ui.Visible("visit.minutes_error"));  // fixed: its message goes at once
  CHECK_FALSE(ui.Visible("visit.summary"));
  ui.Key(kKeyS, /*ctrl=*/true);
  CHECK(ui.model().visits().List({})->size() == 1);
}

TEST_CASE("App UI usability: at 1024x600 Save stays on screen and scrolls to the bad field") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.topic.vneid");
  ui.Type("visit.followup", "31/02/2026");  // low on the form
  ImGui::GetIO().DisplaySize = ImVec2(1024, 600);
  ui.Frames(2);
  REQUIRE_FALSE(ui.Visible("visit.followup"));  // below the fold now
  REQUIRE(ui.Visible("visit.save"));            // Save is reachable without scrolling
  ui.Key(kKeyS, /*ctrl=*/true);
  ui.Frames(3);
  CHECK(ui.model().visits().List({})->empty());
  CHECK(ui.Visible("visit.summary"));
  auto field = app::probe::Find("visit.followup");
  REQUIRE_MESSAGE(field.has_value(), "the bad field was not scrolled into view");
  CHECK(field->y1 <= 600);
  CHECK(app::probe::Find("visit.save")->y1 <= 600);
}

TEST_CASE("App UI usability: an approved visit opens read-only") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v = SavedVisit(ui, s);
  REQUIRE(ui.model().reviews().Decide(v.id, s.leader.id, kStatusApproved, "").ok());
  ui.model().Touch();
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kVisitForm, s.duc.id, v.id});
  ui.Frames(3);
  CHECK(ui.Visible("visit.approved_note"));
  CHECK_FALSE(ui.Visible("visit.save"));
  ui.Type("visit.notes", "Sửa sau khi duyệt");
  ui.Key(kKeyS, /*ctrl=*/true);
  auto after = ui.model().visits().Get(v.id);
  CHECK(after->notes == "Lần đầu.");
  CHECK(after->status == kStatusApproved);
}

TEST_CASE("App UI usability: discarding a draft asks first") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.topic.vneid");
  REQUIRE(app::HasDraft(ui.data_dir()));
  ui.Click("visit.discard");
  CHECK(app::HasDraft(ui.data_dir()));  // one click: nothing lost yet
  CHECK(ui.model().route().screen == app::Screen::kVisitForm);
  REQUIRE(ui.Visible("visit.discard_keep"));
  ui.Click("visit.discard_keep");
  CHECK_FALSE(ui.Visible("visit.discard_confirm"));
  CHECK(app::HasDraft(ui.data_dir()));
  ui.Click("visit.discard");
  ui.Click("visit.discard_confirm");
  CHECK_FALSE(app::HasDraft(ui.data_dir()));
  CHECK(ui.model().route().screen == app::Screen::kHousehold);
}

TEST_CASE("App UI usability: a member cannot set the idle lock below one minute") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.settings");
  ui.Type("settings.lock", "-1");
  ui.Click("settings.save");
  CHECK(ui.model().settings().lock_after_min == 1);
  ui.Type("settings.lock", "0");
  ui.Click("settings.save");
  CHECK(ui.model().settings().lock_after_min == 1);
  CHECK(ui.Visible("settings.lock_hint"));
}

TEST_CASE("App UI usability: the PIN field takes the keys after a name is picked") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.Frames(2);
  ui.Click("signin.member." + s.member.id);
  TypeHere(ui, "1234");
  ui.Key(ImGuiKey_Enter);
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->id == s.member.id);
}

TEST_CASE("App UI usability: Households search takes keys on entry and Enter opens one result") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  TypeHere(ui, "tran thi");
  CHECK(ui.Visible("households.row." + s.hoa.id));
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  ui.Key(ImGuiKey_Enter);
  CHECK(ui.model().route().screen == app::Screen::kHousehold);
  CHECK(ui.model().route().id == s.hoa.id);
}

TEST_CASE("App UI usability: wording shown to people has no developer text") {
  REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "vi").ok());
  CHECK(std::string(app::Tr("settings.data_dir_hint")).find("--data") == std::string::npos);
  CHECK(std::string(app::Tr("dashboard.computed_in")).find("ms") == std::string::npos);
  // Today lists follow-ups up to a week ahead: the heading says so.
  CHECK(std::string(app::Tr("today.followups")).find("7") != std::string::npos);
  // Settings has two different save buttons: they say what they save.
  CHECK(std::string(app::Tr("settings.save_hub")) != app::Tr("common.save"));
  CHECK(std::string(app::Tr("settings.save_general")) != app::Tr("common.save"));
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE("App UI usability: a new household starts in the village chosen last time") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Choose("household_form.village", 1);  // Thôn Tây
  ui.Type("household_form.head", "Phạm Thị Ngọc");
  ui.Click("household_form.save");
  REQUIRE(*ui.model().households().Count() == 3);
  ui.Restart();  // remembered in settings.json
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Type("household_form.head", "Đặng Văn Tâm");
  ui.Click("household_form.save");  // no village picked this time
  auto found = ui.model().households().Search("dang van tam");
  REQUIRE(found->size() == 1);
  CHECK(found->front().village_id == s.tay.id);
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE("App UI usability: a listed person can be corrected from the household page") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.row." + s.duc.id);
  ui.Click("household.person." + s.lan.id);
  ui.Type("household.person_name", "Võ Thị Lan Anh");
  ui.Type("household.person_year", "1973");
  ui.Click("household.person_save");
  auto p = ui.model().persons().Get(s.lan.id);
  REQUIRE(p.ok());
  CHECK(p->name == "Võ Thị Lan Anh");
  CHECK(p->birth_year == 1973);
  CHECK(p->sex == "female");
  CHECK_FALSE(ui.Visible("household.person_save"));  // closed once saved
  CHECK(ui.Visible("household.person." + s.lan.id));
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE("App UI usability: an empty or fruitless Households list says what to do next") {
  UiHarness ui;
  Places places(ui.db());
  REQUIRE(places.SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
  REQUIRE(places.AddVillage("Thôn Đông").ok());
  const Member me = Members(ui.db()).Add("Trần Thị Mai", Role::kMember, "1234").value();
  ui.model().ReloadCommune();
  ui.model().Touch();
  ui.SignInAs(me.id, "1234");
  ui.Click("nav.households");
  CHECK(ui.Visible("households.empty"));
  ui.Type("households.search", "khong co ai");
  CHECK_FALSE(ui.Visible("households.empty"));
  CHECK(ui.Visible("households.none_found"));
}

}  // namespace gocua::test
