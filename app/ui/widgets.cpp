#include "app/ui/widgets.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>

#include "app/core/i18n.h"
#include "app/ui/focus_ring.h"
#include "app/ui/ui_probe.h"

namespace gocua::app::ui {
namespace {

// "label##name": what is shown, then the stable id.
std::string Id(const char* label, const char* name) { return std::string(label) + "##" + name; }

constexpr int kKeyS = 83;  // 'S': GLFW_KEY_S, the index the GLFW backend fills in KeysDown[]

// Inside a focus ring (app/ui/focus_ring.h) every widget is a stop: before and after it.
void Before(bool text_field) {
  if (FocusRing* ring = CurrentFocusRing()) ring->BeforeStop(text_field);
}
// Notes the item for the probe; true when the ring pressed it (Space or Enter).
bool After(const char* name, bool text_field) {
  probe::Note(name);
  FocusRing* ring = CurrentFocusRing();
  return ring && ring->AfterStop(name, text_field);
}

}  // namespace

bool Button(const char* name, const char* label) {
  Before(false);
  const bool pressed = ImGui::Button(Id(label, name).c_str());
  return After(name, false) || pressed;
}

bool InputText(const char* name, const char* label, std::string* value, int flags) {
  Before(true);
  const bool changed = ImGui::InputText(Id(label, name).c_str(), value, flags);
  After(name, true);
  return changed;
}

bool InputTextHint(const char* name, const char* hint, std::string* value, int flags) {
  Before(true);
  const bool changed =
      ImGui::InputTextWithHint((std::string("##") + name).c_str(), hint, value, flags);
  After(name, true);
  return changed;
}

bool InputMultiline(const char* name, const char* label, std::string* value, float height) {
  ImGui::TextUnformatted(label);
  Before(true);
  const bool changed =
      ImGui::InputTextMultiline((std::string("##") + name).c_str(), value, ImVec2(-1, height));
  After(name, true);
  return changed;
}

bool InputInt(const char* name, const char* label, int* value, int flags) {
  Before(true);
  const bool changed = ImGui::InputInt(Id(label, name).c_str(), value, 1, 100, flags);
  After(name, true);
  return changed;
}

bool Checkbox(const char* name, const char* label, bool* value) {
  Before(false);
  bool changed = ImGui::Checkbox(Id(label, name).c_str(), value);
  if (After(name, false)) {
    *value = !*value;
    changed = true;
  }
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
    Before(false);
    const bool clicked = ImGui::Selectable(Id(label, name).c_str(), selected);
    return After(name, false) || clicked;
  }
  // Too long for the column or window: the row grows and the label wraps inside it.
  const float height = ImGui::CalcTextSize(label, nullptr, false, avail).y;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  Before(false);
  bool clicked =
      ImGui::Selectable((std::string("##") + name).c_str(), selected, 0, ImVec2(0, height));
  clicked |= After(name, false);
  ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at,
                                      ImGui::GetColorU32(ImGuiCol_Text), label, nullptr, avail);
  return clicked;
}

bool CheckboxWrapped(const char* name, const char* label, bool* value) {
  Before(false);
  bool changed = ImGui::Checkbox((std::string("##") + name).c_str(), value);
  if (After(name, false)) {
    *value = !*value;
    changed = true;
  }
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
  Before(false);
  const bool clicked = ImGui::RadioButton(Id(label, name).c_str(), active);
  return After(name, false) || clicked;
}

void SameLineIfFits(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void NamedText(const char* name, const std::string& text, bool error) {
  if (error) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.75f, 0.10f, 0.10f, 1.0f));
  ImGui::TextWrapped("%s", text.c_str());
  probe::Note(name);
  probe::NoteText(name, text);
  if (error) ImGui::PopStyleColor();
}

void CellText(const std::string& name, const std::string& text) {
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  probe::Note(name);
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

bool Banner(const std::string& text, bool error, float x, float y, float width) {
  const ImVec4 bg = error ? ImVec4(0.98f, 0.87f, 0.86f, 1.0f) : ImVec4(0.86f, 0.95f, 0.87f, 1.0f);
  const ImGuiStyle& style = ImGui::GetStyle();
  // The close button sits at the right; the text wraps before it, and the band is as tall as
  // its text (no scroll bar over the words).
  const float close_w =
      ImGui::CalcTextSize(Tr("common.close")).x + style.FramePadding.x * 2 + style.ItemSpacing.x;
  const float pad = style.WindowPadding.x;
  const float text_w = std::max(100.0f, width - close_w - pad * 2);
  const float text_h = ImGui::CalcTextSize(text.c_str(), nullptr, false, text_w).y;
  const float h = std::max(text_h, ImGui::GetFrameHeight()) + style.WindowPadding.y * 2;
  // Its own window over the top of the page: the page under it does not move, so no button
  // slides away from the mouse when a message comes or goes. It never takes the keyboard.
  ImGui::SetNextWindowPos(ImVec2(x, y));
  ImGui::SetNextWindowSize(ImVec2(width, h));
  ImGui::PushStyleColor(ImGuiCol_WindowBg, bg);
  ImGui::PushStyleColor(ImGuiCol_Border, ImVec4(0.55f, 0.55f, 0.55f, 1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
  ImGui::Begin("##banner", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                   ImGuiWindowFlags_NoNav);  // (NoBringToFrontOnFocus would put it behind the page)
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + text_w);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  probe::Note("banner.text");
  probe::NoteText("banner.text", text);
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - close_w + style.ItemSpacing.x);
  const bool closed = Button("banner.close", Tr("common.close"));
  ImGui::End();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor(2);
  return closed;
}

bool SaveShortcut() {
  const ImGuiIO& io = ImGui::GetIO();
  return io.KeyCtrl && ImGui::IsKeyPressed(kKeyS, false);
}

}  // namespace gocua::app::ui
