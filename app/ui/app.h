#pragma once
// The whole UI of one frame: the navigation column, the message band and the current screen.
// main.cpp (with a window) and the headless UI tests (without one) both drive it: they start
// an ImGui frame, call Frame(), and render or not.
//
// Threading: UI thread only.
#include <memory>

#include "app/core/model.h"

namespace gocua::app {

class App {
 public:
  // `model` must outlive the App. `font_scale` is the scale the font atlas was built at.
  explicit App(AppModel& model, float font_scale = 1.0f);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Between ImGui::NewFrame() and ImGui::Render().
  void Frame();
  // True while something animates (a sync in progress): the loop keeps drawing.
  bool WantsFrames() const;
  // False while the screen shown waits for an answer it will draw (the hub's, on the
  // leader's laptops screen): a screenshot waits for it.
  bool Settled() const;

 private:
  struct Screens;
  void DrawNavigation();
  void DrawScreen();
  // While a restore runs (app/core/restore.h): its progress bar in place of every screen.
  void DrawRestoreProgress();

  AppModel& m_;
  float font_scale_;
  std::unique_ptr<Screens> screens_;
};

// Applies the house look (light, roomy, large hit targets for older hands).
void ApplyStyle();

}  // namespace gocua::app
