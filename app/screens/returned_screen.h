#pragma once
// Returned visits: the visits a leader sent back to me, each with the leader's comment, and a
// button that opens the visit to fix and resubmit it.
#include <vector>

#include "app/screens/screen.h"

namespace gocua::app {

class ReturnedScreen {
 public:
  void Draw(AppModel& m);

 private:
  struct Row {
    Visit visit;
    std::string household, comment, leader;
  };
  Freshness fresh_;
  std::vector<Row> rows_;
  std::string error_;
};

}  // namespace gocua::app
