#pragma once
// Where named items were drawn in the last frame, so that headless UI tests can click and type
// into them through Dear ImGui's own input (tests/app/ui_harness.h). Off unless a test turns it
// on; when off, Note() costs one branch.
//
// Threading: UI thread only.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gocua::app::probe {

struct Rect {
  float x0, y0, x1, y1;
  float cx() const { return (x0 + x1) / 2; }
  float cy() const { return (y0 + y1) / 2; }
};

void Enable(bool on);
bool Enabled();
// Forgets the previous frame's items; the app calls it at the start of every frame.
void BeginFrame();
// Records the last ImGui item under `name` (if enabled).
void Note(std::string_view name);
// Where `name` was drawn in the last frame, if it was (and was not clipped away).
std::optional<Rect> Find(std::string_view name);
// Records the text shown by the last item noted under `name` (NamedText), for TextOf.
void NoteText(std::string_view name, std::string_view text);
// The text noted under `name` in the last frame, or "" when none was.
std::string TextOf(std::string_view name);
// True when an item whose name starts with `prefix` was drawn in the last frame.
bool AnyWithPrefix(std::string_view prefix);
// Named items of the last frame cut off at the right edge of the window (or child) holding
// them: partly or wholly beyond it. Items scrolled out above or below are not counted —
// a window scrolls up and down, never sideways.
std::vector<std::string> ClippedSideways();

}  // namespace gocua::app::probe
