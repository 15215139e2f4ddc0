#pragma once
// What every screen is (STYLE.md rule 4): app/screens/<name>_screen.{h,cpp}, UI-only state,
// Draw(AppModel&) called once per drawn frame on the UI thread. A screen keeps a snapshot of
// what it shows and reloads it when AppModel::version() moves or its inputs change — it never
// queries per frame. Errors go to the model's message band or inline beside the field.
#include <cstdint>

#include "app/core/model.h"

namespace gocua::app {

// Tracks whether a snapshot must be reloaded.
class Freshness {
 public:
  // True (once) when the model changed since the last call that returned true, or after
  // Invalidate().
  bool Stale(const AppModel& m) {
    if (seen_ == m.version()) return false;
    seen_ = m.version();
    return true;
  }
  void Invalidate() { seen_ = 0; }

 private:
  uint64_t seen_ = 0;
};

}  // namespace gocua::app
