#include "app/ui/screens/visit_form_screen.h"

#include <imgui.h>

#include <algorithm>

#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

void Toggle(std::vector<std::string>& v, const std::string& x, bool on) {
  auto it = std::find(v.begin(), v.end(), x);
  if (on && it == v.end()) v.push_back(x);
  if (!on && it != v.end()) v.erase(it);
}

}  // namespace

void VisitFormScreen::Open(AppModel& m) {
  open_ = true;
  opened_household_ = m.route().id;
  opened_visit_ = m.route().visit_id;
  date_error_.clear(), followup_error_.clear(), topics_error_.clear(), error_.clear();
  leader_comment_.clear();
  status_.clear();
  const std::string me = m.member() ? m.member()->id : "";
  const std::string data_dir = m.settings().data_dir;

  // A draft wins when it is for this form (or when the form was opened without a household,
  // from Today's "continue").
  std::optional<VisitDraft> draft = LoadDraft(data_dir);
  const bool use_draft =
      draft && (opened_household_.empty() || (draft->visit.household_id == opened_household_ &&
                                              draft->visit.id == opened_visit_));
  if (use_draft) {
    draft_ = *draft;
    opened_household_ = draft_.visit.household_id;
    opened_visit_ = draft_.visit.id;
  } else if (!opened_visit_.empty()) {
    auto v = m.visits().Get(opened_visit_);
    if (!v) {
      error_ = v.error().message();
      return;
    }
    draft_ = VisitDraft{*v, ShowDate(v->visited_on), ShowDate(v->followup_on), me};
  } else {
    draft_ = VisitDraft{};
    draft_.visit.household_id = opened_household_;
    draft_.visit.minutes = 20;
    draft_.visit.members = {me};
    draft_.visited_text = ShowDate(m.Today());
    draft_.member_id = me;
  }
  if (!draft_.visit.id.empty()) {
    if (auto v = m.visits().Get(draft_.visit.id)) status_ = v->status;
    if (auto reviews = m.reviews().OfVisit(draft_.visit.id)) {
      for (const Review& r : *reviews) {
        if (r.decision == kStatusReturned) leader_comment_ = r.comment;
      }
    }
  }
  auto h = m.households().Get(opened_household_);
  if (!h) {
    household_.reset();
    error_ = h.error().message();
    return;
  }
  household_ = *h;
  if (auto p = m.persons().OfHousehold(h->id)) persons_ = std::move(*p);
  if (auto mm = m.members().List()) members_ = std::move(*mm);
  if (auto t = m.topics().List()) topics_ = std::move(*t);
}

void VisitFormScreen::KeepDraft(AppModel& m) {
  if (Status st = SaveDraft(m.settings().data_dir, draft_); !st.ok()) error_ = st.message();
}

