#pragma once
// Work posted to the UI thread (STYLE.md rule 6): a worker Post()s a closure, the queue calls
// the waker (glfwPostEmptyEvent in the app) so the UI wakes, and the UI thread runs the
// closures in Drain() before drawing the next frame.
//
// Threading: Post() from any thread; Drain() on the UI thread only.
#include <functional>
#include <mutex>
#include <vector>

namespace gocua::app {

class MainQueue {
 public:
  // `waker` is called after each Post(), on the posting thread; may be empty.
  explicit MainQueue(std::function<void()> waker = {}) : waker_(std::move(waker)) {}

  void Post(std::function<void()> fn);
  // Runs everything posted so far, in order. Returns how many closures ran.
  int Drain();

 private:
  std::function<void()> waker_;
  std::mutex mu_;
  std::vector<std::function<void()>> pending_;
};

}  // namespace gocua::app
