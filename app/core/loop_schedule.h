#pragma once
// The run loop's schedule (STYLE.md rule 7): every decision app/ui/run_loop.cpp makes about
// waiting, drawing and giving memory back, with no window, no ImGui and no clock of its own.
// The loop is then only plumbing:
//
//   LoopSchedule schedule(every_iteration);
//   for (;;) {
//     const double timeout = schedule.WaitTimeout(now);     // 0: poll, else block up to this
//     bool activity = timeout <= 0 ? window.Poll() : window.Wait(timeout);
//     activity |= queue.Drain() > 0;
//     const LoopStep step = schedule.AfterWait(now, activity, app.WantsFrames());
//     if (step.release_memory) { ...give back the page cache and the heap... }
//     if (!step.draw) continue;
//     ...draw and present...
//     schedule.Drew(now);
//   }
//
// It composes the frame pacer (app/core/frame_pacer.h: a few frames after input, frames while
// the app asks, one per tick otherwise) and the idle release (app/core/idle_release.h: once per
// quiet spell). An idle app blocks for the whole tick: no frame and no wake-up but the tick's
// and the release's. `every_iteration` is Dear ImGui's example loop (the benchmarks' stock
// loop and scroll mode): never block, draw every iteration, never release.
//
// Pure logic; one per loop, UI thread. Times are steady-clock seconds.
// tests/app/loop_schedule_test.cpp drives it as the loop does.
#include "app/core/frame_pacer.h"
#include "app/core/idle_release.h"

namespace gocua::app {

// What the loop does after a wait.
struct LoopStep {
  bool release_memory = false;  // quiet for IdleRelease::kQuietS: release before anything else
  bool draw = false;            // draw and present a frame (then call Drew)
};

class LoopSchedule {
 public:
  explicit LoopSchedule(bool every_iteration = false, double tick_s = 30.0)
      : every_iteration_(every_iteration), pacer_(tick_s) {}

  // How long the loop may block waiting for input: 0 means poll and go on.
  double WaitTimeout(double now_s) const;
  // After the wait: `activity` = input or posted work arrived; `wants_frames` = the app (an
  // animation, a progress bar, a screenshot being taken) asks to keep drawing.
  LoopStep AfterWait(double now_s, bool activity, bool wants_frames);
  // After every frame presented.
  void Drew(double now_s) { idle_release_.Drew(now_s); }

  long frames_drawn() const { return frames_drawn_; }
  long releases() const { return idle_release_.releases(); }

 private:
  bool every_iteration_;
  FramePacer pacer_;
  IdleRelease idle_release_;
  long frames_drawn_ = 0;
};

}  // namespace gocua::app
