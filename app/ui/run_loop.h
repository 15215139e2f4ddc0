#pragma once
// The app's life: open the data folder and the window, load the language and the fonts, then
// the event-driven loop (app/core/loop_schedule.h decides when to wait, draw and give memory
// back), and a clean shutdown on window close or SIGTERM/SIGINT. With `screenshot` set it stages `screen`, draws a few
// frames, writes the PNG and exits. With `bench` set it stages `screen` and runs a benchmark
// mode (app/ui/bench_mode.h).
#include <string>

#include "app/ui/bench_mode.h"

namespace gocua::app {

struct RunOptions {
  std::string data_dir, assets_dir;
  std::string screenshot, screen;
  int width = 1280, height = 800;
  BenchOptions bench;
  double main_start_s = 0;  // steady-clock seconds when main() began (for --bench-startup)
};

// The process exit code: 0 on a clean exit, 1 on an error it printed.
int Run(const RunOptions& options);

}  // namespace gocua::app
