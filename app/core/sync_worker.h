#pragma once
// The app's sync thread: enrolls and syncs through sync/client on its own database connection
// (WAL lets the UI keep working), and tries a quiet automatic sync every `auto_every_s` while
// the device is enrolled, so a laptop syncs by itself once it reaches the commune office's
// network. Every progress report and result reaches the UI thread through the MainQueue.
//
// Threading: the public methods are for the UI thread; the callbacks run on the UI thread
// (posted). The destructor (UI thread) cancels a running sync and joins the thread; reports
// still in the queue are dropped.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/core/main_queue.h"
#include "platform/clock.h"
#include "sync/client/sync_engine.h"

namespace gocua::app {

struct SyncEvent {
  enum class Kind { kStarted, kProgress, kFinished } kind = Kind::kStarted;
  bool automatic = false;  // an automatic try: a network failure is not news
  bool enroll = false;
  client::SyncPhase phase = client::SyncPhase::kPush;
  int64_t done = 0, total = 0;
  client::SyncResult result;  // kFinished
};

struct SyncWorkerOptions {
  std::string db_path;
  double auto_every_s = 600;  // 0 = never sync on its own
  double first_auto_s = 5;    // the first automatic try after start
  int connect_timeout_s = 10;
  client::SyncOptions engine;  // retries and backoff of a sync the member asked for
};

class SyncWorker {
 public:
  using Listener = std::function<void(const SyncEvent&)>;  // runs on the UI thread
  SyncWorker(SyncWorkerOptions options, const Clock& clock, MainQueue& queue, Listener listener);
  ~SyncWorker();
  SyncWorker(const SyncWorker&) = delete;
  SyncWorker& operator=(const SyncWorker&) = delete;

  // Queue a sync now (ignored while one runs).
  void SyncNow();
  void Enroll(std::string hub_url, std::string code, std::string device_name);
  void Cancel();
  bool busy() const { return busy_; }
  // Holds the worker for work that replaces the database under it (a restore): true when no
  // sync runs, and none starts (asked or automatic: dropped) until Release(). False, and not
  // held, when a sync is running.
  bool Hold();
  void Release();
  const SyncWorkerOptions& options() const { return options_; }

 private:
  struct Request {
    bool enroll = false, automatic = false;
    std::string hub_url, code, device_name;
  };
  void Run();
  void Execute(const Request& r);
  void Emit(SyncEvent e);

  SyncWorkerOptions options_;
  const Clock& clock_;
  MainQueue& queue_;
  Listener listener_;
  // False once the worker is destroyed: reports still queued are then dropped.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool has_request_ = false;
  bool held_ = false;  // guarded by mu_
  Request request_;
  std::atomic<bool> busy_{false};
  std::atomic<bool> cancel_{false};
  std::thread thread_;
};

}  // namespace gocua::app
