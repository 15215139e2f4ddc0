#include "app/ui/screens/visit_form_screen.h"

#include <imgui.h>

#include <algorithm>
#include <cstdlib>

#include "app/core/app_log.h"
#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/focus_ring.h"
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

// A label above its field (a label after a number reads as "25 Số phút").
void Label(const char* text) { ImGui::TextUnformatted(text); }

// Keeps a message only while its field is still wrong.
void KeepIfStill(std::string* shown, const std::string& now) {
  if (!shown->empty()) *shown = now;
}

constexpr const char* kSexes[] = {"female", "male", "other"};

}  // namespace

void VisitFormScreen::Open(AppModel& m) {
  open_ = true;
  opened_household_ = m.route().id;
  opened_visit_ = m.route().visit_id;
  shown_ = Problems{};
  error_.clear(), focus_.clear(), person_error_.clear();
  confirm_discard_ = false;
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
    draft_.visit.minutes = m.settings().visit_minutes;
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
  LoadLists(m);
  // Nobody listed yet: the keys go to the new person's name.
  if (persons_.empty() && status_ != kStatusApproved) focus_ = "visit.new_person.name";
}

// Persons, members and topics can change while the form is open (a person added, a sync).
void VisitFormScreen::LoadLists(AppModel& m) {
  if (!household_) return;
  if (auto p = m.persons().OfHousehold(household_->id)) persons_ = std::move(*p);
  if (auto mm = m.members().List()) members_ = std::move(*mm);
  if (auto mm = m.members().ListAll()) all_members_ = std::move(*mm);
  if (auto t = m.topics().List()) topics_ = std::move(*t);
}

void VisitFormScreen::KeepDraft(AppModel& m) {
  if (Status st = SaveDraft(m.settings().data_dir, draft_); !st.ok()) error_ = st.message();
}

void VisitFormScreen::FocusIfAsked(const char* name) {
  if (focus_ == name) ImGui::SetKeyboardFocusHere();
}

void VisitFormScreen::ScrollIfAsked(const char* name) {
  if (focus_ != name) return;
  ImGui::SetScrollHereY(0.3f);
  focus_.clear();
}

VisitFormScreen::Problems VisitFormScreen::Check() const {
  Problems p;
  auto visited = ParseDate(draft_.visited_text);
  if (!visited || visited->empty()) p.date = Tr("visit.bad_date");
  const int minutes = draft_.visit.minutes;
  if (minutes < 1 || minutes > 600) p.minutes = Tr("visit.bad_minutes");
  if (draft_.visit.topics.empty()) p.topics = Tr("visit.need_topic");
  if (!ParseDate(draft_.followup_text)) p.followup = Tr("visit.bad_date");
  return p;
}

void VisitFormScreen::Draw(AppModel& m) {
  ring_.Begin();  // Tab reaches every field, check box, result and button, in drawing order
  DrawForm(m);
  ring_.End();
}

void VisitFormScreen::DrawForm(AppModel& m) {
  const Route& r = m.route();
  if (!open_ || (!r.id.empty() && (r.id != opened_household_ || r.visit_id != opened_visit_))) {
    Open(m);
    fresh_.Stale(m);
  } else if (fresh_.Stale(m)) {
    LoadLists(m);
  }
  if (!household_) {
    if (ui::Button("visit.back", Tr("common.back"))) m.Go({Screen::kToday});
    ui::ErrorText(error_);
    return;
  }
  const bool read_only = status_ == kStatusApproved;
  ui::Heading(Fmt(draft_.visit.id.empty() ? Tr("visit.title_new") : Tr("visit.title_edit"),
                  {household_->head_name + " — " + household_->address})
                  .c_str());
  if (!leader_comment_.empty() && status_ == kStatusReturned) {
    ui::NamedError("visit.returned_comment", Fmt(Tr("visit.returned_comment"), {leader_comment_}));
  }
  if (read_only) {
    ui::NamedText("visit.approved_note",
                  m.is_leader() ? Tr("visit.approved_leader") : Tr("visit.approved_readonly"),
                  false);
  }
  if (shown_.any()) {
    std::string summary = Tr("visit.summary");
    for (const std::string* p : {&shown_.date, &shown_.minutes, &shown_.topics, &shown_.followup}) {
      if (!p->empty()) summary += "\n• " + *p;
    }
    ui::NamedText("visit.summary", summary, true);
  }

  // The fields scroll; the Save row below them stays on screen.
  float footer = ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().ItemSpacing.y * 2;
  if (!error_.empty()) footer += ImGui::GetTextLineHeightWithSpacing() * 2;
  ImGui::BeginChild("##visit_body", ImVec2(0, -footer), false);
  bool changed = false;
  if (read_only) ui::BeginDisabled();
  DrawFields(m, &changed);
  if (read_only) ui::EndDisabled();
  ImGui::EndChild();

  if (changed && !read_only) {
    KeepDraft(m);
    const Problems now = Check();
    KeepIfStill(&shown_.date, now.date);
    KeepIfStill(&shown_.minutes, now.minutes);
    KeepIfStill(&shown_.topics, now.topics);
    KeepIfStill(&shown_.followup, now.followup);
  }
  DrawFooter(m, read_only);
}

