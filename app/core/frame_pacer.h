#pragma once
// When to draw (STYLE.md rule 7). The loop asks the pacer how long it may sleep, sleeps in
// the window's Wait(), tells the pacer what woke it, and draws only when the pacer says so:
// a few frames after any input or posted work (ImGui needs them to settle hover and focus),
// frames for as long as the app asks for them (an animation, a running progress bar), and
// nothing at all otherwise. The timer wake-up (for the idle lock and the clock on Today) draws
// one frame no more than once a `tick_s`.
//
// Pure logic, no GLFW: tests/app/units_test.cpp drives it; app/core/loop_schedule.h uses it.
namespace gocua::app {

class FramePacer {
 public:
  static constexpr int kFramesAfterInput = 3;
  explicit FramePacer(double tick_s = 30.0) : tick_s_(tick_s) {}

  // How long the loop may block: 0 while frames are owed, else up to the next tick.
  double WaitTimeout(double now_s) const;
  // After the wait: `activity` = input or posted work arrived; `wants_frames` = the app asked
  // to keep drawing. True when a frame must be drawn now.
  bool ShouldDraw(double now_s, bool activity, bool wants_frames);

  long frames_drawn() const { return frames_drawn_; }

 private:
  double tick_s_;
  int frames_left_ = kFramesAfterInput;  // the first frames
  double last_draw_s_ = -1e9;
  long frames_drawn_ = 0;
};

}  // namespace gocua::app
