#pragma once
// Keyboard order for a whole form, not only its text fields. Dear ImGui 1.86 tabs between text
// fields only; inside a focus ring every widget of app/ui/widgets.h is a stop, in the order it
// is drawn: Tab / Shift+Tab move to the next / previous stop (wrapping), a frame is drawn around
// the current one, and Space or Enter presses it (ticks a check box, picks a radio button,
// presses a button, picks a list row). A text field that becomes the stop takes the keys; a
// click on any stop makes it the current one. Widgets between ui::BeginDisabled(true) and
// ui::EndDisabled are not stops (use those, not ImGui::BeginDisabled, inside a ring).
//
// Public Dear ImGui 1.86 API only (no imgui_internal.h): Tab stops are turned off with
// PushAllowKeyboardFocus(false); the text field that had the keys lets go of them through
// SetWindowFocus(nullptr) (FocusWindow(NULL) clears the active item); whether a widget is
// disabled is tracked by our own BeginDisabled, as 1.86 has no public "is this item disabled".
//
// A screen that wants it keeps a FocusRing and brackets its widgets with Begin/End each frame.
// Outside a ring the widgets behave as plain Dear ImGui.
//
// Threading: UI thread only.
#include <string>

namespace gocua::app::ui {

class FocusRing {
 public:
  // Reads this frame's Tab, Shift+Tab, Space and Enter and makes this ring the current one.
  void Begin();
  void End();
  // The stop with the keyboard, by probe name ("" before the first Tab or click).
  const std::string& current() const { return current_name_; }

  // For the widgets (app/ui/widgets.cpp): before a widget — gives a text field the keys when
  // Tab just reached it.
  void BeforeStop(bool text_field);
  // After it — registers the stop, follows clicks, draws the focus frame; true when Space or
  // Enter pressed this (non-text) stop.
  bool AfterStop(const char* name, bool text_field);

 private:
  int current_ = -1;  // index of the stop with the keyboard; -1: none yet
  int count_ = 0;     // stops drawn in the previous frame
  int seen_ = 0;      // stops drawn so far this frame
  bool moved_ = false;
  bool press_ = false;
  std::string current_name_;
};

// The ring between its Begin and End, else nullptr.
FocusRing* CurrentFocusRing();

// ImGui::BeginDisabled / EndDisabled that the focus ring sees: the widgets between are no stops.
void BeginDisabled(bool disabled = true);
void EndDisabled();

}  // namespace gocua::app::ui
