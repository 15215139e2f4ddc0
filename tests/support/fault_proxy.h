// A fault-injecting TCP proxy for integration tests: it sits between a client and a server on
// loopback and cuts, delays or replays connections the way a bad rural link does.
//
// Header-only so the test binary needs no extra source. Sockets through tests/support/net.h
// (BSD sockets on Linux, Winsock on Windows).
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <random>
#include <string>
#include <system_error>
#include <thread>

#include "tests/support/net.h"

namespace gocua::test {

// Listens on 127.0.0.1:<random port> and forwards each accepted connection to
// 127.0.0.1:<target_port>, injecting faults chosen per connection. It never connects anywhere
// but 127.0.0.1.
//
// The faults of a connection are drawn, in a fixed order, from a std::mt19937_64 seeded with
// (seed, connection index), so a test that connects one at a time gets the same faults every run:
//  - cut: with cut_probability, one direction (client→target or target→client, 50/50) is cut
//    once N bytes of it have been forwarded, N uniform in [0, cut_window_bytes). Both sockets are
//    then shut down and closed with SO_LINGER 0, so each peer sees the connection reset; at most N
//    bytes of that direction reach the far side. A direction that carries N bytes or fewer is
//    never cut, and the connection is not counted in Stats::cut.
//  - delay: each chunk read from either side is held for a uniform [0, max_delay_ms] ms before it
//    is forwarded. Order is kept, so a chunk also waits for the ones before it.
//  - replay: with replay_probability, once the connection has ended (cut or not) the proxy opens
//    a new connection to the target and sends the exact bytes that reached the target from the
//    client, then reads and discards the response until the target closes, goes quiet for
//    kReplayQuietMs after answering, or kReplayTimeoutMs pass. Stats::replayed counts a replay
//    once all that is done, so a test that waits for the count sees the target's handling done.
//    Nothing is replayed when the client sent nothing or when the proxy is being destroyed.
//
// Threading: one accept thread plus one thread per connection (finished ones are reaped); every
// public method may be called from any thread. The destructor wakes all threads through a
// self-pipe, joins them and closes every socket; it returns promptly even with connections open
// and chunks held by a delay (their peers see a reset).
// Failures: if the listening socket cannot be set up, port() is 0 and nothing is accepted. A
// connection whose target refuses or does not answer within kConnectTimeoutMs is closed at once.
class FaultProxy {
 public:
  struct Faults {
    double cut_probability = 0;
    int max_delay_ms = 0;
    double replay_probability = 0;
    uint64_t seed = 1;
    int cut_window_bytes = 4096;  // a cut falls in the first cut_window_bytes of its direction
  };
  struct Stats {
    int connections = 0;     // accepted
    int cut = 0;             // actually cut
    int replayed = 0;        // replays sent in full and finished (see above)
    long long bytes_up = 0;  // client→target bytes forwarded, replays excluded
    long long bytes_down = 0;
  };

  static constexpr int kConnectTimeoutMs = 5000;
  static constexpr int kReplayTimeoutMs = 10000;
  static constexpr int kReplayQuietMs = 250;

  FaultProxy(int target_port, Faults faults);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  // The loopback port to connect to; 0 if the proxy could not listen.
  int port() const { return port_; }
  // Applies to connections accepted afterward; open connections keep the faults they began with.
  void SetFaults(Faults faults);
  Stats stats() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Worker {
    std::atomic<bool> done{false};
    std::thread thread;
  };
  enum class End { kClean, kCut, kError, kStop };

  void CloseFds();
  void AcceptLoop();
  void ServeConnection(int client_fd, uint64_t index, const Faults& faults);
  End Pump(int client_fd, int target_fd, const Faults& faults, std::mt19937_64& rng,
           std::string* request);
  void Replay(const std::string& request);
  // A non-blocking socket connected to 127.0.0.1:target_port_, or -1.
  int ConnectToTarget();
  // Waits until `fd` reports `events` (or an error). False on timeout or when stopping.
  bool WaitFor(int fd, short events, int timeout_ms);
  bool stopping() const { return stopping_.load(std::memory_order_acquire); }

  static bool SetNonBlockingCloexec(int fd);
  static void Reset(int fd);  // shutdown, SO_LINGER 0, close: the peer sees a reset

  const int target_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};  // self-pipe: written once by the destructor, never drained
  std::atomic<bool> stopping_{false};

  mutable std::mutex mu_;
  Faults faults_;  // guarded by mu_

