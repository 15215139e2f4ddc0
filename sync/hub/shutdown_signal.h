#pragma once
// SIGTERM and SIGINT as a call on a thread of our own: the signal handler only writes a byte
// to a pipe (async-signal-safe); a watcher thread reads it and calls `on_signal`, which may
// then do anything (stop the HTTP server). POSIX only: the hub runs on Linux servers.
#include <functional>
#include <memory>

#include "base/result.h"

namespace gocua::hub {

class ShutdownSignal {
 public:
  // Installs the handlers (and ignores SIGPIPE: a client that hangs up mid-reply must not kill
  // the hub). At most one ShutdownSignal may exist at a time. `on_signal` runs on the watcher
  // thread, once per signal received.
  static Result<std::unique_ptr<ShutdownSignal>> Install(std::function<void()> on_signal);
  // Restores the previous SIGTERM/SIGINT handlers and joins the watcher thread.
  ~ShutdownSignal();
  ShutdownSignal(const ShutdownSignal&) = delete;
  ShutdownSignal& operator=(const ShutdownSignal&) = delete;

 private:
  struct Impl;
  explicit ShutdownSignal(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua::hub
