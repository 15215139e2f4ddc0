// gocua: the field app. Options:
//   --data DIR         the data folder (default: platform DefaultDataDir())
//   --assets DIR       translations etc. (default: assets/ next to the executable, else the
//                      source tree's assets/ for a developer build)
//   --screenshot FILE  render --screen NAME with the data folder's data, save a PNG, exit
//   --screen NAME      today | households | household | visit_form | ... (app/core/stage.h)
//   --size WxH         window size (default 1280x800)
//   --bench-startup | --bench-scroll N | --bench-idle [--stock-loop]
//                      benchmark modes on --screen NAME (app/ui/bench_mode.h, tools/app_bench.sh);
//                      --bench-scroll always on the Households list
// The loop is app/ui/run_loop.cpp; this file only wires the parts together.
#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "app/ui/run_loop.h"
#include "platform/command_line.h"
#include "platform/paths.h"
#include "storage/core/private_files.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: gocua [--data DIR] [--assets DIR] [--size WxH]\n"
               "             [--screenshot FILE.png --screen NAME]\n"
               "             [--bench-startup | --bench-scroll N | --bench-idle] [--stock-loop]\n"
               "             (--screenshot and --bench-startup/--bench-idle need --screen NAME)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  gocua::UsePrivateUmask();       // data, backups, reports, logs: 0600/0700 (POSIX)
  gocua::IgnoreFileSizeSignal();  // past `ulimit -f`: an error message, not a silent kill
  gocua::app::RunOptions o;
  o.main_start_s = std::chrono::duration<double>(
                       std::chrono::steady_clock::now().time_since_epoch())
                       .count();
  o.data_dir = gocua::DefaultDataDir();
  o.assets_dir = gocua::AssetsDirNextToExecutable();  // an installed or packaged app
#ifdef GOCUA_SOURCE_ASSETS
  if (o.assets_dir.empty()) o.assets_dir = GOCUA_SOURCE_ASSETS;  // a developer build
#endif
  const std::vector<std::string> args = gocua::Utf8Arguments(argc, argv);  // UTF-8 on Windows
  const int n = static_cast<int>(args.size());
  for (int i = 1; i < n; ++i) {
    const std::string a = args[i];
    auto next = [&]() -> const char* { return i + 1 < n ? args[++i].c_str() : nullptr; };
    const char* v = nullptr;
    if (a == "--help" || a == "-h") return Usage();
    if (a == "--data" && (v = next())) {
      o.data_dir = v;
    } else if (a == "--assets" && (v = next())) {
      o.assets_dir = v;
    } else if (a == "--screenshot" && (v = next())) {
      o.screenshot = v;
    } else if (a == "--screen" && (v = next())) {
      o.screen = v;
    } else if (a == "--size" && (v = next())) {
      if (std::sscanf(v, "%dx%d", &o.width, &o.height) != 2) return Usage();
    } else if (a == "--bench-startup") {
      o.bench.kind = gocua::app::BenchKind::kStartup;
    } else if (a == "--bench-scroll" && (v = next())) {
      o.bench.kind = gocua::app::BenchKind::kScroll;
      o.bench.scroll_frames = std::atoi(v);
      if (o.bench.scroll_frames <= 0) return Usage();
    } else if (a == "--bench-idle") {
      o.bench.kind = gocua::app::BenchKind::kIdle;
    } else if (a == "--stock-loop") {
      o.bench.stock_loop = true;
    } else {
      std::fprintf(stderr, "gocua: unknown or incomplete option '%s'\n", a.c_str());
      return Usage();
    }
  }
  if (o.bench.kind == gocua::app::BenchKind::kScroll) o.screen = "households";
  const bool staged = !o.screenshot.empty() || o.bench.kind != gocua::app::BenchKind::kNone;
  if (staged && o.screen.empty()) {
    std::fprintf(stderr, "gocua: --screenshot and --bench-* need --screen NAME\n");
    return Usage();
  }
  return gocua::app::Run(o);
}
