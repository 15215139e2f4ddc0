#pragma once
// Sync: the hub this laptop talks to, a button, a progress bar while it runs (with Cancel),
// the last result, and errors in plain words with what to do. A laptop that knows its hub but
// holds no token (after Settings > reset device) enrolls again here with a new code.
#include <string>

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
  std::string code_, device_name_;
  void DrawEnrollAgain(AppModel& m);
};

}  // namespace gocua::app
