#include "app/ui/screens/sign_in_screen.h"

#include <imgui.h>

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
    auto r = m.members().List();
    if (r) {
      members_ = std::move(*r);
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
  for (const Member& mem : members_) {
    const std::string label =
        mem.name + (mem.role == Role::kLeader ? std::string(" (") + Tr("role.leader") + ")" : "");
    if (ui::Selectable(("signin.member." + mem.id).c_str(), label.c_str(), chosen_ == mem.id)) {
      chosen_ = mem.id;
      focus_pin_ = true;  // the next keys are the PIN
      pin_.clear();
      error_.clear();
    }
  }
  ImGui::EndChild();
  if (chosen_.empty()) return;
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
  if (!error_.empty()) ui::ErrorText(error_);
}

}  // namespace gocua::app
