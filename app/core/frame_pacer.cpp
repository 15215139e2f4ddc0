#include "app/core/frame_pacer.h"

#include <algorithm>

namespace gocua::app {

double FramePacer::WaitTimeout(double now_s) const {
  if (frames_left_ > 0) return 0;
  return std::max(0.0, last_draw_s_ + tick_s_ - now_s);
}

bool FramePacer::ShouldDraw(double now_s, bool activity, bool wants_frames) {
  if (activity || wants_frames) frames_left_ = std::max(frames_left_, kFramesAfterInput);
  bool draw = false;
  if (frames_left_ > 0) {
    --frames_left_;
    draw = true;
  } else if (now_s - last_draw_s_ >= tick_s_) {
    draw = true;  // the periodic tick
  }
  if (draw) {
    last_draw_s_ = now_s;
    ++frames_drawn_;
  }
  return draw;
}

}  // namespace gocua::app
