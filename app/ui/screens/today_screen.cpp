#include "app/ui/screens/today_screen.h"

#include <imgui.h>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/core/visit_draft.h"
#include "app/ui/widgets.h"
#include "storage/device/household_removal.h"

namespace gocua::app {

void TodayScreen::Reload(AppModel& m) {
  error_.clear();
  const std::string me = m.member() ? m.member()->id : "";
  auto t = LoadToday(m.db(), {m.Today(), me});
  if (t) {
    today_ = std::move(*t);
  } else {
    error_ = t.error().message();
  }
  auto r = m.visits().List({.member_id = me, .status = kStatusReturned, .limit = 50});
  if (r) returned_ = std::move(*r);
  auto recent = m.visits().List({.member_id = me, .limit = 10});
  if (recent) recent_ = std::move(*recent);
  recent_households_.clear();
  for (const Visit& v : recent_) {
    auto h = m.households().Get(v.household_id);
    if (h) {
      recent_households_.push_back(h->head_name + " — " + h->address);
    } else if (auto gone = FindRemovedHousehold(m.db(), v.household_id)) {
      recent_households_.push_back(gone->head_name + " — " + gone->address + " (" +
                                   Tr("household.removed_short") + ")");
    } else {
      recent_households_.push_back(std::string());
    }
  }
}

void TodayScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m)) Reload(m);
  ui::Heading(Fmt(Tr("today.title"), {ShowDate(m.Today())}).c_str());
  if (!error_.empty()) ui::ErrorText(error_);

  if (HasDraft(m.settings().data_dir)) {
    if (ui::Button("today.continue_draft", Tr("today.continue_draft"))) {
      m.Go({Screen::kVisitForm, "", ""});
    }
    ImGui::Separator();
  }

  // Sync status line.
  if (today_.unsynced > 0) {
    ImGui::Text("%s", Fmt(Tr("today.unsynced"), {std::to_string(today_.unsynced)}).c_str());
  } else {
    ImGui::TextUnformatted(Tr("today.all_synced"));
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s",
                      today_.last_sync_ms
                          ? Fmt(Tr("today.last_sync"), {ShowTime(today_.last_sync_ms)}).c_str()
                          : Tr("today.never_synced"));
  ImGui::Spacing();

  if (!returned_.empty()) {
    ImGui::Text("%s", Fmt(Tr("today.returned"), {std::to_string(returned_.size())}).c_str());
    if (ui::Button("today.open_returned", Tr("today.open_returned"))) m.Go({Screen::kReturned});
    ImGui::Separator();
  }

  ImGui::Text("%s", Fmt(Tr("today.followups"), {std::to_string(today_.followups_total)}).c_str());
  if (today_.followups.empty()) {
    ui::NamedText("today.followups_none", Tr("today.followups_none"), false);
  } else if (ImGui::BeginTable("followups", 3,
                               ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    for (const FollowUp& f : today_.followups) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const std::string due =
          f.overdue ? ShowDate(f.followup_on) + " " + Tr("today.overdue") : ShowDate(f.followup_on);
      if (f.overdue) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
      ui::CellText("today.followup_due." + f.visit_id, due);
      if (f.overdue) ImGui::PopStyleColor();
      ImGui::TableNextColumn();
      const std::string label = f.head_name + " — " + f.address;
      if (ui::Selectable(("today.followup." + f.visit_id).c_str(), label.c_str(), false)) {
        m.Go({Screen::kHousehold, f.household_id});
      }
      ImGui::TableNextColumn();
      ui::CellText("today.followup_village." + f.visit_id, f.village_name);
    }
    ImGui::EndTable();
  }
  ImGui::Spacing();

  ImGui::Text("%s",
              Fmt(Tr("today.not_visited"), {std::to_string(today_.not_visited_total)}).c_str());
  ImGui::BeginChild("##not_visited", ImVec2(0, 220), true);
  for (const Household& h : today_.not_visited) {
    const std::string label = h.head_name + " — " + h.address;
    if (ui::Selectable(("today.household." + h.id).c_str(), label.c_str(), false)) {
      m.Go({Screen::kHousehold, h.id});
    }
  }
  ImGui::EndChild();

  ImGui::TextUnformatted(Tr("today.recent"));
  if (recent_.empty()) ui::NamedText("today.recent_none", Tr("today.recent_none"), false);
  for (size_t i = 0; i < recent_.size(); ++i) {
    const Visit& v = recent_[i];
    const std::string label = ShowDate(v.visited_on) + "  ·  " + recent_households_[i] + "  ·  " +
                              Tr(("status." + v.status).c_str());
    if (ui::Selectable(("today.visit." + v.id).c_str(), label.c_str(), false)) {
      m.Go({Screen::kHousehold, v.household_id});
    }
  }
}

}  // namespace gocua::app
