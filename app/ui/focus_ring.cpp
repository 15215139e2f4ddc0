#include "app/ui/focus_ring.h"

#include <imgui.h>

#include <vector>

#include "app/ui/ui_probe.h"

namespace gocua::app::ui {
namespace {

FocusRing* g_ring = nullptr;
int g_disabled_depth = 0;            // ui::BeginDisabled(true) blocks open
std::vector<bool> g_disabled_stack;  // each open ui::BeginDisabled's argument

bool Pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), false); }

}  // namespace

FocusRing* CurrentFocusRing() { return g_ring; }

void BeginDisabled(bool disabled) {
  ImGui::BeginDisabled(disabled);
  g_disabled_depth += disabled ? 1 : 0;
  g_disabled_stack.push_back(disabled);
}

void EndDisabled() {
  ImGui::EndDisabled();
  if (!g_disabled_stack.empty()) {
    g_disabled_depth -= g_disabled_stack.back() ? 1 : 0;
    g_disabled_stack.pop_back();
  }
}

void FocusRing::Begin() {
  g_ring = this;
  const ImGuiIO& io = ImGui::GetIO();
  moved_ = false;
  if (!io.KeyCtrl && !io.KeyAlt && Pressed(ImGuiKey_Tab) && count_ > 0) {
    if (current_ < 0) {
      current_ = io.KeyShift ? count_ - 1 : 0;
    } else {
      current_ = (current_ + (io.KeyShift ? count_ - 1 : 1)) % count_;
    }
    moved_ = true;
    // The text field that had the keys lets go of them: taking the keyboard focus from every
    // window clears the active item (Dear ImGui's FocusWindow(NULL)); the next stop, if a text
    // field, takes it back through SetKeyboardFocusHere, which focuses its window again.
    ImGui::SetWindowFocus(nullptr);
  }
  // Space and Enter press the stop, unless a text field has the keys (they are typing).
  press_ = !moved_ && !io.WantTextInput && !io.KeyCtrl &&
           (Pressed(ImGuiKey_Space) || Pressed(ImGuiKey_Enter) || Pressed(ImGuiKey_KeyPadEnter));
  seen_ = 0;
  // Dear ImGui's own Tab handling would move between text fields as well: off inside the ring.
  ImGui::PushAllowKeyboardFocus(false);
}

void FocusRing::End() {
  ImGui::PopAllowKeyboardFocus();
  count_ = seen_;
  if (current_ >= count_) current_ = count_ > 0 ? count_ - 1 : -1;
  g_ring = nullptr;
}

void FocusRing::BeforeStop(bool text_field) {
  if (moved_ && text_field && seen_ == current_) ImGui::SetKeyboardFocusHere();
}

bool FocusRing::AfterStop(const char* name, bool text_field) {
  if (g_disabled_depth > 0) return false;
  const int index = seen_++;
  // A click (or a text field given the keys some other way) moves the ring there.
  if (ImGui::IsItemActivated() || (text_field && ImGui::IsItemActive())) current_ = index;
  if (index != current_) return false;
  current_name_ = name;
  probe::NoteText("focus.current", current_name_);  // for the UI tests
  const ImVec2 pad(3, 3);
  ImGui::GetWindowDrawList()->AddRect(
      ImVec2(ImGui::GetItemRectMin().x - pad.x, ImGui::GetItemRectMin().y - pad.y),
      ImVec2(ImGui::GetItemRectMax().x + pad.x, ImGui::GetItemRectMax().y + pad.y),
      ImGui::GetColorU32(ImVec4(0.10f, 0.35f, 0.85f, 1.0f)), 4.0f, 0, 2.5f);
  if (moved_ && !ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.5f);
  if (text_field || !press_) return false;
  press_ = false;
  return true;
}

}  // namespace gocua::app::ui
