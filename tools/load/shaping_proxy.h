#pragma once
// A TCP proxy on loopback that makes a link rural: a bandwidth cap and a one-way latency in
// each direction, and cuts (each connection is reset after a random time, exponential with
// mean `cut_every_s`). It shapes bytes, not HTTP, so TLS passes through it untouched.
//
// The model is simple on purpose: each direction of a connection reads a chunk (at most
// 16 KiB), holds it for `latency_ms`, then sends it no faster than `bytes_per_s`. Chunks of one
// direction are delayed one after the other, so a long transfer pays the latency per chunk —
// pessimistic for bulk, right for the request/reply exchanges of a sync.
//
// Threading: Start() then Stop() from one thread; two threads per proxied connection (they end
// with it and own it) and one accepting. Linux/POSIX sockets.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

namespace gocua::load {

struct LinkShape {
  int64_t bytes_per_s = 0;  // 0 = no cap
  int latency_ms = 0;       // one way
  double cut_every_s = 0;   // 0 = never cut
  bool any() const { return bytes_per_s > 0 || latency_ms > 0 || cut_every_s > 0; }
};

class ShapingProxy {
 public:
  // Forwards 127.0.0.1:<port()> to `target_host`:`target_port` (loopback addresses only).
  ShapingProxy(std::string target_host, int target_port, LinkShape shape);
  ~ShapingProxy();
  ShapingProxy(const ShapingProxy&) = delete;
  ShapingProxy& operator=(const ShapingProxy&) = delete;

  Status Start();  // binds a free port and starts accepting
  void Stop();     // closes everything and joins the threads
  int port() const { return port_; }
  int64_t cuts() const { return cuts_; }
  // Cuts happen only after this (any thread): enrollment is not what a load run measures, and
  // an enroll whose answer a cut loses has used its one-time code (the hub keeps it used).
  void StartCuts() { cutting_ = true; }

 private:
  struct Conn;
  void AcceptLoop();
  void Pump(std::shared_ptr<Conn> c, bool upstream);

  const std::string host_;
  const int target_port_;
  const LinkShape shape_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> quit_{false};
  std::atomic<int64_t> cuts_{0};
  std::atomic<bool> cutting_{false};
  std::thread acceptor_;
  std::atomic<int> pumps_{0};  // running
  std::mutex mutex_;
  std::vector<std::weak_ptr<Conn>> conns_;  // to close at Stop()
};

}  // namespace gocua::load
