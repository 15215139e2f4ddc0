// Text cut off inside ImGui table cells (and in windows), which the UI probe cannot see: a cell
// drawn with plain ImGui::Text or a TableHeadersRow header is no named item. ImGui records, for
// every column of a table drawn this frame, how far right its contents reached (cells and headers
// at full width); content reaching past the column's clip rect was cut (a header is drawn with
// "..." instead).
//
// Threading: the test's thread, after a frame (ImGui::Render) and before the next NewFrame.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <string>
#include <vector>

namespace gocua::test {

// "table id / column name" for every column of the last frame's tables whose cells or header
// text reach past the column's right edge by more than half a pixel.
inline std::vector<std::string> ClippedTableCells() {
  std::vector<std::string> out;
  ImGuiContext& g = *GImGui;
  for (int i = 0; i < g.Tables.GetMapSize(); ++i) {
    ImGuiTable* t = g.Tables.TryGetMapData(i);
    if (t == nullptr || t->LastFrameActive != g.FrameCount) continue;
    for (int c = 0; c < t->ColumnsCount; ++c) {
      const ImGuiTableColumn& col = t->Columns[c];
      if (!col.IsEnabled || !col.IsVisibleX) continue;
      const float reach =
          ImMax(ImMax(col.ContentMaxXFrozen, col.ContentMaxXUnfrozen), col.ContentMaxXHeadersIdeal);
      if (reach > col.MaxX + 0.5f) {
        out.push_back(std::string(t->OuterWindow ? t->OuterWindow->Name : "?") + " / " +
                      ImGui::TableGetColumnName(t, c) + " (" + std::to_string(reach - col.MaxX) +
                      " px over)");
      }
    }
  }
  return out;
}

// Windows of the last frame whose contents reached past their right edge (any item, named or
// not: a caption drawn with plain ImGui::Text too) by more than `slack` pixels. Windows that
// scroll sideways on purpose are skipped.
inline std::vector<std::string> WindowsCutAtRight(float slack) {
  std::vector<std::string> out;
  ImGuiContext& g = *GImGui;
  for (ImGuiWindow* w : g.Windows) {
    if (w->LastFrameActive != g.FrameCount || w->Hidden) continue;
    if (w->Flags & (ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_AlwaysAutoResize))
      continue;
    const float over = w->DC.CursorMaxPos.x - w->InnerClipRect.Max.x;
    if (over > slack)
      out.push_back(std::string(w->Name) + " (" + std::to_string(over) + " px over)");
  }
  return out;
}

}  // namespace gocua::test
