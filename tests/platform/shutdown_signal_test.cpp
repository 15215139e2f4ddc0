// The one signal handling of the app and the hub (platform/shutdown_signal.h), with real
// signals sent to this process: each request is one call on the watcher thread, and the
// previous handlers come back when it is destroyed.
#include "platform/shutdown_signal.h"

#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace gocua::test {
namespace {

struct Calls {
  std::mutex mu;
  std::condition_variable cv;
  int n = 0;

  void Add() {
    std::lock_guard<std::mutex> lock(mu);
    ++n;
    cv.notify_all();
  }
  // Liveness, not timing: a generous bound only so that a lost signal fails instead of hanging.
  bool WaitFor(int want) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(30), [&] { return n >= want; });
  }
};

void (*HandlerOf(int sig))(int) {
  struct sigaction now {};
  sigaction(sig, nullptr, &now);
  return now.sa_handler;
}

}  // namespace

TEST_CASE("Shutdown signal: SIGTERM and SIGINT each call back once, then the old handlers return") {
  const auto term_before = HandlerOf(SIGTERM), int_before = HandlerOf(SIGINT);
  const auto pipe_before = HandlerOf(SIGPIPE);
  Calls calls;
  {
    auto installed = ShutdownSignal::Install([&calls] { calls.Add(); });
    REQUIRE(installed);
    CHECK((HandlerOf(SIGPIPE) == SIG_IGN));  // a peer hanging up does not kill the process
    REQUIRE(raise(SIGTERM) == 0);
    CHECK(calls.WaitFor(1));
    REQUIRE(raise(SIGINT) == 0);
    CHECK(calls.WaitFor(2));
  }
  CHECK(calls.n == 2);
  CHECK((HandlerOf(SIGTERM) == term_before));
  CHECK((HandlerOf(SIGINT) == int_before));
  CHECK((HandlerOf(SIGPIPE) == pipe_before));
}

TEST_CASE("Shutdown signal: it can be installed again after it was destroyed") {
  Calls calls;
  for (int round = 1; round <= 2; ++round) {
    auto installed = ShutdownSignal::Install([&calls] { calls.Add(); });
    REQUIRE(installed);
    REQUIRE(raise(SIGTERM) == 0);
    CHECK(calls.WaitFor(round));
  }
  CHECK(calls.n == 2);
}

}  // namespace gocua::test
