#pragma once
// Today: follow-ups due and overdue, households not yet visited in my villages, my returned
// visits, changes not yet synced and the last sync; a draft visit left unsaved.
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/today.h"

namespace gocua::app {

class TodayScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Reload(AppModel& m);

  Freshness fresh_;
  TodaySummary today_;
  std::vector<Visit> returned_;
  std::vector<Visit> recent_;  // my visits of the last days
  std::vector<std::string> recent_households_;  // their households, "head — address"
  std::string error_;
};

}  // namespace gocua::app
