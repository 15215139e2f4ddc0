#include "app/ui/screens/household_screen.h"

#include <imgui.h>

#include <cstdlib>

#include "app/core/app_log.h"
#include "app/core/dates.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"
#include "storage/device/household_removal.h"

namespace gocua::app {

const std::vector<std::pair<std::string, std::string>>& SkillColumns() {
  static const std::vector<std::pair<std::string, std::string>> kSkills = {
      {"public_services", "skill.public_services"},
      {"shopping", "skill.shopping"},
      {"payment", "skill.payment"},
      {"safety", "skill.safety"},
      {"platforms", "skill.platforms"}};
  return kSkills;
}

const std::vector<std::string>& RemoveReasons() {
  static const std::vector<std::string> kReasons(std::begin(kRemovedReasons),
                                                 std::end(kRemovedReasons));
  return kReasons;
}

void HouseholdScreen::Reload(AppModel& m) {
  error_.clear();
  if (shown_id_ != m.route().id) {
    removing_ = false;
    remove_reason_ = -1;
    remove_error_.clear();
  }
  shown_id_ = m.route().id;
  removed_.reset();
  auto h = m.households().Get(shown_id_);
  if (!h) {
    household_.reset();
    error_ = h.error().message();
    // A removed household is still seen from its visits (Today, the review queue): say so and
    // why, with the visits it keeps.
    if (auto gone = FindRemovedHousehold(m.db(), shown_id_)) {
      removed_ = std::move(*gone);
      error_.clear();
      LoadVisits(m);
    }
    return;
  }
  household_ = *h;
  village_name_.clear();
  if (auto v = m.places().FindVillage(h->village_id)) village_name_ = v->name;
  if (auto p = m.persons().OfHousehold(shown_id_)) persons_ = std::move(*p);
  LoadVisits(m);
}

void HouseholdScreen::LoadVisits(AppModel& m) {
  if (auto v = m.visits().List({.household_id = shown_id_, .limit = 200})) visits_ = std::move(*v);
  member_names_.clear();
  if (auto mm = m.members().ListAll()) {  // deactivated members' visits still name them
    for (const MemberStatus& mem : *mm) member_names_[mem.member.id] = mem.member.name;
  }
}

void HouseholdScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m) || shown_id_ != m.route().id) Reload(m);
  if (ui::Button("household.back", Tr("common.back"))) m.Go({Screen::kHouseholds});
  if (removed_) {
    DrawRemoved(m);
    return;
  }
  if (!household_) {
    ui::ErrorText(error_);
    return;
  }
  const Household& h = *household_;
  ImGui::SameLine();
  ui::Heading((h.head_name + " — " + h.address).c_str());
  ImGui::TextWrapped("%s: %s   %s: %s   %s: %d   %s: %d", Tr("household.village"),
                     village_name_.c_str(), Tr("household.phone"), h.phone.c_str(),
                     Tr("household.members_count"), h.members_count, Tr("household.smartphones"),
                     h.smartphones);
  // "Số người: 6" beside one listed person reads as a mistake: say how many are listed.
  if (static_cast<int>(persons_.size()) < h.members_count) {
    ui::HintText(Fmt(Tr("household.listed_of"),
                     {std::to_string(persons_.size()), std::to_string(h.members_count)}));
  }
  if (ui::Button("household.record_visit", Tr("household.record_visit"))) {
    m.Go({Screen::kVisitForm, h.id, ""});
  }
  ImGui::SameLine();
  if (ui::Button("household.edit", Tr("household.edit"))) m.Go({Screen::kHouseholdForm, h.id});
  ui::SameLineIfFits(ImGui::CalcTextSize(Tr("household.remove")).x +
                     ImGui::GetStyle().FramePadding.x * 2);
  if (ui::Button("household.remove", Tr("household.remove"))) {
    removing_ = !removing_;
    remove_reason_ = -1;
    remove_error_.clear();
  }
  if (!error_.empty()) ui::ErrorText(error_);
  if (removing_) {
    DrawRemoveHousehold(m);
    if (!household_) return;  // removed: the route has moved on
  }

  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("household.persons"));
  const auto& skills = SkillColumns();
  if (ImGui::BeginTable("persons", 2 + static_cast<int>(skills.size()),
                        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH)) {
    // Headers wrap like the cells ("Nền tảng số" was cut at the right edge at text size 1.45
    // and 1024x600): ImGui's TableHeadersRow clips a header to one line.
    std::vector<const char*> headers = {Tr("person.name"), Tr("person.birth_year")};
    for (const auto& [code, key] : skills) headers.push_back(Tr(key.c_str()));
    for (const char* header : headers) ImGui::TableSetupColumn(header);
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (size_t i = 0; i < headers.size(); ++i) {
      ImGui::TableSetColumnIndex(static_cast<int>(i));
      ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
      ui::CellText("household.header." + std::to_string(i), headers[i]);
    }
    for (const Person& p : persons_) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      // The name opens the person for correction; cells wrap: nothing cut at large text.
      if (ui::Selectable(("household.person." + p.id).c_str(), p.name.c_str(),
                         editing_.id == p.id)) {
        editing_ = p;
        confirm_remove_ = false;
        edit_year_ = std::to_string(p.birth_year);
        edit_error_.clear();
      }
      ImGui::TableNextColumn();
      ui::CellText("household.person_year." + p.id, std::to_string(p.birth_year));
      for (const auto& [code, key] : skills) {
        ImGui::TableNextColumn();
        auto it = p.skills.find(code);
        const std::string level = it == p.skills.end() ? "none" : it->second;
        ui::CellText("household.person_skill." + p.id + "." + code, Tr(("level." + level).c_str()));
      }
    }
    ImGui::EndTable();
  }
  DrawEditPerson(m);
  DrawAddPerson(m);

  DrawVisits(m, h.id);
}

