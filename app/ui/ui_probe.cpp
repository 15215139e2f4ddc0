#include "app/ui/ui_probe.h"

#include <imgui.h>

#include <map>

namespace gocua::app::probe {
namespace {

bool g_enabled = false;
std::map<std::string, Rect, std::less<>> g_items;
std::vector<std::string> g_clipped;
std::map<std::string, std::string, std::less<>> g_texts;

}  // namespace

void Enable(bool on) { g_enabled = on; }
bool Enabled() { return g_enabled; }

void BeginFrame() {
  if (!g_enabled) return;
  g_items.clear();
  g_clipped.clear();
  g_texts.clear();
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

void NoteText(std::string_view name, std::string_view text) {
  if (g_enabled) g_texts[std::string(name)] = std::string(text);
}

std::string TextOf(std::string_view name) {
  auto it = g_texts.find(name);
  return it == g_texts.end() ? std::string() : it->second;
}

std::vector<std::string> ClippedSideways() { return g_clipped; }

bool AnyWithPrefix(std::string_view prefix) {
  auto it = g_items.lower_bound(prefix);
  return it != g_items.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix;
}

}  // namespace gocua::app::probe