  std::atomic<int> connections_{0};
  std::atomic<int> cut_{0};
  std::atomic<int> replayed_{0};
  std::atomic<long long> bytes_up_{0};
  std::atomic<long long> bytes_down_{0};

  std::thread accept_thread_;
  // Touched only by accept_thread_, then by the destructor once it has joined accept_thread_.
  std::list<Worker> workers_;
};

// ---- Implementation -------------------------------------------------------------------------

namespace fault_proxy_internal {

// Spelled out rather than std::uniform_*_distribution, whose output differs between standard
// libraries: the same seed must give the same faults everywhere.
inline double Uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}
inline uint64_t UniformBelow(std::mt19937_64& rng, uint64_t n) { return n == 0 ? 0 : rng() % n; }

inline int MillisUntil(std::chrono::steady_clock::time_point t) {
  auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(t - std::chrono::steady_clock::now())
          .count();
  if (us <= 0) return 0;
  return static_cast<int>(std::min<long long>((us + 999) / 1000, 1 << 30));
}

}  // namespace fault_proxy_internal

inline FaultProxy::FaultProxy(int target_port, Faults faults)
    : target_port_(target_port), faults_(faults) {
  if (!net::Pair(wake_)) {
    wake_[0] = wake_[1] = -1;
    return;
  }
  listen_fd_ = net::Socket();
  int port = -1;
  if (!SetNonBlockingCloexec(wake_[0]) || !SetNonBlockingCloexec(wake_[1]) || listen_fd_ < 0 ||
      !SetNonBlockingCloexec(listen_fd_) || (port = net::BindLoopback(listen_fd_)) < 0 ||
      net::Listen(listen_fd_, 64) != 0) {
    CloseFds();
    return;
  }
  try {
    accept_thread_ = std::thread(&FaultProxy::AcceptLoop, this);
  } catch (...) {
    CloseFds();
    throw;
  }
  port_ = port;
}

inline FaultProxy::~FaultProxy() {
  stopping_.store(true, std::memory_order_release);
  if (wake_[1] >= 0) {
    char c = 1;
    net::ssize n = net::Send(wake_[1], &c, 1);
    (void)n;  // the pair is empty, so this cannot block or fail short
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  for (Worker& w : workers_) w.thread.join();
  CloseFds();
}

inline void FaultProxy::SetFaults(Faults faults) {
  std::lock_guard<std::mutex> lock(mu_);
  faults_ = faults;
}

inline FaultProxy::Stats FaultProxy::stats() const {
  Stats s;
  s.connections = connections_.load();
  s.cut = cut_.load();
  s.replayed = replayed_.load();
  s.bytes_up = bytes_up_.load();
  s.bytes_down = bytes_down_.load();
  return s;
}

inline void FaultProxy::CloseFds() {
  for (int* fd : {&listen_fd_, &wake_[0], &wake_[1]}) {
    if (*fd >= 0) net::Close(*fd);
    *fd = -1;
  }
}

inline bool FaultProxy::SetNonBlockingCloexec(int fd) { return net::SetNonBlocking(fd); }

inline void FaultProxy::Reset(int fd) { net::Reset(fd); }

inline bool FaultProxy::WaitFor(int fd, short events, int timeout_ms) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (stopping()) return false;
    net::PollFd p[2] = {{fd, events, 0}, {wake_[0], POLLIN, 0}};
    int r = net::Poll(p, 2, fault_proxy_internal::MillisUntil(deadline));
    if (r < 0 && net::Errno() == EINTR) continue;
    if (r < 0 || stopping()) return false;
    if (p[0].revents != 0) return true;
    if (r == 0) return false;
  }
}

inline int FaultProxy::ConnectToTarget() {
  if (target_port_ <= 0 || target_port_ > 65535) return -1;
  int fd = net::Socket();
  if (fd < 0) return -1;
  if (!SetNonBlockingCloexec(fd)) {
    net::Close(fd);
    return -1;
  }
  // 127.0.0.1: the only address this proxy ever dials.
  int err = net::Connect(fd, target_port_);
  if (err == 0) return fd;
  if (err == EINPROGRESS && WaitFor(fd, POLLOUT, kConnectTimeoutMs)) {
    err = net::PendingError(fd);
    if (err == 0) return fd;
  }
  net::Close(fd);
  return -1;
}

