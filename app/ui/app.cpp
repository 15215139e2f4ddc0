#include "app/ui/app.h"

#include <imgui.h>

#include "app/core/i18n.h"
#include "app/ui/screens/conflicts_screen.h"
#include "app/ui/screens/dashboard_screen.h"
#include "app/ui/screens/first_run_screen.h"
#include "app/ui/screens/household_form_screen.h"
#include "app/ui/screens/household_screen.h"
#include "app/ui/screens/households_screen.h"
#include "app/ui/screens/laptops_screen.h"
#include "app/ui/screens/members_screen.h"
#include "app/ui/screens/returned_screen.h"
#include "app/ui/screens/review_screen.h"
#include "app/ui/screens/settings_screen.h"
#include "app/ui/screens/sign_in_screen.h"
#include "app/ui/screens/sync_screen.h"
#include "app/ui/screens/today_screen.h"
#include "app/ui/screens/visit_form_screen.h"
#include "app/ui/ui_probe.h"
#include "app/ui/widgets.h"

namespace gocua::app {

struct App::Screens {
  FirstRunScreen first_run;
  SignInScreen sign_in;
  TodayScreen today;
  HouseholdsScreen households;
  HouseholdScreen household;
  HouseholdFormScreen household_form;
  VisitFormScreen visit_form;
  ReturnedScreen returned;
  SyncScreen sync;
  SettingsScreen settings;
  DashboardScreen dashboard;
  ReviewScreen review;
  ConflictsScreen conflicts;
  MembersScreen members;
  LaptopsScreen laptops;
};

App::App(AppModel& model, float font_scale)
    : m_(model), font_scale_(font_scale), screens_(std::make_unique<Screens>()) {}
App::~App() = default;

bool App::WantsFrames() const { return m_.sync_view().running || m_.restore_view().running; }

bool App::Settled() const {
  return m_.route().screen != Screen::kLaptops || !screens_->laptops.busy();
}

void ApplyStyle() {
  ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 0;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.FramePadding = ImVec2(10, 6);
  s.ItemSpacing = ImVec2(10, 8);
  s.ScrollbarSize = 18;
  s.FrameBorderSize = 1.0f;  // fields, check boxes and radio buttons visible on the light ground
  s.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1.0f);
}

void App::Frame() {
  probe::BeginFrame();
  ImGuiIO& io = ImGui::GetIO();
  io.FontGlobalScale = m_.settings().text_scale / font_scale_;
  if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseClicked[0] ||
      io.InputQueueCharacters.Size > 0 || io.KeyCtrl) {
    m_.NoteInput();
  }
  m_.LockIfIdle();

  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  // No background: the window's clear colour is the same (platform/window.cpp), and under a
  // software renderer not filling the whole window again saves ~40% of a frame's CPU.
  ImGui::Begin("##main", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                   ImGuiWindowFlags_NoBackground);
  // A restore replaces the data under every screen: only its progress is shown meanwhile.
  const bool restoring = m_.restore_view().running;
  const bool nav = m_.member().has_value() && !restoring;
  if (nav) {
    ImGui::BeginChild("##nav", ImVec2(230, 0), true);
    DrawNavigation();
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("##content", ImVec2(0, 0), false);
  const ImVec2 band_at = ImGui::GetCursorScreenPos();
  const float band_w = ImGui::GetContentRegionAvail().x;
  if (restoring) {
    DrawRestoreProgress();
  } else {
    DrawScreen();
  }
  ImGui::EndChild();
  ImGui::End();
  // The message band lies over the top of the page (the page does not move under the mouse).
  if (!m_.message().empty() &&
      ui::Banner(m_.message(), m_.message_is_error(), band_at.x, band_at.y, band_w)) {
    m_.ClearMessage();
  }
}