void HouseholdScreen::DrawVisits(AppModel& m, const std::string& household_id) {
  ImGui::Spacing();
  ImGui::TextUnformatted(Tr("household.visits"));
  if (visits_.empty()) ui::NamedText("household.visits_none", Tr("household.visits_none"), false);
  for (const Visit& v : visits_) {
    ImGui::PushID(v.id.c_str());
    std::string line = ShowDate(v.visited_on) + "  ·  " + Tr(("status." + v.status).c_str()) +
                       "  ·  " + std::to_string(v.topics.size()) + " " + Tr("visit.topics_short");
    if (!v.followup_on.empty())
      line += "  ·  " + Fmt(Tr("visit.followup_on"), {ShowDate(v.followup_on)});
    // Who went.
    std::string who;
    for (const std::string& id : v.members) {
      auto it = member_names_.find(id);
      if (it == member_names_.end()) continue;
      who += (who.empty() ? "" : ", ") + it->second;
    }
    if (!who.empty()) line += "  ·  " + who;
    if (ui::Selectable(("household.visit." + v.id).c_str(), line.c_str(), false)) {
      m.Go({Screen::kVisitForm, household_id, v.id});
    }
    ImGui::PopID();
  }
}

void HouseholdScreen::DrawRemoved(AppModel& m) {
  const RemovedHousehold& h = *removed_;
  ImGui::SameLine();
  ui::Heading((h.head_name + " — " + h.address).c_str());
  // A known code in the person's language; other text as written; none: "không ghi".
  std::string reason = h.reason.empty() ? Tr("household.reason_unknown") : h.reason;
  for (const std::string& code : RemoveReasons())
    if (h.reason == code) reason = Tr(("household.reason." + code).c_str());
  ui::NamedText("household.removed_notice", Fmt(Tr("household.removed_notice"), {reason}), false);
  DrawVisits(m, h.id);
}

void HouseholdScreen::DrawAddPerson(AppModel& m) {
  if (!ImGui::TreeNode(Tr("household.add_person"))) return;
  ImGui::PushItemWidth(240);
  ui::InputText("person.name", Tr("person.name"), &new_name_);
  ui::InputInt("person.birth_year", Tr("person.birth_year"), &new_birth_year_);
  const std::vector<std::string> sexes{Tr("sex.female"), Tr("sex.male"), Tr("sex.other")};
  ui::Combo("person.sex", Tr("person.sex"), &new_sex_, sexes);
  ImGui::PopItemWidth();
  if (ui::Button("person.add", Tr("person.add"))) {
    static const char* const kSex[] = {"female", "male", "other"};
    Person p;
    p.household_id = household_->id;
    p.name = new_name_;
    p.birth_year = new_birth_year_;
    p.sex = new_sex_ >= 0 ? kSex[new_sex_] : "";
    auto r = m.persons().Add(p);
    if (r) {
      new_name_.clear();
      person_error_.clear();
      m.Touch();
    } else {
      person_error_ = r.error().message();
    }
  }
  if (!person_error_.empty()) ui::ErrorText(person_error_);
  ImGui::TreePop();
}

