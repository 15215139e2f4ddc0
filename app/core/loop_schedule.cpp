#include "app/core/loop_schedule.h"

#include <algorithm>

namespace gocua::app {

double LoopSchedule::WaitTimeout(double now_s) const {
  if (every_iteration_) return 0;
  double timeout = pacer_.WaitTimeout(now_s);
  if (const double release_in = idle_release_.WaitTimeout(now_s); release_in >= 0)
    timeout = std::min(timeout, release_in);
  return timeout;
}

LoopStep LoopSchedule::AfterWait(double now_s, bool activity, bool wants_frames) {
  LoopStep step;
  if (every_iteration_) {
    step.draw = true;
  } else {
    step.release_memory = idle_release_.Due(now_s);
    step.draw = pacer_.ShouldDraw(now_s, activity, wants_frames);
  }
  if (step.draw) ++frames_drawn_;
  return step;
}

}  // namespace gocua::app
