#include "app/ui/screens/members_screen.h"

#include <imgui.h>

#include "app/core/i18n.h"
#include "app/ui/widgets.h"

namespace gocua::app {

void MembersScreen::Draw(AppModel& m) {
  if (fresh_.Stale(m)) {
    auto r = m.members().ListAll();
    if (r) {
      members_ = std::move(*r);
      error_.clear();
    } else {
      error_ = Tr("members.load_failed");
      m.LogDetail("members.list", r.error().message());
    }
  }
  ui::Heading(Tr("members.title"));
  ui::HintText(Tr("members.hint"));
  if (!error_.empty()) ui::ErrorText(error_);
  for (const MemberStatus& s : members_) {
    ImGui::PushID(s.member.id.c_str());
    DrawRow(m, s);
    ImGui::PopID();
  }
}

void MembersScreen::DrawRow(AppModel& m, const MemberStatus& s) {
  const Member& mem = s.member;
  ImGui::Separator();
  std::string line = mem.name;
  if (mem.role == Role::kLeader) line += std::string(" (") + Tr("role.leader") + ")";
  line += std::string("  ·  ") + Tr(s.active ? "members.active" : "members.inactive");
  ui::NamedText(("members.row." + mem.id).c_str(), line, false);
  const bool me = m.member() && m.member()->id == mem.id;
  const auto open = [&](Action a) {
    const bool same = open_id_ == mem.id && action_ == a;
    open_id_ = same ? "" : mem.id;
    action_ = same ? Action::kNone : a;
    new_pin_.clear();
    action_error_.clear();
  };
  if (s.active) {
    if (ui::Button(("members.pin." + mem.id).c_str(), Tr("members.change_pin"))) open(Action::kPin);
    if (!me) {
      ui::SameLineIfFits(ImGui::CalcTextSize(Tr("members.deactivate")).x +
                         ImGui::GetStyle().FramePadding.x * 2);
      if (ui::Button(("members.deactivate." + mem.id).c_str(), Tr("members.deactivate")))
        open(Action::kDeactivate);
    }
  } else if (ui::Button(("members.reactivate." + mem.id).c_str(), Tr("members.reactivate"))) {
    open(Action::kReactivate);
  }
  if (open_id_ != mem.id) return;
  if (action_ == Action::kPin) {
    DrawPinForm(m, mem);
  } else if (action_ != Action::kNone) {
    DrawConfirm(m, s);
  }
  if (!action_error_.empty()) ui::NamedError("members.error", action_error_);
}

void MembersScreen::DrawPinForm(AppModel& m, const Member& mem) {
  ImGui::PushItemWidth(200);
  ui::InputText("members.new_pin", Tr("members.new_pin"), &new_pin_,
                ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal);
  ImGui::PopItemWidth();
  if (ui::Button("members.pin_save", Tr("members.pin_save"))) {
    if (Status st = m.members().SetPin(mem.id, new_pin_); st.ok()) {
      m.Info(Fmt(Tr("members.pin_changed"), {mem.name}));
      open_id_.clear();
      action_ = Action::kNone;
      new_pin_.clear();
      m.Touch();
    } else {
      action_error_ =
          st.code() == ErrorCode::kInvalidInput ? Tr("members.bad_pin") : Tr("members.failed");
      m.LogDetail("members.pin", st.message());
    }
  }
  ImGui::SameLine();
  if (ui::Button("members.cancel", Tr("common.cancel"))) {
    open_id_.clear();
    action_ = Action::kNone;
  }
}

void MembersScreen::DrawConfirm(AppModel& m, const MemberStatus& s) {
  const bool deactivate = action_ == Action::kDeactivate;
  ui::NamedText(
      "members.ask",
      Fmt(Tr(deactivate ? "members.deactivate_ask" : "members.reactivate_ask"), {s.member.name}),
      true);
  if (ui::Button("members.yes", Tr(deactivate ? "members.deactivate" : "members.reactivate"))) {
    Status st =
        deactivate ? m.members().Deactivate(s.member.id) : m.members().Reactivate(s.member.id);
    if (st.ok()) {
      m.Info(Fmt(Tr(deactivate ? "members.deactivated" : "members.reactivated"), {s.member.name}));
      open_id_.clear();
      action_ = Action::kNone;
      m.Touch();
    } else {
      action_error_ = Tr("members.failed");
      m.LogDetail("members.active", st.message());
    }
  }
  ImGui::SameLine();
  if (ui::Button("members.cancel", Tr("common.cancel"))) {
    open_id_.clear();
    action_ = Action::kNone;
  }
}

}  // namespace gocua::app
