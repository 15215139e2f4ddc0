#pragma once
// Keyboard events from the window system, handed to Dear ImGui a frame at a time in an order it
// can take. Vietnamese IMEs on Windows (Unikey, EVKey) replace a letter by sending a synthesised
// Backspace and then the composed letter ("e" → BS, "ê") in one burst, so both arrive in one
// poll. Dear ImGui 1.86 inserts a frame's characters before it handles that frame's Backspace
// (InputTextEx), and a key pressed and released within one frame is never seen down: "Nguyê"
// would become "Nguyêễ" minus one letter. InputBatch splits such a burst over frames:
//   - a character after a press of an editing key (Backspace, Delete, arrows, Home/End, Enter,
//     Tab) in the same frame waits for the next frame;
//   - the release of a key pressed in the same frame waits for the next frame.
// Everything else keeps its order and its frame. No GLFW or ImGui here: platform/window.cpp feeds
// it and replays TakeFrame() into ImGui's backend.
//
// Threading: the UI thread only.
#include <deque>
#include <vector>

namespace gocua {

struct InputEvent {
  enum class Kind { kKey, kChar };
  Kind kind = Kind::kKey;
  int key = 0;  // the window system's key code (kKey)
  int scancode = 0;
  int action = 0;  // 0 release, 1 press, 2 repeat (GLFW's values)
  int mods = 0;
  bool edit_key = false;   // Backspace, Delete, arrows, Home, End, Enter, Tab (kKey)
  unsigned codepoint = 0;  // kChar
};

class InputBatch {
 public:
  void Push(const InputEvent& e) { queue_.push_back(e); }
  // The events of the next frame, in arrival order (empty when none are queued).
  std::vector<InputEvent> TakeFrame();
  // Events are left for a later frame: run one soon.
  bool Pending() const { return !queue_.empty(); }

 private:
  std::deque<InputEvent> queue_;
};

}  // namespace gocua
