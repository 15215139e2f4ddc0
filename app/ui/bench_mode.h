#pragma once
// gocua's benchmark modes (issue 4 "Benchmark"). tools/app_bench.sh runs them under Xvfb and
// docs/benchmarks.md ("App") has the figures. Each mode stages --screen (app/core/stage.h), then:
//   --bench-startup   draws the first frame, prints when, exits;
//   --bench-scroll N  turns the mouse wheel over the Households list for N frames, drawing every
//                     frame, prints the frame times (median, p95, max), exits;
//   --bench-idle      runs the ordinary loop until closed (SIGTERM); CPU and memory are read
//                     from outside, in /proc;
//   --stock-loop      with any of them: Dear ImGui's example_glfw_opengl3 loop (glfwPollEvents
//                     and a frame every iteration: app/core/loop_schedule.h `every_iteration`)
//                     instead of the event-driven schedule, to compare.
// Results go to stdout as "bench KEY VALUE" lines, for scripts: engineers' output, not Tr().
//
// Threading: UI thread only.
#include <ctime>
#include <vector>

namespace gocua::app {

enum class BenchKind { kNone, kStartup, kScroll, kIdle };

struct BenchOptions {
  BenchKind kind = BenchKind::kNone;
  int scroll_frames = 0;    // kScroll: frames to measure
  bool stock_loop = false;  // draw every iteration like imgui's example loop
};

class BenchRun {
 public:
  // `main_start_s`: steady-clock seconds when main() began.
  BenchRun(const BenchOptions& options, double main_start_s);

  bool active() const { return o_.kind != BenchKind::kNone; }
  // True when the loop must poll and draw every iteration instead of asking the pacer.
  bool DrawsEveryIteration() const { return o_.stock_loop || o_.kind == BenchKind::kScroll; }
  // Between the platform backend's NewFrame and ImGui::NewFrame: the synthetic input (the
  // wheel over the list while scrolling, the mouse kept off the window otherwise).
  void BeforeNewFrame();
  // After the frame is presented, with steady-clock seconds: the frame's start, the end of
  // the UI's work (ImGui::Render), and after the swap. True when the run is over (results
  // printed).
  bool AfterFrame(double start_s, double ui_done_s, double end_s);
  // After the loop: prints how many frames were drawn in how long (all modes).
  void Finish(double now_s);

 private:
  static constexpr int kSettleFrames = 10;  // layout and the first page before measuring
  BenchOptions o_;
  double main_start_s_;
  int frames_ = 0;
  std::clock_t cpu_start_ = 0;  // process CPU time when the measured frames began
  std::vector<double> frame_ms_, ui_ms_;
};

}  // namespace gocua::app
