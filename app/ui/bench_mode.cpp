#include "app/ui/bench_mode.h"

#include <imgui.h>
#include <imgui_internal.h>  // the hovered window's scroll, to show the list really moved

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <ctime>
#include <cstdio>

namespace gocua::app {
namespace {

constexpr float kWheelStepsPerFrame = 3;  // ImGui scrolls 5 lines a step: ~12 rows a frame

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

}  // namespace

BenchRun::BenchRun(const BenchOptions& options, double main_start_s)
    : o_(options), main_start_s_(main_start_s) {
  if (o_.kind == BenchKind::kScroll) {
    frame_ms_.reserve(static_cast<size_t>(o_.scroll_frames));
    ui_ms_.reserve(static_cast<size_t>(o_.scroll_frames));
  }
}

void BenchRun::BeforeNewFrame() {
  ImGuiIO& io = ImGui::GetIO();
  if (o_.kind == BenchKind::kStartup) {
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  } else if (o_.kind == BenchKind::kScroll) {
    // Over the list's rows, right of the navigation column and below the filters.
    io.MousePos = ImVec2(io.DisplaySize.x * 0.6f, io.DisplaySize.y * 0.6f);
    io.MouseWheel = frames_ >= kSettleFrames ? -kWheelStepsPerFrame : 0.0f;
  }
}

bool BenchRun::AfterFrame(double start_s, double ui_done_s, double end_s) {
  ++frames_;
  if (o_.kind == BenchKind::kStartup) {
    using namespace std::chrono;
    const double unix_ms =
        duration<double, std::milli>(system_clock::now().time_since_epoch()).count();
    std::printf("bench first_frame_ms_since_main %.1f\n", (end_s - main_start_s_) * 1e3);
    std::printf("bench first_frame_unix_ms %.1f\n", unix_ms);
    std::fflush(stdout);
    return true;
  }
  if (o_.kind != BenchKind::kScroll) return false;
  if (frames_ <= kSettleFrames) {
    cpu_start_ = std::clock();
    return false;
  }
  frame_ms_.push_back((end_s - start_s) * 1e3);
  ui_ms_.push_back((ui_done_s - start_s) * 1e3);
  if (static_cast<int>(frame_ms_.size()) < o_.scroll_frames) return false;
  std::printf("bench scroll_frames %zu\n", frame_ms_.size());
  std::printf("bench frame_ms_median %.2f\n", Percentile(frame_ms_, 0.5));
  std::printf("bench frame_ms_p95 %.2f\n", Percentile(frame_ms_, 0.95));
  std::printf("bench frame_ms_max %.2f\n", Percentile(frame_ms_, 1.0));
  // The UI's share: ImGui and the screens, before the renderer draws and the swap.
  std::printf("bench ui_ms_median %.2f\n", Percentile(ui_ms_, 0.5));
  std::printf("bench ui_ms_p95 %.2f\n", Percentile(ui_ms_, 0.95));
  // CPU time of the whole process (renderer threads included) per measured frame: on a busy
  // machine the wall-clock figures include waiting for a core, this does not.
  const double cpu_ms = static_cast<double>(std::clock() - cpu_start_) * 1e3 / CLOCKS_PER_SEC;
  std::printf("bench cpu_ms_per_frame %.2f\n", cpu_ms / static_cast<double>(frame_ms_.size()));
  if (const ImGuiWindow* w = ImGui::GetCurrentContext()->HoveredWindow) {
    std::printf("bench scrolled_px %.0f of %.0f\n", w->Scroll.y, w->ScrollMax.y);
  }
  std::fflush(stdout);
  return true;
}

void BenchRun::Finish(double now_s) {
  std::printf("bench frames_drawn %d\n", frames_);
  std::printf("bench run_s %.1f\n", now_s - main_start_s_);
  std::fflush(stdout);
}

}  // namespace gocua::app
