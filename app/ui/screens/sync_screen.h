#pragma once
// Sync: the hub this laptop talks to, a button, a progress bar while it runs (with Cancel),
// the last result, and errors in plain words with what to do.
#include "app/ui/screens/screen.h"
#include "storage/device/replica.h"

namespace gocua::app {

class SyncScreen {
 public:
  void Draw(AppModel& m);

 private:
  Freshness fresh_;
  SyncState state_;
  int64_t unsynced_ = 0;
};

}  // namespace gocua::app
