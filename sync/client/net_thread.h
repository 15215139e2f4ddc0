#pragma once
// The thread that makes a sync run's HTTP exchanges, so that the run's worker thread can apply
// a pulled page, or read and encode the next push batch, while a request is on the wire.
// Internal to sync/client (sync_engine.cpp).
//
// Jobs run one at a time, in the order posted, all on this one thread: the transport is never
// used by two threads at once (http_transport.h), and a job never touches the worker's
// database connection. A job's result (or the exception it threw) comes back through the
// std::future that Post() returns.
//
// Threading: Post() may be called from any thread. The destructor runs the jobs still queued,
// then joins: whoever owns the thread makes the jobs end soon first (the engine sets the flag
// it passes to HttpTransport::Send as `cancel`), and keeps everything the jobs use alive until
// the destructor has returned.
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace gocua::client {

class NetThread {
 public:
  NetThread();
  ~NetThread();
  NetThread(const NetThread&) = delete;
  NetThread& operator=(const NetThread&) = delete;

  template <typename F>
  auto Post(F job) -> std::future<decltype(job())> {
    using R = decltype(job());
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(job));
    std::future<R> done = task->get_future();
    Enqueue([task] { (*task)(); });
    return done;
  }

 private:
  void Enqueue(std::function<void()> job);
  void Loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;  // guarded by mu_
  bool closing_ = false;                    // guarded by mu_
  std::thread thread_;                      // last: starts once the members above exist
};

}  // namespace gocua::client