void HouseholdScreen::DrawEditPerson(AppModel& m) {
  if (editing_.id.empty()) return;
  static const char* const kSex[] = {"female", "male", "other"};
  ImGui::TextUnformatted(Tr("household.edit_person"));
  ImGui::PushItemWidth(260);
  ui::InputTextHint("household.person_name", Tr("person.name"), &editing_.name);
  ImGui::SameLine();
  ImGui::PushItemWidth(110);
  ui::InputTextHint("household.person_year", Tr("person.birth_year"), &edit_year_,
                    ImGuiInputTextFlags_CharsDecimal);
  ImGui::PopItemWidth();
  ImGui::PopItemWidth();
  const char* labels[] = {Tr("sex.female"), Tr("sex.male"), Tr("sex.other")};
  for (int i = 0; i < 3; ++i) {
    if (ui::Radio((std::string("household.person_sex.") + kSex[i]).c_str(), labels[i],
                  editing_.sex == kSex[i])) {
      editing_.sex = kSex[i];
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (ui::Button("household.person_save", Tr("household.person_save"))) {
    editing_.birth_year = std::atoi(edit_year_.c_str());
    auto r = m.persons().Update(editing_);  // keeps the skills: they come from visits
    if (r) {
      editing_ = Person{};
      edit_error_.clear();
      m.Touch();
      m.Info(Tr("household.person_saved"));
    } else {
      edit_error_ = PlainText(r.error().message());
      m.LogDetail("person.update", r.error().message());
    }
  }
  ImGui::SameLine();
  if (ui::Button("household.person_cancel", Tr("common.cancel"))) {
    editing_ = Person{};
    confirm_remove_ = false;
  }
  // Removing asks first (a person listed by mistake, or who left the household).
  ui::SameLineIfFits(ImGui::CalcTextSize(Tr("household.person_remove")).x +
                     ImGui::GetStyle().FramePadding.x * 2);
  if (!confirm_remove_) {
    if (ui::Button("household.person_remove", Tr("household.person_remove"))) {
      confirm_remove_ = true;
    }
  } else {
    ui::NamedText("household.person_remove_ask",
                  Fmt(Tr("household.person_remove_ask"), {editing_.name}), true);
    if (ui::Button("household.person_remove_yes", Tr("household.person_remove_yes"))) {
      if (Status st = m.persons().Remove(editing_.id); st.ok()) {
        m.Info(Fmt(Tr("household.person_removed"), {editing_.name}));
        editing_ = Person{};
        m.Touch();
      } else {
        edit_error_ = PlainText(st.message());
        m.LogDetail("person.remove", st.message());
      }
      confirm_remove_ = false;
    }
    ImGui::SameLine();
    if (ui::Button("household.person_remove_no", Tr("household.person_remove_no"))) {
      confirm_remove_ = false;
    }
  }
  if (!edit_error_.empty()) ui::ErrorText(edit_error_);
}

void HouseholdScreen::DrawRemoveHousehold(AppModel& m) {
  const Household& h = *household_;
  ImGui::TextUnformatted(Tr("household.remove_reason"));
  const auto& reasons = RemoveReasons();
  for (int i = 0; i < static_cast<int>(reasons.size()); ++i) {
    const std::string key = "household.reason." + reasons[i];
    if (i > 0) ui::SameLineIfFits(ImGui::CalcTextSize(Tr(key.c_str())).x + 40);
    if (ui::Radio(("household.remove_reason." + reasons[i]).c_str(), Tr(key.c_str()),
                  remove_reason_ == i)) {
      remove_reason_ = i;
      remove_error_.clear();
    }
  }
  ui::NamedText("household.remove_ask", Fmt(Tr("household.remove_ask"), {h.head_name, h.address}),
                true);
  if (ui::Button("household.remove_yes", Tr("household.remove_yes"))) {
    if (remove_reason_ < 0) {
      remove_error_ = Tr("household.remove_pick");
    } else if (Status st =
                   RemoveHousehold(m.db(), h.id, reasons[static_cast<size_t>(remove_reason_)]);
               st.ok()) {
      m.Info(Fmt(Tr("household.removed"), {h.head_name, h.address}));
      removing_ = false;
      household_.reset();
      m.Touch();
      m.Go({Screen::kHouseholds});
      return;
    } else {
      remove_error_ = Tr("household.remove_failed");
      m.LogDetail("household.remove", st.message());
    }
  }
  ImGui::SameLine();
  if (ui::Button("household.remove_no", Tr("common.cancel"))) {
    removing_ = false;
    remove_error_.clear();
  }
  if (!remove_error_.empty()) ui::NamedError("household.remove_error", remove_error_);
}

}  // namespace gocua::app
