#include "app/ui/charts.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace gocua::app::ui {

void PercentBar(const std::string& label, double percent, double target, const std::string& detail,
                float label_width) {
  const float h = ImGui::GetTextLineHeight() * 1.2f;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float figure_width = ImGui::CalcTextSize("100.0%  00000/00000").x;
  const float bar_width = std::max(60.0f, ImGui::GetContentRegionAvail().x - label_width - figure_width);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::TextUnformatted(label.c_str());
  const ImVec2 bar0(origin.x + label_width, origin.y);
  const ImVec2 bar1(bar0.x + bar_width, origin.y + h);
  dl->AddRectFilled(bar0, bar1, IM_COL32(225, 228, 232, 255), 3.0f);
  const double p = std::clamp(percent, 0.0, 100.0);
  const bool met = target <= 0 || percent >= target;
  const ImU32 fill = met ? IM_COL32(56, 142, 60, 255) : IM_COL32(30, 110, 190, 255);
  if (p > 0) {
    dl->AddRectFilled(bar0, ImVec2(bar0.x + bar_width * static_cast<float>(p / 100.0), bar1.y), fill,
                      3.0f);
  }
  if (target > 0) {
    const float x = bar0.x + bar_width * static_cast<float>(std::clamp(target, 0.0, 100.0) / 100.0);
    dl->AddLine(ImVec2(x, bar0.y - 3), ImVec2(x, bar1.y + 3), IM_COL32(200, 60, 30, 255), 2.5f);
  }
  char figure[64];
  std::snprintf(figure, sizeof figure, "%.1f%%  %s", percent, detail.c_str());
  dl->AddText(ImVec2(bar1.x + 8, origin.y), ImGui::GetColorU32(ImGuiCol_Text), figure);
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + h + ImGui::GetStyle().ItemSpacing.y));
  ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace gocua::app::ui
