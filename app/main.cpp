// gocua: the field app. Options:
//   --data DIR         the data folder (default: platform DefaultDataDir())
//   --assets DIR       translations etc. (default: the source tree's assets/)
//   --screenshot FILE  render --screen NAME with the data folder's data, save a PNG, exit
//   --screen NAME      today | households | household | visit_form | ... (app/stage.h)
//   --size WxH         window size (default 1280x800)
// The loop is app/run_loop.cpp; this file only wires the parts together.
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "app/run_loop.h"
#include "platform/paths.h"

namespace {

int Usage() {
  std::fprintf(stderr,
               "usage: gocua [--data DIR] [--assets DIR] [--size WxH]\n"
               "             [--screenshot FILE.png --screen NAME]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  gocua::app::RunOptions o;
  o.data_dir = gocua::DefaultDataDir();
#ifdef GOCUA_SOURCE_ASSETS
  o.assets_dir = GOCUA_SOURCE_ASSETS;
#endif
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
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
    } else {
      std::fprintf(stderr, "gocua: unknown or incomplete option '%s'\n", a.c_str());
      return Usage();
    }
  }
  return gocua::app::Run(o);
}
