#include "app/ui/screens/laptops_screen.h"

#include <imgui.h>

#include "app/core/i18n.h"
#include "app/core/laptop_words.h"
#include "app/ui/fonts.h"
#include "app/ui/ui_probe.h"
#include "app/ui/widgets.h"
#include "storage/device/replica.h"

namespace gocua::app {
namespace {

namespace p = gocua::protocol;

// A code asked for from this screen lives this long: time to read it out over the phone and
// for the member to type it at the commune office the same day.
constexpr int64_t kCodeMinutes = 60;

const char* RoleWord(const p::LaptopInfo& l) {
  return Tr(l.role == "leader" ? "laptops.role_leader" : "laptops.role_member");
}

const char* StateWord(const p::LaptopInfo& l) {
  if (!l.replaced_by.empty()) return Tr("laptops.replaced");
  return Tr(l.revoked ? "laptops.revoked" : "laptops.active");
}

}  // namespace

LaptopsScreen::LaptopsScreen() = default;
LaptopsScreen::~LaptopsScreen() = default;

void LaptopsScreen::Close() {
  open_id_.clear();
  action_ = Action::kNone;
  new_name_.clear();
  form_error_.clear();
}

void LaptopsScreen::Draw(AppModel& m) {
  if (!task_) task_ = std::make_unique<LaptopsTask>(m);
  if (fresh_.Stale(m)) {
    auto state = Replica(m.db()).State();
    enrolled_ = state && !state->token.empty();
    this_device_ = m.db().device_id();
  }
  // Opened again, or by someone else: the list as the hub has it now, no old code on show.
  const int frame = ImGui::GetFrameCount();
  const std::string who = m.member() ? m.member()->id : "";
  if (frame - last_frame_ > 1 || who != signed_in_) {
    if (who != signed_in_) task_->ForgetCode();
    signed_in_ = who;
    Close();
    if (enrolled_) {
      if (m.route().id == "code") {
        task_->IssueCode(kCodeMinutes);  // the staged screenshot: a code, then the list
      } else {
        task_->List();
      }
    }
  }
  last_frame_ = frame;
  const LaptopsView& v = task_->view();
  if (m.route().id == "code" && v.code && !v.listed && !task_->busy()) task_->List();
  if (m.route().id == "revoke" && v.listed && !staged_revoke_) {
    staged_revoke_ = true;  // the staged screenshot: the confirmation for another laptop
    for (const p::LaptopInfo& l : v.laptops) {
      if (l.device_id == this_device_ || l.revoked || !l.replaced_by.empty()) continue;
      open_id_ = l.device_id;
      action_ = Action::kRevoke;
      break;
    }
  }

  ui::Heading(Tr("laptops.title"));
  ui::HintText(Tr("laptops.hint"));
  if (!enrolled_) {
    ui::NamedText("laptops.not_enrolled", Tr("laptops.err.not_enrolled"), false);
    return;
  }
  if (ui::Button("laptops.issue", Tr("laptops.issue"))) task_->IssueCode(kCodeMinutes);
  ImGui::SameLine();
  if (ui::Button("laptops.refresh", Tr("laptops.refresh"))) task_->List();
  if (task_->busy()) ui::NamedText("laptops.busy", Tr("laptops.busy"), false);
  if (!v.error.empty()) {
    ui::NamedError("laptops.error", v.error);
    if (ui::Button("laptops.retry", Tr("laptops.retry"))) task_->List();
  }
  if (v.code) DrawCode(m);

  ImGui::Spacing();
  ui::Heading(Tr("laptops.list_title"));
  if (v.listed && v.laptops.empty()) ui::HintText(Tr("laptops.none"));
  for (const p::LaptopInfo& l : v.laptops) {
    ImGui::PushID(l.device_id.c_str());
    DrawRow(m, l);
    ImGui::PopID();
  }
}

void LaptopsScreen::DrawCode(AppModel& m) {
  const p::LaptopCodeResponse& c = *task_->view().code;
  const int64_t now = m.clock().NowMs();
  const int64_t local_expiry = c.expires_at - task_->view().hub_offset_ms;
  ImGui::Spacing();
  // A pale box as tall as what it holds: drawn behind the group once its size is known.
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->ChannelsSplit(2);
  draw->ChannelsSetCurrent(1);
  const float pad = ImGui::GetStyle().FramePadding.x;
  ImGui::Indent(pad);
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetContentRegionMax().x - pad);  // inside the box's edge
  ImGui::Dummy(ImVec2(0, pad * 0.5f));
  ui::NamedText("laptops.code_title", Tr("laptops.code_title"), false);
  if (ImFont* big = CodeFont()) {
    ImGui::PushFont(big);
  } else {
    ImGui::SetWindowFontScale(3.0f);
  }
  ImGui::TextUnformatted(GroupCode(c.code).c_str());
  probe::Note("laptops.code");
  probe::NoteText("laptops.code", c.code);
  if (CodeFont()) {
    ImGui::PopFont();
    ImGui::SetWindowFontScale(1.3f);  // the expiry, larger than the text around it
  } else {
    ImGui::SetWindowFontScale(1.3f);
  }
  ui::NamedText("laptops.code_expiry", ExpiryWords(local_expiry, now), false);
  ImGui::SetWindowFontScale(1.0f);
  ui::HintText(Tr("laptops.code_hint"));
  if (ui::Button("laptops.code_close", Tr("laptops.code_close"))) task_->ForgetCode();
  ImGui::Dummy(ImVec2(0, pad * 0.5f));
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
  ImGui::Unindent(pad);
  draw->ChannelsSetCurrent(0);
  const ImVec2 min = ImGui::GetItemRectMin();
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  draw->AddRectFilled(ImVec2(min.x - pad, min.y), ImVec2(right, ImGui::GetItemRectMax().y),
                      IM_COL32(255, 250, 224, 255), 4.0f);
  draw->AddRect(ImVec2(min.x - pad, min.y), ImVec2(right, ImGui::GetItemRectMax().y),
                IM_COL32(214, 190, 110, 255), 4.0f);
  draw->ChannelsMerge();
}

