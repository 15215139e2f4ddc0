#include "app/ui/ui_probe.h"

#include <imgui.h>

#include <map>

namespace gocua::app::probe {
namespace {

bool g_enabled = false;
std::map<std::string, Rect, std::less<>> g_items;

}  // namespace

void Enable(bool on) { g_enabled = on; }
bool Enabled() { return g_enabled; }

void BeginFrame() {
  if (g_enabled) g_items.clear();
}

void Note(std::string_view name) {
  if (!g_enabled || !ImGui::IsItemVisible()) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  g_items[std::string(name)] = Rect{a.x, a.y, b.x, b.y};
}

std::optional<Rect> Find(std::string_view name) {
  if (auto it = g_items.find(name); it != g_items.end()) return it->second;
  return std::nullopt;
}

bool AnyWithPrefix(std::string_view prefix) {
  auto it = g_items.lower_bound(prefix);
  return it != g_items.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix;
}

}  // namespace gocua::app::probe