void App::DrawNavigation() {
  ImGui::TextUnformatted("Gõ Cửa");
  if (m_.commune()) ImGui::TextDisabled("%s", m_.commune()->name.c_str());
  ImGui::TextWrapped("%s", m_.member()->name.c_str());
  ImGui::Separator();
  struct Item {
    const char* name;
    const char* key;
    Screen screen;
  };
  static const Item kItems[] = {
      {"nav.today", "nav.today", Screen::kToday},
      {"nav.households", "nav.households", Screen::kHouseholds},
      {"nav.returned", "nav.returned", Screen::kReturned},
      {"nav.sync", "nav.sync", Screen::kSync},
      {"nav.settings", "nav.settings", Screen::kSettings},
  };
  // Leaders see the whole commune: the dashboard (and the review queue, conflicts).
  static const Item kLeaderItems[] = {
      {"nav.review", "nav.review", Screen::kReview},
      {"nav.dashboard", "nav.dashboard", Screen::kDashboard},
      {"nav.conflicts", "nav.conflicts", Screen::kConflicts},
      {"nav.members", "nav.members", Screen::kMembers},
  };
  const Screen current = m_.route().screen;
  auto draw = [&](const Item& item) {
    if (ui::Selectable(item.name, Tr(item.key), current == item.screen)) {
      m_.ClearMessage();
      m_.Go({item.screen});
    }
  };
  for (const Item& item : kItems) draw(item);
  if (m_.is_leader()) {
    ImGui::Separator();
    ImGui::TextDisabled("%s", Tr("nav.leader"));
    for (const Item& item : kLeaderItems) draw(item);
    // The commune's laptops are managed on the hub, from a laptop it enrolled as a leader's.
    if (m_.device_is_leader()) draw({"nav.laptops", "nav.laptops", Screen::kLaptops});
  }
  ImGui::Separator();
  const SyncView& sv = m_.sync_view();
  if (sv.running) {
    ImGui::TextUnformatted(Tr("sync.running"));
  }
  if (ui::Button("nav.lock", Tr("nav.lock"))) m_.SignOut();
}

void App::DrawRestoreProgress() {
  const RestoreView& r = m_.restore_view();
  ui::Heading(Tr("restore.running_title"));
  const float fraction =
      r.total_pages > 0 ? static_cast<float>(r.done_pages) / static_cast<float>(r.total_pages) : 0;
  const std::string label = r.total_pages > 0
                                ? std::to_string(static_cast<int>(fraction * 100)) + " %"
                                : std::string(Tr("restore.checking"));
  ImGui::ProgressBar(fraction, ImVec2(-1, 0), label.c_str());
  probe::Note("restore.progress");
  ui::NamedText("restore.wait", Tr("restore.wait"), false);
}

void App::DrawScreen() {
  Screens& s = *screens_;
  if (!m_.commune()) {
    s.first_run.Draw(m_);
    return;
  }
  if (!m_.member()) {
    s.sign_in.Draw(m_);
    return;
  }
  switch (m_.route().screen) {
    case Screen::kFirstRun:
    case Screen::kSignIn:
    case Screen::kToday:
      s.today.Draw(m_);
      break;
    case Screen::kHouseholds:
      s.households.Draw(m_);
      break;
    case Screen::kHousehold:
      s.household.Draw(m_);
      break;
    case Screen::kHouseholdForm:
      s.household_form.Draw(m_);
      break;
    case Screen::kVisitForm:
      s.visit_form.Draw(m_);
      break;
    case Screen::kReturned:
      s.returned.Draw(m_);
      break;
    case Screen::kSync:
      s.sync.Draw(m_);
      break;
    case Screen::kSettings:
      s.settings.Draw(m_);
      break;
    case Screen::kDashboard:
      if (m_.is_leader()) s.dashboard.Draw(m_);
      break;
    case Screen::kReview:
      if (m_.is_leader()) s.review.Draw(m_);
      break;
    case Screen::kConflicts:
      if (m_.is_leader()) s.conflicts.Draw(m_);
      break;
    case Screen::kMembers:
      if (m_.is_leader()) s.members.Draw(m_);
      break;
    case Screen::kLaptops:
      if (m_.is_leader() && m_.device_is_leader()) s.laptops.Draw(m_);
      break;
  }
}

}  // namespace gocua::app
