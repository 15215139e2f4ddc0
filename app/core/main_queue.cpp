#include "app/core/main_queue.h"

namespace gocua::app {

void MainQueue::Post(std::function<void()> fn) {
  {
    std::lock_guard lock(mu_);
    pending_.push_back(std::move(fn));
  }
  if (waker_) waker_();
}

int MainQueue::Drain() {
  std::vector<std::function<void()>> now;
  {
    std::lock_guard lock(mu_);
    now.swap(pending_);
  }
  for (auto& fn : now) fn();
  return static_cast<int>(now.size());
}

}  // namespace gocua::app