inline void FaultProxy::AcceptLoop() {
  while (!stopping()) {
    net::PollFd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (net::Poll(p, 2, 1000) <= 0 || stopping()) continue;
    if (p[0].revents == 0) continue;
    int fd = net::Accept(listen_fd_);
    if (fd < 0) {
      const int err = net::Errno();
      if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
        net::PollFd w = {wake_[0], POLLIN, 0};
        net::Poll(&w, 1, 50);  // out of resources: back off rather than spin on a readable socket
      }
      continue;
    }
    if (!SetNonBlockingCloexec(fd)) {
      net::Close(fd);
      continue;
    }
    const uint64_t index = static_cast<uint64_t>(connections_.fetch_add(1));
    Faults faults;
    {
      std::lock_guard<std::mutex> lock(mu_);
      faults = faults_;
    }
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->done.load(std::memory_order_acquire)) {
        it->thread.join();
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
    Worker& w = workers_.emplace_back();
    try {
      w.thread = std::thread([this, &w, fd, index, faults] {
        ServeConnection(fd, index, faults);
        w.done.store(true, std::memory_order_release);
      });
    } catch (const std::system_error&) {
      net::Close(fd);
      workers_.pop_back();
    }
  }
}

inline void FaultProxy::ServeConnection(int client_fd, uint64_t index, const Faults& faults) {
  std::seed_seq seq{static_cast<uint32_t>(faults.seed), static_cast<uint32_t>(faults.seed >> 32),
                    static_cast<uint32_t>(index), static_cast<uint32_t>(index >> 32)};
  std::mt19937_64 rng(seq);
  const int target_fd = ConnectToTarget();
  if (target_fd < 0) {
    Reset(client_fd);
    return;
  }
  std::string request;
  const End end = Pump(client_fd, target_fd, faults, rng, &request);
  if (end == End::kClean) {
    net::Close(client_fd);
    net::Close(target_fd);
  } else {
    if (end == End::kCut) cut_.fetch_add(1);  // before the peers can see it
    Reset(client_fd);
    Reset(target_fd);
  }
  if (end != End::kStop && !request.empty()) Replay(request);
}

