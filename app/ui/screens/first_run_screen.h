#pragma once
// First run on a laptop: either set up the commune here, offline (province, commune, villages,
// the first leader and their PIN), or enroll with the commune's hub (address + one-time code),
// which downloads the commune, its villages and members.
#include <string>

#include "app/ui/screens/screen.h"

namespace gocua::app {

class FirstRunScreen {
 public:
  void Draw(AppModel& m);

 private:
  void DrawLocal(AppModel& m);
  void DrawEnroll(AppModel& m);

  int mode_ = 0;  // 0 = local profile, 1 = enroll
  std::string province_, commune_, villages_, leader_name_, pin_, pin_again_;
  std::string hub_url_ = "http://", code_, device_name_;
  std::string error_;
};

}  // namespace gocua::app
