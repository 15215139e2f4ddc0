#pragma once
// A polite request to quit — SIGTERM or SIGINT on POSIX, Ctrl+C, Ctrl+Break or closing the
// console on Windows — as a call on a thread of our own, so that the program shuts down
// cleanly (the app closes its window, keeps drafts and closes the database; the hub stops its
// HTTP server) instead of dying mid-write. The one signal handling of the app and the hub;
// implemented in shutdown_signal_posix.cpp / shutdown_signal_win32.cpp.
//
// POSIX: the signal handler only writes a byte to a pipe (async-signal-safe); a watcher thread
// reads it and calls `on_signal`, which may then do anything. SIGPIPE is ignored while it is
// installed: a peer that hangs up mid-reply must not kill the process. Windows: the console
// control handler calls `on_signal` on the thread Windows starts for it.
#include <functional>
#include <memory>

#include "base/result.h"

namespace gocua {

class ShutdownSignal {
 public:
  // Installs the handlers. At most one ShutdownSignal may exist at a time. `on_signal` runs on
  // the watcher thread, once per request received, so it must be thread-safe (set a flag and
  // wake the UI, stop a server); it may run until the ShutdownSignal is destroyed.
  static Result<std::unique_ptr<ShutdownSignal>> Install(std::function<void()> on_signal);
  // Restores the previous handlers; after it returns `on_signal` is not running and never runs
  // again.
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

 private:
  struct Impl;
  explicit ShutdownSignal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua
