#include "app/ui/run_loop.h"

#include <imgui.h>

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/core/i18n.h"
#include "app/core/loop_schedule.h"
#include "app/core/main_queue.h"
#include "app/core/model.h"
#include "app/core/stage.h"
#include "app/ui/app.h"
#include "app/ui/bench_mode.h"
#include "app/ui/fonts.h"
#include "platform/memory.h"
#include "platform/shutdown_signal.h"
#include "platform/utf8_path.h"
#include "platform/window.h"

namespace gocua::app {
namespace {

std::atomic<bool> g_quit{false};

double NowS() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "gocua: %s\n", what.c_str());
  return 1;
}

}  // namespace

int Run(const RunOptions& o) {
  auto quit_requests = ShutdownSignal::Install([] {
    g_quit = true;
    Window::Wake();
  });
  if (!quit_requests) return Fail(quit_requests.error().message());
  std::error_code ec;
  std::filesystem::create_directories(PathFromUtf8(o.data_dir), ec);
  if (ec) return Fail("không tạo được thư mục dữ liệu " + o.data_dir + ": " + ec.message());
  Status settings_error;
  Settings settings = LoadSettings(o.data_dir, o.assets_dir, &settings_error);
  if (Status st = LoadLanguage(o.assets_dir, settings.language); !st.ok()) {
    return Fail(st.message() + " (--assets DIR)");
  }
  static SystemClock clock;
  auto db = Database::Open(JoinPathUtf8(o.data_dir, "gocua.db"), clock);
  if (!db) return Fail(db.error().message());

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // layout is fixed; nothing to remember
  ApplyStyle();
  std::string error;
  WindowOptions wo;
  wo.width = o.width;
  wo.height = o.height;
  auto window = Window::Open(wo, &error);
  if (!window) return Fail(error);
  std::string font_warning;
  const float font_scale = settings.text_scale;
  LoadFonts(font_scale, &font_warning);

  MainQueue queue([] { Window::Wake(); });
  const bool screenshot = !o.screenshot.empty();
  BenchRun bench(o.bench, o.main_start_s);
  int exit_code = 0;
  {
    // A screenshot gets a worker that never syncs by itself: the Sync screen shows its button
    // as a person sees it, and the picture does not depend on a hub answering.
    std::optional<SyncWorkerOptions> worker = SyncWorkerOptions{};
    if (screenshot) worker->auto_every_s = 0;
    AppModel model(std::move(*db), clock, settings, queue, worker);
    if (!settings_error.ok()) model.Error(settings_error.message());
    if (!font_warning.empty()) model.Error(font_warning);
    if ((screenshot || bench.active()) && !Stage(model, o.screen, &error)) return Fail(error);
    App app(model, font_scale);
    LoopSchedule schedule(bench.DrawsEveryIteration());
    int frames = 0;
    while (!window->ShouldClose() && !g_quit) {
      const double timeout = schedule.WaitTimeout(NowS());
      bool activity = timeout <= 0 ? window->Poll() : window->Wait(timeout);
      activity |= queue.Drain() > 0;
      const LoopStep step = schedule.AfterWait(NowS(), activity, app.WantsFrames() || screenshot);
      if (step.release_memory) {  // quiet for a while: give back what busy work kept
        model.db().ReleaseMemory();
        ReturnFreeHeapToOs();
      }
      if (!step.draw) continue;
      const double frame_start_s = NowS();
      window->BeginFrame();
      // The pointer Xvfb leaves mid-screen would hover a row in the picture.
      if (screenshot) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
      if (bench.active()) bench.BeforeNewFrame();
      ImGui::NewFrame();
      app.Frame();
      ImGui::Render();
      const double ui_done_s = NowS();
      window->Render();
      // A few frames let tables and clippers settle their layout before the picture; a screen
      // waiting for the hub's answer gets it first (at most ~10 s of frames).
      if (screenshot && ++frames >= 6 && (app.Settled() || frames >= 600)) {
        int w = 0, h = 0;
        auto pixels = window->ReadPixels(&w, &h);
        window->Present();
        if (!WritePng(o.screenshot, pixels, w, h)) {
          exit_code = Fail("không ghi được " + o.screenshot);
        } else {
          std::printf("screenshot: %s (%dx%d)\n", o.screenshot.c_str(), w, h);
        }
        break;
      }
      window->Present();
      schedule.Drew(NowS());
      if (bench.active() && bench.AfterFrame(frame_start_s, ui_done_s, NowS())) break;
    }
    if (bench.active()) bench.Finish(NowS());
  }
  quit_requests->reset();  // no Wake() once the window is gone
  window.reset();
  ImGui::DestroyContext();
  return exit_code;
}

}  // namespace gocua::app
