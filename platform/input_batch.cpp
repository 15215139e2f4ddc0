#include "platform/input_batch.h"

#include <algorithm>

namespace gocua {

std::vector<InputEvent> InputBatch::TakeFrame() {
  std::vector<InputEvent> frame;
  std::vector<int> pressed;  // keys pressed in this frame
  bool edit_pressed = false;
  while (!queue_.empty()) {
    const InputEvent& e = queue_.front();
    if (e.kind == InputEvent::Kind::kChar) {
      if (edit_pressed) break;
    } else if (e.action == 0) {
      if (std::find(pressed.begin(), pressed.end(), e.key) != pressed.end()) break;
    } else {
      pressed.push_back(e.key);
      edit_pressed = edit_pressed || e.edit_key;
    }
    frame.push_back(e);
    queue_.pop_front();
  }
  return frame;
}

}  // namespace gocua