void VisitFormScreen::Draw(AppModel& m) {
  const Route& r = m.route();
  if (!open_ || (!r.id.empty() && (r.id != opened_household_ || r.visit_id != opened_visit_))) {
    Open(m);
  }
  if (!household_) {
    if (ui::Button("visit.back", Tr("common.back"))) m.Go({Screen::kToday});
    ui::ErrorText(error_);
    return;
  }
  Visit& v = draft_.visit;
  bool changed = false;
  ui::Heading(Fmt(v.id.empty() ? Tr("visit.title_new") : Tr("visit.title_edit"),
                  {household_->head_name + " — " + household_->address})
                  .c_str());
  if (!leader_comment_.empty() && status_ == kStatusReturned) {
    ui::Banner(Fmt(Tr("visit.returned_comment"), {leader_comment_}), true);
  }

  ImGui::PushItemWidth(200);
  changed |= ui::InputText("visit.date", Tr("visit.date"), &draft_.visited_text);
  if (!date_error_.empty()) ui::ErrorText(date_error_);
  changed |= ui::InputInt("visit.minutes", Tr("visit.minutes"), &v.minutes);
  ImGui::PopItemWidth();

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("visit.members"));
  for (const Member& mem : members_) {
    bool on = Contains(v.members, mem.id);
    const bool is_me = m.member() && mem.id == m.member()->id;
    if (is_me) ImGui::BeginDisabled();
    if (ui::Checkbox(("visit.member." + mem.id).c_str(), mem.name.c_str(), &on)) {
      Toggle(v.members, mem.id, on);
      changed = true;
    }
    if (is_me) ImGui::EndDisabled();
    ImGui::SameLine();
  }
  ImGui::NewLine();

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("visit.persons"));
  if (persons_.empty()) ui::HintText(Tr("visit.no_persons"));
  for (const Person& p : persons_) {
    bool on = Contains(v.persons, p.id);
    if (ui::Checkbox(("visit.person." + p.id).c_str(), p.name.c_str(), &on)) {
      Toggle(v.persons, p.id, on);
      changed = true;
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("visit.topics"));
  std::vector<std::string> results;
  for (const char* res : kTopicResults) results.push_back(Tr((std::string("result.") + res).c_str()));
  if (ImGui::BeginTable("topics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("t", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("r", ImGuiTableColumnFlags_WidthStretch, 1.5f);
    for (const Topic& t : topics_) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(t.id.c_str());
      auto it = v.topics.find(t.id);
      bool on = it != v.topics.end();
      const std::string& name = CurrentLanguage() == "en" ? t.name_en : t.name_vi;
      if (ui::Checkbox(("visit.topic." + t.id).c_str(), name.c_str(), &on)) {
        if (on) {
          v.topics[t.id] = "guided";
        } else {
          v.topics.erase(t.id);
        }
        changed = true;
      }
      ImGui::TableNextColumn();
      it = v.topics.find(t.id);
      if (it != v.topics.end()) {
        int index = 0;
        for (int i = 0; i < static_cast<int>(std::size(kTopicResults)); ++i) {
          if (it->second == kTopicResults[i]) index = i;
        }
        ImGui::PushItemWidth(-1);
        if (ui::Combo(("visit.result." + t.id).c_str(), "", &index, results)) {
          it->second = kTopicResults[index];
          changed = true;
        }
        ImGui::PopItemWidth();
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!topics_error_.empty()) ui::ErrorText(topics_error_);

  changed |= ui::InputMultiline("visit.notes", Tr("visit.notes"), &v.notes,
                                ImGui::GetTextLineHeight() * 4);
  ImGui::PushItemWidth(200);
  changed |= ui::InputText("visit.followup", Tr("visit.followup"), &draft_.followup_text);
  ImGui::PopItemWidth();
  ui::HintText(Tr("visit.date_hint"));
  if (!followup_error_.empty()) ui::ErrorText(followup_error_);

  if (changed) KeepDraft(m);

  ImGui::Spacing();
  const bool save = ui::Button("visit.save", v.id.empty() || status_ != kStatusReturned
                                                 ? Tr("visit.save")
                                                 : Tr("visit.resubmit")) ||
                    ui::SaveShortcut();
  ImGui::SameLine();
  if (ui::Button("visit.discard", Tr("visit.discard"))) {
    DeleteDraft(m.settings().data_dir);
    open_ = false;
    m.Go({Screen::kHousehold, opened_household_});
    return;
  }
  ImGui::SameLine();
  ui::HintText(Tr("visit.shortcut_hint"));
  if (!error_.empty()) ui::ErrorText(error_);
  if (save) Save(m);
}

void VisitFormScreen::Save(AppModel& m) {
  Visit v = draft_.visit;
  date_error_.clear(), followup_error_.clear(), topics_error_.clear(), error_.clear();
  auto visited = ParseDate(draft_.visited_text);
  if (!visited || visited->empty()) date_error_ = Tr("visit.bad_date");
  auto followup = ParseDate(draft_.followup_text);
  if (!followup) followup_error_ = Tr("visit.bad_date");
  if (v.topics.empty()) topics_error_ = Tr("visit.need_topic");
  if (!date_error_.empty() || !followup_error_.empty() || !topics_error_.empty()) return;
  v.visited_on = *visited;
  v.followup_on = *followup;
  auto saved = m.visits().Save(v);
  if (!saved) {
    error_ = saved.error().message();
    return;
  }
  DeleteDraft(m.settings().data_dir);
  open_ = false;
  m.Touch();
  m.Info(Tr("visit.saved"));
  m.Go({Screen::kHousehold, saved->household_id});
}

}  // namespace gocua::app
