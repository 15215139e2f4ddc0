#pragma once
// The real gocua-hub for the sync benchmark: `gocua-hub serve` on a loopback port over a data
// folder of its own, its admin commands on that folder, and the CPU time the process used.
// POSIX (posix_spawn, /proc): the benchmark runs on Linux only, like the hub tests.
//
// Threading: one thread drives a BenchHub (start, commands, stop); Url() and CpuSeconds() may
// be read from any thread while it runs.
#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"

namespace gocua::bench {

// build/tools/bench/gocua-sync-bench → build/sync/hub/gocua-hub, through /proc/self/exe.
std::string DefaultHubBinary();

class BenchHub {
 public:
  // `binary`: the gocua-hub executable. `dir`: an existing folder the hub may own (its data
  // folder is dir/data, its request log dir/serve.err). Nothing runs until Start().
  BenchHub(std::string binary, std::string dir);
  ~BenchHub();  // kills a hub still running; leaves `dir` to the caller
  BenchHub(const BenchHub&) = delete;
  BenchHub& operator=(const BenchHub&) = delete;

  // Serve and administer the PostgreSQL database `uri` (--store) instead of the data folder.
  void UseStore(std::string uri) { store_ = std::move(uri); }

  // An admin command on the data folder (`--data` is added), e.g. {"village", "add", ...}.
  // Returns its stdout without the final newline; fails with its stderr if it exits non-zero.
  Result<std::string> Admin(std::vector<std::string> args);

  // `gocua-hub serve --listen 127.0.0.1:0`; returns once it prints "listening on", or fails
  // after 30 s.
  Status Start();
  // SIGTERM, then waits for the hub to exit (SIGKILL after 10 s).
  Status Stop();

  std::string Url() const { return url_; }
  // user + system CPU seconds the running hub has used so far (0 when it is not running).
  double CpuSeconds() const;
  // The running hub's process id (-1 when it is not running); a --hub wrapper that execs the
  // hub (under valgrind, say) keeps it.
  pid_t pid() const { return pid_; }

 private:
  // The options naming the hub's store: --data DIR/data, or --store URI.
  std::vector<std::string> StoreArgs() const;

  std::string binary_, dir_, url_, store_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
};

// A commune on the hub, made with its admin commands: the villages of FakeData, two members
// (PIN 2468). Returns the commune's id.
Result<std::string> SetUpCommune(BenchHub& hub);

}  // namespace gocua::bench
