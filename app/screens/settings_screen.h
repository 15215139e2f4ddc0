#pragma once
// Settings: language, text size, idle lock, the hub address, the data folder, back up now.
#include <string>

#include "app/screens/screen.h"

namespace gocua::app {

class SettingsScreen {
 public:
  void Draw(AppModel& m);

 private:
  bool loaded_ = false;
  Settings edit_;
  std::string hub_url_;
  std::string error_;
};

}  // namespace gocua::app
