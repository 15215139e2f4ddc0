#include "app/ui/widgets.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/core/i18n.h"
#include "app/ui/ui_probe.h"

namespace gocua::app::ui {
namespace {

// "label##name": what is shown, then the stable id.
std::string Id(const char* label, const char* name) { return std::string(label) + "##" + name; }

constexpr int kKeyS = 83;  // 'S': GLFW_KEY_S, the index the GLFW backend fills in KeysDown[]

}  // namespace

bool Button(const char* name, const char* label) {
  const bool pressed = ImGui::Button(Id(label, name).c_str());
  probe::Note(name);
  return pressed;
}

bool InputText(const char* name, const char* label, std::string* value, int flags) {
  const bool changed = ImGui::InputText(Id(label, name).c_str(), value, flags);
  probe::Note(name);
  return changed;
}

bool InputTextHint(const char* name, const char* hint, std::string* value, int flags) {
  const bool changed =
      ImGui::InputTextWithHint((std::string("##") + name).c_str(), hint, value, flags);
  probe::Note(name);
  return changed;
}

bool InputMultiline(const char* name, const char* label, std::string* value, float height) {
  ImGui::TextUnformatted(label);
  const bool changed = ImGui::InputTextMultiline(
      (std::string("##") + name).c_str(), value, ImVec2(-1, height));
  probe::Note(name);
  return changed;
}

bool InputInt(const char* name, const char* label, int* value, int flags) {
  const bool changed = ImGui::InputInt(Id(label, name).c_str(), value, 1, 100, flags);
  probe::Note(name);
  return changed;
}

bool Checkbox(const char* name, const char* label, bool* value) {
  const bool changed = ImGui::Checkbox(Id(label, name).c_str(), value);
  probe::Note(name);
  return changed;
}

bool Combo(const char* name, const char* label, int* index, const std::vector<std::string>& items) {
  const char* preview = (*index >= 0 && *index < static_cast<int>(items.size()))
                            ? items[*index].c_str()
                            : Tr("common.choose");
  bool changed = false;
  if (ImGui::BeginCombo(Id(label, name).c_str(), preview)) {
    for (int i = 0; i < static_cast<int>(items.size()); ++i) {
      ImGui::PushID(i);
      if (ImGui::Selectable(items[i].c_str(), i == *index)) {
        *index = i;
        changed = true;
      }
      probe::Note(std::string(name) + "." + std::to_string(i));
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  probe::Note(name);
  return changed;
}

bool Selectable(const char* name, const char* label, bool selected) {
  const float avail = ImGui::GetContentRegionAvail().x;
  if (ImGui::CalcTextSize(label, nullptr, true).x <= avail) {
    const bool clicked = ImGui::Selectable(Id(label, name).c_str(), selected);
    probe::Note(name);
    return clicked;
  }
  // Too long for the column or window: the row grows and the label wraps inside it.
  const float height = ImGui::CalcTextSize(label, nullptr, false, avail).y;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool clicked =
      ImGui::Selectable((std::string("##") + name).c_str(), selected, 0, ImVec2(0, height));
  probe::Note(name);
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at,
                                      ImGui::GetColorU32(ImGuiCol_Text), label, nullptr, avail);
  return clicked;
}

bool CheckboxWrapped(const char* name, const char* label, bool* value) {
  bool changed = ImGui::Checkbox((std::string("##") + name).c_str(), value);
  probe::Note(name);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(label);
  ImGui::PopTextWrapPos();
  if (ImGui::IsItemClicked() && !changed) {
    *value = !*value;
    changed = true;
  }
  return changed;
}

bool Radio(const char* name, const char* label, bool active) {
  const bool clicked = ImGui::RadioButton(Id(label, name).c_str(), active);
  probe::Note(name);
  return clicked;
}

void SameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void NamedText(const char* name, const std::string& text, bool error) {
  if (error) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.10f, 0.10f, 1.0f));
  ImGui::TextWrapped("%s", text.c_str());
  probe::Note(name);
  if (error) ImGui::PopStyleColor();
}

void NamedError(const char* name, const std::string& text) { NamedText(name, text, true); }

void Heading(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.10f, 0.30f, 0.55f, 1.0f));
  ImGui::SetWindowFontScale(1.3f);
  ImGui::TextUnformatted(text);
  ImGui::SetWindowFontScale(1.0f);
  ImGui::PopStyleColor();
  ImGui::Separator();
}

void ErrorText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.10f, 0.10f, 1.0f));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

void HintText(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.40f, 0.40f, 0.45f, 1.0f));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

bool Banner(const std::string& text, bool error) {
  const ImVec4 bg = error ? ImVec4(0.98f, 0.87f, 0.86f, 1.0f) : ImVec4(0.86f, 0.95f, 0.87f, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, bg);
  // The close button sits at the right; the text wraps before it, and the band is as tall as
  // its text (no scroll bar over the words).
  const float close_w = ImGui::CalcTextSize(Tr("common.close")).x +
                        ImGui::GetStyle().FramePadding.x * 2 + ImGui::GetStyle().ItemSpacing.x;
  const float pad = ImGui::GetStyle().WindowPadding.x;
  const float text_w = std::max(100.0f, ImGui::GetContentRegionAvail().x - close_w - pad * 2);
  const float text_h = ImGui::CalcTextSize(text.c_str(), nullptr, false, text_w).y;
  const float h = std::max(text_h, ImGui::GetFrameHeight()) + ImGui::GetStyle().WindowPadding.y * 2;
  ImGui::BeginChild("##banner", ImVec2(0, h), true, ImGuiWindowFlags_NoScrollbar);
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  probe::Note("banner.text");
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w + ImGui::GetStyle().ItemSpacing.x);
  const bool closed = Button("banner.close", Tr("common.close"));
  ImGui::EndChild();
  ImGui::PopStyleColor();
  return closed;
}

bool SaveShortcut() {
  const ImGuiIO& io = ImGui::GetIO();
  return io.KeyCtrl && ImGui::IsKeyPressed(kKeyS, false);
}

}  // namespace gocua::app::ui
