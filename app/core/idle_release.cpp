#include "app/core/idle_release.h"

#include <algorithm>

namespace gocua::app {

void IdleRelease::Drew(double now_s) {
  pending_ = true;
  last_frame_s_ = now_s;
}

double IdleRelease::WaitTimeout(double now_s) const {
  if (!pending_) return -1;
  return std::max(0.0, last_frame_s_ + kQuietS - now_s);
}

bool IdleRelease::Due(double now_s) {
  if (!pending_ || now_s - last_frame_s_ < kQuietS) return false;
  pending_ = false;
  ++releases_;
  return true;
}

}  // namespace gocua::app
