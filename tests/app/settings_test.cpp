// Settings, typing and the keyboard, through the real screens (tests/app/ui_harness.h).
#include <doctest/doctest.h>

#include <filesystem>

#include "storage/device/households.h"
#include "tests/app/seed.h"

namespace gocua::test {

TEST_CASE("App UI: switching to English and a larger text size lasts across a restart") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.settings");
  ui.Choose("settings.language", 1);  // English
  ui.Choose("settings.text_size", 1);  // large
  ui.Click("settings.save");
  CHECK(std::string(app::Tr("nav.today")) == "Today");
  CHECK(ui.model().settings().text_scale > 1.1f);
  ui.Frame();
  CHECK(ImGui::GetIO().FontGlobalScale > 1.1f);
  ui.Restart();
  CHECK(ui.model().settings().language == "en");
  CHECK(ui.model().settings().text_scale > 1.1f);
  REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "vi").ok());  // leave the process as found
}

TEST_CASE("App UI: Back up now writes a copy that opens with the same households") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.settings");
  ui.Click("settings.backup");
  CHECK_FALSE(ui.model().message_is_error());
  const std::filesystem::path dir = std::filesystem::path(ui.data_dir()) / "backups";
  REQUIRE(std::filesystem::exists(dir));
  auto copies_in = [&] {
    std::vector<std::filesystem::path> copies;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.path().extension() == ".db") copies.push_back(e.path());
    }
    return copies;
  };
  const auto copies = copies_in();
  REQUIRE(copies.size() == 1);
  ManualClock clock(kTestNowMs);
  auto copy = Database::Open(copies.front().string(), clock);
  REQUIRE(copy.ok());
  CHECK(*(*copy)->IntegrityCheck() == "ok");
  CHECK(*Households(**copy).Count() == 2);
  ui.Click("settings.backup");  // a second one never overwrites the first
  CHECK(copies_in().size() == 2);
}

TEST_CASE("App UI: Vietnamese typed through an IME (Telex with backspaces) is stored as typed") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Choose("household_form.village", 0);
  ui.Click("household_form.head");
  ImGuiIO& io = ImGui::GetIO();
  // Unikey-style Telex for "Nguyễn": the IME erases what it replaces with a backspace and
  // sends the composed letter, one code point at a time.
  auto type = [&](const char* utf8) {
    io.AddInputCharactersUTF8(utf8);
    ui.Frame();
  };
  for (const char* c : {"N", "g", "u", "y", "e"}) type(c);
  ui.Key(ImGuiKey_Backspace);
  type("ê");
  ui.Key(ImGuiKey_Backspace);
  type("ễ");
  type("n");
  type(" ");
  type("Đ");
  type("ứ");
  type("c");
  type("x");
  ui.Key(ImGuiKey_Backspace);  // one code point, not one byte
  ui.Click("household_form.save");
  auto found = Households(ui.db()).Search("nguyen duc");  // also finds Nguyễn Văn Đức
  REQUIRE(found.ok());
  int exact = 0;
  for (const Household& h : *found) exact += h.head_name == "Nguyễn Đức";
  CHECK(exact == 1);
  CHECK(*Households(ui.db()).Count() == 3);
}

TEST_CASE("App UI: Tab moves through the visit form and Ctrl+S saves") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.topic.vneid");
  ui.Click("visit.date");
  ui.Key(ImGuiKey_Tab);  // to the minutes, its text selected
  ImGui::GetIO().AddInputCharactersUTF8("45");
  ui.Frames(2);
  ui.Key(ImGuiKey_Tab);
  ui.Key(kKeyS, /*ctrl=*/true);
  auto visits = ui.model().visits().List({});
  REQUIRE(visits->size() == 1);
  CHECK(visits->front().minutes == 45);
}


TEST_CASE("App UI: a leader adds a team member who then signs in with their PIN") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.settings");
  CHECK_FALSE(ui.Visible("settings.member_add"));  // members cannot
  SwitchMember(ui, s.leader.id, "5678");
  ui.Click("nav.settings");
  ui.Type("settings.member_name", "Phạm Quốc Bảo");
  ui.Type("settings.member_pin", "12");
  ui.Click("settings.member_add");
  CHECK(ui.model().members().List()->size() == 2);  // a 2-digit PIN is refused
  ui.Type("settings.member_pin", "2468");
  ui.Click("settings.member_add");
  auto members = ui.model().members().List();
  REQUIRE(members->size() == 3);
  std::string bao;
  for (const Member& mem : *members) {
    if (mem.name == "Phạm Quốc Bảo") bao = mem.id;
  }
  REQUIRE_FALSE(bao.empty());
  SwitchMember(ui, bao, "2468");
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->role == Role::kMember);
}

}  // namespace gocua::test