void VisitFormScreen::DrawFields(AppModel& m, bool* changed) {
  Visit& v = draft_.visit;
  // Date and minutes side by side when they fit (each label above its field).
  ImGui::PushItemWidth(220);
  ImGui::BeginGroup();
  Label(Tr("visit.date"));
  FocusIfAsked("visit.date");
  *changed |= ui::InputText("visit.date", "", &draft_.visited_text);
  ScrollIfAsked("visit.date");
  if (!shown_.date.empty()) ui::ErrorText(shown_.date);
  ImGui::EndGroup();
  ui::SameLineIfFits(ImGui::CalcItemWidth() + ImGui::GetFrameHeight() * 3);
  ImGui::BeginGroup();
  Label(Tr("visit.minutes"));
  FocusIfAsked("visit.minutes");
  *changed |= ui::InputInt("visit.minutes", "", &v.minutes, ImGuiInputTextFlags_AutoSelectAll);
  ScrollIfAsked("visit.minutes");
  if (!shown_.minutes.empty()) ui::NamedError("visit.minutes_error", shown_.minutes);
  ImGui::EndGroup();
  ImGui::PopItemWidth();

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("visit.members"));
  bool first = true;
  for (const Member& mem : members_) {
    if (!first)
      ui::SameLineIfFits(ImGui::CalcTextSize(mem.name.c_str()).x + ImGui::GetFrameHeight() * 2);
    first = false;
    bool on = Contains(v.members, mem.id);
    const bool is_me = m.member() && mem.id == m.member()->id;
    if (is_me) ui::BeginDisabled();
    if (ui::Checkbox(("visit.member." + mem.id).c_str(), mem.name.c_str(), &on)) {
      Toggle(v.members, mem.id, on);
      *changed = true;
    }
    if (is_me) ui::EndDisabled();
  }
  // A member deactivated since this visit: still named on it, not offered to tick.
  for (const MemberStatus& s : all_members_) {
    if (s.active || !Contains(v.members, s.member.id)) continue;
    const std::string label = s.member.name + " — " + Tr("members.inactive");
    ui::SameLineIfFits(ImGui::CalcTextSize(label.c_str()).x + ImGui::GetFrameHeight() * 2);
    bool on = true;
    ui::BeginDisabled();
    ui::Checkbox(("visit.member." + s.member.id).c_str(), label.c_str(), &on);
    ui::EndDisabled();
  }

  ImGui::Spacing();
  DrawPersons(m, changed);

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("visit.topics"));
  ScrollIfAsked("visit.topics");
  // Each topic row: tick the topic, or click its result straight away (that ticks it too:
  // one click per topic covered).
  if (ImGui::BeginTable("topics", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    ImGui::TableSetupColumn("t", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("r", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    for (const Topic& t : topics_) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(t.id.c_str());
      auto it = v.topics.find(t.id);
      bool on = it != v.topics.end();
      const std::string& name = CurrentLanguage() == "en" ? t.name_en : t.name_vi;
      if (ui::CheckboxWrapped(("visit.topic." + t.id).c_str(), name.c_str(), &on)) {
        if (on) {
          v.topics[t.id] = "guided";
        } else {
          v.topics.erase(t.id);
        }
        *changed = true;
      }
      ImGui::TableNextColumn();
      it = v.topics.find(t.id);
      const float widest = ImGui::CalcTextSize(Tr("result.no_conditions")).x +
                           ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.x * 2;
      for (int i = 0; i < static_cast<int>(std::size(kTopicResults)); ++i) {
        const bool active = it != v.topics.end() && it->second == kTopicResults[i];
        const std::string label = Tr((std::string("result.") + kTopicResults[i]).c_str());
        if (ui::Radio(("visit.result." + t.id + "." + std::to_string(i)).c_str(), label.c_str(),
                      active)) {
          v.topics[t.id] = kTopicResults[i];
          it = v.topics.find(t.id);
          *changed = true;
        }
        if (i + 1 < static_cast<int>(std::size(kTopicResults))) ui::SameLineIfFits(widest);
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (!shown_.topics.empty()) ui::ErrorText(shown_.topics);

  *changed |= ui::InputMultiline("visit.notes", Tr("visit.notes"), &v.notes,
                                 ImGui::GetTextLineHeight() * 4);
  ImGui::PushItemWidth(220);
  Label(Tr("visit.followup"));
  FocusIfAsked("visit.followup");
  *changed |= ui::InputText("visit.followup", "", &draft_.followup_text);
  ScrollIfAsked("visit.followup");
  ImGui::PopItemWidth();
  // The usual follow-ups in one click: a week, two weeks or a month after the visit.
  static const int kAfterDays[] = {7, 14, 30};
  static const char* const kAfterKeys[] = {"visit.followup_1w", "visit.followup_2w",
                                           "visit.followup_1m"};
  for (int i = 0; i < 3; ++i) {
    ui::SameLineIfFits(ImGui::CalcTextSize(Tr(kAfterKeys[i])).x +
                       ImGui::GetStyle().FramePadding.x * 2);
    const std::string name = "visit.followup_in." + std::to_string(kAfterDays[i]);
    if (ui::Button(name.c_str(), Tr(kAfterKeys[i]))) {
      auto visited = ParseDate(draft_.visited_text);
      auto when = visited && !visited->empty() ? AddDays(*visited, kAfterDays[i]) : std::nullopt;
      if (when) {
        draft_.followup_text = ShowDate(*when);
        *changed = true;
      }
    }
  }
  ui::HintText(Tr("visit.date_hint"));
  if (!shown_.followup.empty()) ui::ErrorText(shown_.followup);
}

void VisitFormScreen::DrawPersons(AppModel& m, bool* changed) {
  Visit& v = draft_.visit;
  ImGui::TextUnformatted(Tr("visit.persons"));
  if (persons_.empty()) ui::HintText(Tr("visit.no_persons"));
  bool first = true;
  for (const Person& p : persons_) {
    if (!first)
      ui::SameLineIfFits(ImGui::CalcTextSize(p.name.c_str()).x + ImGui::GetFrameHeight() * 2);
    first = false;
    bool on = Contains(v.persons, p.id);
    if (ui::Checkbox(("visit.person." + p.id).c_str(), p.name.c_str(), &on)) {
      Toggle(v.persons, p.id, on);
      *changed = true;
    }
  }
  // Add a person here: a first visit is one screen.
  ImGui::PushItemWidth(260);
  FocusIfAsked("visit.new_person.name");
  bool add = ui::InputTextHint("visit.new_person.name", Tr("visit.new_person_name"), &new_name_,
                               ImGuiInputTextFlags_EnterReturnsTrue);
  ScrollIfAsked("visit.new_person.name");
  ImGui::SameLine();
  ImGui::PushItemWidth(110);
  add |= ui::InputTextHint("visit.new_person.year", Tr("person.birth_year"), &new_year_,
                           ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::PopItemWidth();
  ImGui::PopItemWidth();
  const char* sex_labels[] = {Tr("sex.female"), Tr("sex.male"), Tr("sex.other")};
  // Sex and "add" stay together: beside the fields when they fit, else on the next line.
  const ImGuiStyle& style = ImGui::GetStyle();
  float group_w = ImGui::CalcTextSize(Tr("visit.new_person_add")).x + style.FramePadding.x * 2;
  for (const char* l : sex_labels) {
    group_w += ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(l).x +
               style.ItemSpacing.x;
  }
  ui::SameLineIfFits(group_w);
  for (int i = 0; i < 3; ++i) {
    if (ui::Radio(("visit.new_person.sex." + std::string(kSexes[i])).c_str(), sex_labels[i],
                  new_sex_ == i)) {
      new_sex_ = i;
    }
    ImGui::SameLine();
  }
  add |= ui::Button("visit.new_person.add", Tr("visit.new_person_add"));
  if (add && !new_name_.empty()) {
    Person p;
    p.household_id = household_->id;
    p.name = new_name_;
    p.birth_year = std::atoi(new_year_.c_str());
    p.sex = new_sex_ >= 0 ? kSexes[new_sex_] : "";
    if (p.birth_year < 1900) {
      person_error_ = Tr("visit.new_person_year");
    } else if (p.sex.empty()) {
      person_error_ = Tr("visit.new_person_sex");
    } else if (auto r = m.persons().Add(p)) {
      v.persons.push_back(r->id);  // the person just added was guided on this visit
      *changed = true;
      new_name_.clear(), new_year_.clear(), person_error_.clear();
      new_sex_ = -1;
      m.Touch();
    } else {
      person_error_ = Tr("visit.new_person_failed");
      m.LogDetail("visit.add_person", r.error().message());
    }
  }
  if (!person_error_.empty()) ui::NamedError("visit.new_person_error", person_error_);
}

void VisitFormScreen::DrawFooter(AppModel& m, bool read_only) {
  ImGui::Separator();
  if (read_only) {
    if (ui::Button("visit.back", Tr("common.back"))) {
      open_ = false;
      m.Go({Screen::kHousehold, opened_household_});
      return;
    }
    // A leader may reopen it: back to "pending", editable, the decisions so far kept.
    if (m.is_leader()) {
      ImGui::SameLine();
      if (ui::Button("visit.reopen", Tr("visit.reopen"))) Reopen(m);
    }
    if (!error_.empty()) ui::ErrorText(error_);
    return;
  }
  const bool returned = !draft_.visit.id.empty() && status_ == kStatusReturned;
  const bool save = ui::Button("visit.save", returned ? Tr("visit.resubmit") : Tr("visit.save")) ||
                    ui::SaveShortcut();
  ImGui::SameLine();
  if (!confirm_discard_) {
    if (ui::Button("visit.discard", Tr("visit.discard"))) confirm_discard_ = true;
    ImGui::SameLine();
    ui::HintText(Tr("visit.shortcut_hint"));
  } else {
    ImGui::TextUnformatted(Tr("visit.discard_ask"));
    ImGui::SameLine();
    if (ui::Button("visit.discard_confirm", Tr("visit.discard_yes"))) {
      DeleteDraft(m.settings().data_dir);
      open_ = false;
      confirm_discard_ = false;
      m.Go({Screen::kHousehold, opened_household_});
      return;
    }
    ImGui::SameLine();
    if (ui::Button("visit.discard_keep", Tr("visit.discard_no"))) confirm_discard_ = false;
  }
  if (!error_.empty()) ui::ErrorText(error_);
  if (save) Save(m);
}

void VisitFormScreen::Reopen(AppModel& m) {
  auto r = m.reviews().Reopen(draft_.visit.id, m.member()->id);
  if (!r) {
    error_ = Tr("visit.reopen_failed");
    m.LogDetail("visit.reopen", r.error().message());
    return;
  }
  status_ = kStatusPending;
  error_.clear();
  m.Touch();
  m.Info(Tr("visit.reopened"));
}

void VisitFormScreen::Save(AppModel& m) {
  error_.clear();
  shown_ = Check();
  if (shown_.any()) {
    focus_ = !shown_.date.empty()      ? "visit.date"
             : !shown_.minutes.empty() ? "visit.minutes"
             : !shown_.topics.empty()  ? "visit.topics"
                                       : "visit.followup";
    return;
  }
  Visit v = draft_.visit;
  v.visited_on = *ParseDate(draft_.visited_text);
  v.followup_on = *ParseDate(draft_.followup_text);
  auto saved = m.visits().Save(v);
  if (!saved) {
    error_ = Fmt(Tr("visit.save_failed"), {PlainText(saved.error().message())});
    m.LogDetail("visit.save", saved.error().message());
    return;
  }
  DeleteDraft(m.settings().data_dir);
  if (m.settings().visit_minutes != v.minutes) {
    Settings s = m.settings();
    s.visit_minutes = v.minutes;  // the usual length, for the next visit
    (void)m.UpdateSettings(s);
  }
  open_ = false;
  m.Touch();
  m.Info(Tr("visit.saved"));
  m.Go({Screen::kHousehold, saved->household_id});
}

}  // namespace gocua::app
