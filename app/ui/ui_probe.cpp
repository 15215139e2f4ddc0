#include "app/ui/ui_probe.h"

#include <imgui.h>

#include <map>

namespace gocua::app::probe {
namespace {

bool g_enabled = false;
std::map<std::string, Rect, std::less<>> g_items;
std::vector<std::string> g_clipped;

}  // namespace

void Enable(bool on) { g_enabled = on; }
bool Enabled() { return g_enabled; }

void BeginFrame() {
  if (!g_enabled) return;
  g_items.clear();
  g_clipped.clear();
}

void Note(std::string_view name) {
  if (!g_enabled) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float right = ImGui::GetWindowDrawList()->GetClipRectMax().x;
  // Selectables reach half an item spacing past their row on purpose (their highlight meets
  // the next column's): that much over the edge is not a cut.
  const float slack = ImGui::GetStyle().ItemSpacing.x * 0.5f + 1.0f;
  if (b.x > right + slack) g_clipped.emplace_back(name);
  if (!ImGui::IsItemVisible()) return;
  g_items[std::string(name)] = Rect{a.x, a.y, b.x, b.y};
}

std::optional<Rect> Find(std::string_view name) {
  if (auto it = g_items.find(name); it != g_items.end()) return it->second;
  return std::nullopt;
}

std::vector<std::string> ClippedSideways() { return g_clipped; }

bool AnyWithPrefix(std::string_view prefix) {
  auto it = g_items.lower_bound(prefix);
  return it != g_items.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix;
}

}  // namespace gocua::app::probe
