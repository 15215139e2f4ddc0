#pragma once
// The app's life: open the data folder and the window, load the language and the fonts, then
// the event-driven loop (app/frame_pacer.h decides when to draw), and a clean shutdown on
// window close or SIGTERM/SIGINT. With `screenshot` set it stages `screen`, draws a few
// frames, writes the PNG and exits.
#include <string>

namespace gocua::app {

struct RunOptions {
  std::string data_dir, assets_dir;
  std::string screenshot, screen;
  int width = 1280, height = 800;
};

// The process exit code: 0 on a clean exit, 1 on an error it printed.
int Run(const RunOptions& options);

}  // namespace gocua::app