inline FaultProxy::End FaultProxy::Pump(int client_fd, int target_fd, const Faults& faults,
                                        std::mt19937_64& rng, std::string* request) {
  using fault_proxy_internal::MillisUntil;
  using fault_proxy_internal::Uniform01;
  using fault_proxy_internal::UniformBelow;
  constexpr size_t kMaxQueued = 256 * 1024;  // per direction; beyond it, stop reading
  constexpr int kIdlePollMs = 1000;

  // Drawn unconditionally and in this order, so one probability does not shift the others.
  const bool cut = Uniform01(rng) < faults.cut_probability;
  const int cut_direction = static_cast<int>(rng() & 1);
  const long long cut_at = static_cast<long long>(
      UniformBelow(rng, static_cast<uint64_t>(std::max(1, faults.cut_window_bytes))));
  const bool replay = Uniform01(rng) < faults.replay_probability;

  struct Chunk {
    std::string data;
    size_t sent = 0;
    Clock::time_point ready_at;
  };
  struct Direction {
    int from = -1;
    int to = -1;
    std::atomic<long long>* counter = nullptr;
    long long cut_at = -1;  // -1: never
    std::deque<Chunk> queue;
    size_t queued = 0;
    long long forwarded = 0;
    bool eof = false;   // `from` has closed its side
    bool shut = false;  // EOF passed on to `to`
    bool blocked = false;
  };
  Direction dirs[2];  // [0] client→target, [1] target→client
  dirs[0].from = client_fd;
  dirs[0].to = target_fd;
  dirs[0].counter = &bytes_up_;
  dirs[1].from = target_fd;
  dirs[1].to = client_fd;
  dirs[1].counter = &bytes_down_;
  if (cut) dirs[cut_direction].cut_at = cut_at;

  std::string buf(64 * 1024, '\0');
  for (;;) {
    // Forward what is due.
    const auto now = Clock::now();
    for (int i = 0; i < 2; ++i) {
      Direction& d = dirs[i];
      d.blocked = false;
      while (!d.queue.empty() && d.queue.front().ready_at <= now) {
        Chunk& c = d.queue.front();
        size_t n = c.data.size() - c.sent;
        if (d.cut_at >= 0) {
          if (d.forwarded == d.cut_at) return End::kCut;
          n = std::min(n, static_cast<size_t>(d.cut_at - d.forwarded));
        }
        net::ssize w = net::Send(d.to, c.data.data() + c.sent, n);
        if (w < 0) {
          const int err = net::Errno();
          if (err == EINTR) continue;
          if (err == EAGAIN || err == EWOULDBLOCK) {
            d.blocked = true;
            break;
          }
          return End::kError;
        }
        if (i == 0 && replay) request->append(c.data, c.sent, static_cast<size_t>(w));
        c.sent += static_cast<size_t>(w);
        d.queued -= static_cast<size_t>(w);
        d.forwarded += w;
        d.counter->fetch_add(w);
        if (c.sent == c.data.size()) d.queue.pop_front();
      }
      if (d.queue.empty() && d.eof && !d.shut) {
        net::Shutdown(d.to, net::kShutWrite);
        d.shut = true;
      }
    }
    if (dirs[0].shut && dirs[1].shut) return End::kClean;

    // Wait for input, room to write, the next delayed chunk, or the destructor. An fd with
    // nothing wanted is left out: poll would report its hangup forever.
    net::PollFd p[3] = {{client_fd, 0, 0}, {target_fd, 0, 0}, {wake_[0], POLLIN, 0}};
    int timeout = kIdlePollMs;
    for (int i = 0; i < 2; ++i) {
      Direction& d = dirs[i];
      net::PollFd& in = p[i];
      net::PollFd& out = p[1 - i];
      if (!d.eof && d.queued < kMaxQueued) in.events |= POLLIN;
      if (d.blocked) out.events |= POLLOUT;
      if (!d.blocked && !d.queue.empty()) {
        timeout = std::min(timeout, std::max(1, MillisUntil(d.queue.front().ready_at)));
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (p[i].events == 0) p[i].fd = -1;
    }
    int r = net::Poll(p, 3, timeout);
    if (stopping()) return End::kStop;
    if (r < 0) {
      if (net::Errno() == EINTR) continue;
      return End::kError;
    }

    // Read what has arrived.
    for (int i = 0; i < 2; ++i) {
      Direction& d = dirs[i];
      if ((p[i].events & POLLIN) == 0 || p[i].revents == 0) continue;
      net::ssize n = net::Recv(d.from, buf.data(), buf.size());
      if (n > 0) {
        Chunk c;
        c.data.assign(buf.data(), static_cast<size_t>(n));
        c.ready_at = Clock::now();
        if (faults.max_delay_ms > 0) {
          c.ready_at += std::chrono::milliseconds(
              UniformBelow(rng, static_cast<uint64_t>(faults.max_delay_ms) + 1));
        }
        d.queued += c.data.size();
        d.queue.push_back(std::move(c));
      } else if (n == 0) {
        d.eof = true;
      } else if (const int err = net::Errno();
                 err != EAGAIN && err != EWOULDBLOCK && err != EINTR) {
        return End::kError;
      }
    }
  }
}

inline void FaultProxy::Replay(const std::string& request) {
  const int fd = ConnectToTarget();
  if (fd < 0) return;
  const auto deadline = Clock::now() + std::chrono::milliseconds(kReplayTimeoutMs);
  using fault_proxy_internal::MillisUntil;
  size_t sent = 0;
  while (sent < request.size()) {
    net::ssize w = net::Send(fd, request.data() + sent, request.size() - sent);
    const int err = w < 0 ? net::Errno() : 0;
    if (w > 0) {
      sent += static_cast<size_t>(w);
    } else if (w < 0 && err == EINTR) {
      continue;
    } else if (w < 0 && (err == EAGAIN || err == EWOULDBLOCK)) {
      if (!WaitFor(fd, POLLOUT, MillisUntil(deadline))) break;
    } else {
      break;
    }
  }
  bool answered = false;
  char buf[16 * 1024];
  while (sent == request.size()) {
    int timeout = MillisUntil(deadline);
    if (answered) timeout = std::min(timeout, kReplayQuietMs);
    if (timeout <= 0 || !WaitFor(fd, POLLIN, timeout)) break;
    net::ssize n = net::Recv(fd, buf, sizeof buf);
    const int err = n < 0 ? net::Errno() : 0;
    if (n > 0) {
      answered = true;
    } else if (n == 0 || (err != EAGAIN && err != EWOULDBLOCK && err != EINTR)) {
      break;
    }
  }
  net::Close(fd);
  if (sent == request.size() && !stopping()) replayed_.fetch_add(1);
}

}  // namespace gocua::test
