#include "app/ui/screens/household_form_screen.h"

#include <imgui.h>

#include "app/core/app_log.h"
#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {

void HouseholdFormScreen::Load(AppModel& m) {
  loaded_ = true;
  loaded_for_ = m.route().id;
  error_.clear();
  h_ = Household{};
  village_index_ = -1;
  if (auto v = m.places().Villages()) villages_ = std::move(*v);
  if (!loaded_for_.empty()) {
    auto h = m.households().Get(loaded_for_);
    if (!h) {
      error_ = h.error().message();
      return;
    }
    h_ = *h;
  }
  for (size_t i = 0; i < villages_.size(); ++i) {
    if (villages_[i].id == h_.village_id) village_index_ = static_cast<int>(i);
  }
  // A new household starts in the village chosen last time (a team works one village at a time).
  for (size_t i = 0; village_index_ < 0 && i < villages_.size(); ++i) {
    if (villages_[i].id == m.settings().last_village_id) village_index_ = static_cast<int>(i);
  }
  if (village_index_ < 0 && villages_.size() == 1) village_index_ = 0;
}

void HouseholdFormScreen::Draw(AppModel& m) {
  if (!loaded_ || loaded_for_ != m.route().id) Load(m);
  const bool is_new = loaded_for_.empty();
  ui::Heading(is_new ? Tr("household_form.title_new") : Tr("household_form.title_edit"));
  std::vector<std::string> names;
  for (const Village& v : villages_) names.push_back(v.name);
  ImGui::PushItemWidth(360);
  ui::Combo("household_form.village", Tr("household.village"), &village_index_, names);
  ui::InputText("household_form.head", Tr("household.head"), &h_.head_name);
  ui::InputText("household_form.address", Tr("household.address"), &h_.address);
  ui::InputText("household_form.phone", Tr("household.phone"), &h_.phone,
                ImGuiInputTextFlags_CharsDecimal);
  ui::InputInt("household_form.members", Tr("household.members_count"), &h_.members_count);
  ui::InputInt("household_form.working_age", Tr("household.working_age"), &h_.working_age_count);
  ui::InputInt("household_form.smartphones", Tr("household.smartphones"), &h_.smartphones);
  ui::Checkbox("household_form.internet", Tr("household.home_internet"), &h_.home_internet);
  ImGui::PopItemWidth();

  const bool save = ui::Button("household_form.save", Tr("common.save")) || ui::SaveShortcut();
  ImGui::SameLine();
  if (ui::Button("household_form.cancel", Tr("common.cancel"))) {
    loaded_ = false;
    m.Go(is_new ? Route{Screen::kHouseholds} : Route{Screen::kHousehold, loaded_for_});
    return;
  }
  if (!error_.empty()) ui::ErrorText(error_);
  if (!save) return;
  if (village_index_ < 0) {
    error_ = Tr("household_form.need_village");
    return;
  }
  h_.village_id = villages_[village_index_].id;
  auto r = is_new ? m.households().Add(h_) : m.households().Update(h_);
  if (!r) {
    error_ = PlainText(r.error().message());
    m.LogDetail("household.save", r.error().message());
    return;
  }
  if (m.settings().last_village_id != h_.village_id) {
    Settings st = m.settings();
    st.last_village_id = h_.village_id;
    if (Status saved = m.UpdateSettings(st); !saved.ok()) m.LogDetail("settings", saved.message());
  }
  loaded_ = false;
  m.Touch();
  m.Info(Tr("household_form.saved"));
  m.Go({Screen::kHousehold, r->id});
}

}  // namespace gocua::app
