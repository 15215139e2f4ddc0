#pragma once
// Returned visits: the visits a leader sent back to me, each with the leader's comment, and a
// button that opens the visit to fix and resubmit it.
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/review_queue.h"

namespace gocua::app {

class ReturnedScreen {
 public:
  void Draw(AppModel& m);

 private:
  Freshness fresh_;
  std::vector<ReviewQueueItem> rows_;  // ReviewQueue::ReturnedTo: visit, household, last review
  std::string error_;
};

}  // namespace gocua::app
