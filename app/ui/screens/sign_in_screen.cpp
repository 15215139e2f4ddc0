#include "app/ui/screens/sign_in_screen.h"

#include <imgui.h>

#include <algorithm>

#include "app/core/app_log.h"
#include "app/core/i18n.h"
#include "app/ui/focus_ring.h"
#include "app/ui/widgets.h"

namespace gocua::app {

void SignInScreen::Draw(AppModel& m) {
  ring_.Begin();  // Tab reaches every field, check box, result and button, in drawing order
  DrawForm(m);
  ring_.End();
}

void SignInScreen::DrawForm(AppModel& m) {
  if (fresh_.Stale(m)) {
    auto r = m.members().ListAll();
    if (r) {
      members_ = std::move(*r);
      std::stable_partition(members_.begin(), members_.end(),
                            [](const MemberStatus& s) { return s.active; });
    } else {
      error_ = r.error().message();
    }
  }
  ui::Heading(Tr("signin.title"));
  if (m.commune()) ImGui::Text("%s", m.commune()->name.c_str());
  if (members_.empty()) {
    ui::HintText(Tr("signin.no_members"));
    return;
  }
  ImGui::TextUnformatted(Tr("signin.who"));
  ImGui::BeginChild("##members", ImVec2(420, 260), true);
  bool chosen_active = false;
  for (const MemberStatus& s : members_) {
    const Member& mem = s.member;
    std::string label =
        mem.name + (mem.role == Role::kLeader ? std::string(" (") + Tr("role.leader") + ")" : "");
    if (!s.active) label += std::string(" — ") + Tr("members.inactive");
    if (!s.active)
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    if (ui::Selectable(("signin.member." + mem.id).c_str(), label.c_str(), chosen_ == mem.id)) {
      chosen_ = mem.id;
      focus_pin_ = s.active;  // the next keys are the PIN
      pin_.clear();
      error_ = s.active ? "" : Tr("signin.deactivated");
    }
    if (!s.active) ImGui::PopStyleColor();
    if (chosen_ == mem.id) chosen_active = s.active;
  }
  ImGui::EndChild();
  if (chosen_.empty()) return;
  if (!chosen_active) {  // deactivated: no PIN field, only why
    if (!error_.empty()) ui::NamedError("signin.error", error_);
    return;
  }
  ImGui::PushItemWidth(200);
  if (focus_pin_) {
    ImGui::SetKeyboardFocusHere();
    focus_pin_ = false;
  }
  const bool enter = ui::InputText("signin.pin", Tr("signin.pin"), &pin_,
                                   ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal |
                                       ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::PopItemWidth();
  if (ui::Button("signin.go", Tr("signin.go")) || enter) {
    Status st = m.SignIn(chosen_, pin_);
    pin_.clear();
    if (!st.ok()) error_ = PlainText(st.message());
  }
  if (!error_.empty()) ui::NamedError("signin.error", error_);
}

}  // namespace gocua::app
