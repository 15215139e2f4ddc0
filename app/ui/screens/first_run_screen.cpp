#include "app/ui/screens/first_run_screen.h"

#include <imgui.h>

#include <sstream>

#include "app/core/app_log.h"
#include "app/core/i18n.h"
#include "app/ui/ui_probe.h"
#include "app/ui/widgets.h"

namespace gocua::app {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

}  // namespace

void FirstRunScreen::Draw(AppModel& m) {
  ui::Heading(Tr("first_run.title"));
  ImGui::TextWrapped("%s", Tr("first_run.intro"));
  ImGui::Spacing();
  if (ImGui::RadioButton(Tr("first_run.mode_local"), mode_ == 0)) mode_ = 0;
  probe::Note("first_run.mode_local");
  ImGui::SameLine();
  if (ImGui::RadioButton(Tr("first_run.mode_enroll"), mode_ == 1)) mode_ = 1;
  probe::Note("first_run.mode_enroll");
  ImGui::Separator();
  ImGui::PushItemWidth(360);
  if (mode_ == 0) {
    DrawLocal(m);
  } else {
    DrawEnroll(m);
  }
  ImGui::PopItemWidth();
  if (!error_.empty()) ui::ErrorText(error_);
}

void FirstRunScreen::DrawLocal(AppModel& m) {
  ui::InputText("first_run.province", Tr("first_run.province"), &province_);
  ui::InputText("first_run.commune", Tr("first_run.commune"), &commune_);
  ui::InputText("first_run.villages", Tr("first_run.villages"), &villages_);
  ui::HintText(Tr("first_run.villages_hint"));
  ui::InputText("first_run.leader", Tr("first_run.leader"), &leader_name_);
  ui::InputText("first_run.pin", Tr("first_run.pin"), &pin_, ImGuiInputTextFlags_Password);
  ui::InputText("first_run.pin_again", Tr("first_run.pin_again"), &pin_again_,
                ImGuiInputTextFlags_Password);
  if (!ui::Button("first_run.create", Tr("first_run.create"))) return;

  const std::vector<std::string> villages = SplitList(villages_);
  if (province_.empty() || commune_.empty()) {
    error_ = Tr("first_run.need_commune");
  } else if (villages.empty()) {
    error_ = Tr("first_run.need_village");
  } else if (leader_name_.empty()) {
    error_ = Tr("first_run.need_leader");
  } else if (pin_ != pin_again_) {
    error_ = Tr("first_run.pin_mismatch");
  } else {
    error_.clear();
  }
  if (!error_.empty()) return;
  // Each step is its own transaction; a failure part-way leaves a commune to finish in
  // Settings, never a broken database.
  auto commune = m.places().SetUpCommune(province_, commune_);
  if (!commune) {
    error_ = PlainText(commune.error().message());
    return;
  }
  for (const std::string& v : villages) {
    if (auto r = m.places().AddVillage(v); !r) error_ = PlainText(r.error().message());
  }
  auto leader = m.members().Add(leader_name_, Role::kLeader, pin_);
  if (!leader) {
    error_ = PlainText(leader.error().message());
    m.ReloadCommune();
    return;
  }
  m.ReloadCommune();
  if (Status st = m.SignIn(leader->id, pin_); !st.ok()) error_ = PlainText(st.message());
  pin_.clear();
  pin_again_.clear();
}

void FirstRunScreen::DrawEnroll(AppModel& m) {
  ui::InputText("first_run.hub", Tr("first_run.hub"), &hub_url_);
  ui::InputText("first_run.code", Tr("first_run.code"), &code_);
  ui::InputText("first_run.device_name", Tr("first_run.device_name"), &device_name_);
  ui::HintText(Tr("first_run.enroll_hint"));
  const SyncView& sv = m.sync_view();
  if (sv.running) {
    ImGui::ProgressBar(sv.total > 0 ? static_cast<float>(sv.done) / sv.total : 0.0f,
                       ImVec2(360, 0), Tr("sync.running"));
    return;
  }
  if (ui::Button("first_run.enroll", Tr("first_run.enroll"))) {
    if (code_.empty() || hub_url_.size() <= 7) {
      error_ = Tr("first_run.need_hub");
    } else if (m.sync_worker()) {
      error_.clear();
      m.sync_worker()->Enroll(hub_url_, code_, device_name_.empty() ? "gocua" : device_name_);
    }
  }
}

}  // namespace gocua::app