void LaptopsScreen::DrawRow(AppModel& m, const p::LaptopInfo& l) {
  ImGui::Separator();
  const bool me = l.device_id == this_device_;
  std::string name = l.name.empty() ? l.device_id : l.name;
  if (me) name += std::string("  ") + Tr("laptops.this_laptop");
  ui::NamedText(("laptops.row." + l.device_id).c_str(), name, false);
  const int64_t hub_now = m.clock().NowMs() + task_->view().hub_offset_ms;
  const std::string detail = std::string(RoleWord(l)) + "  ·  " +
                             Fmt(Tr("laptops.last_sync"), {AgoWords(l.last_seen, hub_now)}) +
                             "  ·  " + StateWord(l);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ui::NamedText(("laptops.detail." + l.device_id).c_str(), detail, false);
  ImGui::PopStyleColor();
  if (l.revoked || !l.replaced_by.empty()) return;
  const auto open = [&](Action a) {
    const bool same = open_id_ == l.device_id && action_ == a;
    Close();
    if (same) return;
    open_id_ = l.device_id;
    action_ = a;
    if (a == Action::kRename) new_name_ = l.name;
  };
  if (ui::Button(("laptops.rename." + l.device_id).c_str(), Tr("laptops.rename"))) {
    open(Action::kRename);
  }
  if (!me) {  // the hub refuses a laptop revoking itself
    ui::SameLineIfFits(ImGui::CalcTextSize(Tr("laptops.revoke")).x +
                       ImGui::GetStyle().FramePadding.x * 2);
    if (ui::Button(("laptops.revoke." + l.device_id).c_str(), Tr("laptops.revoke"))) {
      open(Action::kRevoke);
    }
  }
  if (open_id_ != l.device_id) return;
  if (action_ == Action::kRename) DrawRename(l);
  if (action_ == Action::kRevoke) DrawRevoke(l);
  if (!form_error_.empty()) ui::NamedError("laptops.form_error", form_error_);
}

void LaptopsScreen::DrawRename(const p::LaptopInfo& l) {
  ImGui::PushItemWidth(320);
  ui::InputText("laptops.new_name", Tr("laptops.new_name"), &new_name_);
  ImGui::PopItemWidth();
  if (ui::Button("laptops.rename_save", Tr("laptops.rename_save"))) {
    const size_t b = new_name_.find_first_not_of(' ');
    if (b == std::string::npos) {
      form_error_ = Tr("laptops.name_empty");
    } else if (task_->Rename(l.device_id, new_name_.substr(b))) {
      Close();
    } else {
      form_error_ = Tr("laptops.wait");
    }
  }
  ImGui::SameLine();
  if (ui::Button("laptops.cancel", Tr("common.cancel"))) Close();
}

void LaptopsScreen::DrawRevoke(const p::LaptopInfo& l) {
  ui::NamedText("laptops.revoke_ask", Fmt(Tr("laptops.revoke_ask"), {l.name}), true);
  if (ui::Button("laptops.revoke_yes", Tr("laptops.revoke_yes"))) {
    if (task_->Revoke(l.device_id)) {
      Close();
    } else {
      form_error_ = Tr("laptops.wait");
    }
  }
  ImGui::SameLine();
  if (ui::Button("laptops.cancel", Tr("common.cancel"))) Close();
}

}  // namespace gocua::app
