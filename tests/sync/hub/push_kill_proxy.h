// A loopback HTTP/1.1 proxy that kills the hub at a chosen point of a push request, for the
// hub crash test (hub_crash_test.cpp). It reads each request's head and Content-Length and each
// reply's, so it knows exactly where a push stands: a kill lands in the middle of a push by
// construction, not by timing.
//
// Armed with a Point, the next POST /v1/push that passes through is handled so:
//  - kBody: the head and a random part of the body (fewer bytes than Content-Length) reach the
//    hub, then the hub is killed: it never has the whole batch.
//  - kSent: the whole request reaches the hub, then the hub is killed at once, before any byte
//    of its reply is forwarded: the hub was reading, applying or committing the batch.
//  - kAnswered: the whole request reaches the hub; when the first byte of its reply reaches the
//    proxy (the hub committed and answered) the hub is killed and the laptop gets none of it.
//  - kDelivered: the whole reply reaches the laptop, then the hub is killed before the laptop's
//    next request (a hub that answered before it committed loses an acknowledged batch here).
// After a kill the laptop's connection is reset (kDelivered: closed after the reply), and every
// later connection is reset too until the test points the proxy at a restarted hub
// (SetTarget). Other requests, and pushes while not armed, pass through untouched.
//
// Plain POSIX sockets: the hub tests are Linux-only. One thread per connection, requests
// handled one after another on each (libcurl does not pipeline).
// Threading: every public method may be called from any thread; `kill` runs on a proxy
// thread. The destructor stops and joins every thread.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <list>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace gocua::test {

class PushKillProxy {
 public:
  enum class Point { kBody, kSent, kAnswered, kDelivered };
  static const char* PointName(Point p) {
    switch (p) {
      case Point::kBody:
        return "while the hub reads the body";
      case Point::kSent:
        return "after the whole request, before any reply";
      case Point::kAnswered:
        return "after the hub answered, before the laptop has the reply";
      case Point::kDelivered:
        return "after the laptop has the reply, before its next request";
    }
    return "?";
  }
  // What the last kill cut, for the test's checks and messages.
  struct Kill {
    Point point = Point::kBody;
    long long body_bytes = 0;       // the push's Content-Length
    long long body_forwarded = 0;   // of which reached the hub
    long long reply_forwarded = 0;  // reply bytes that reached the laptop
  };

  // `kill` kills the hub (e.g. HubProcess::Signal(SIGKILL)); it must be safe from any thread.
  PushKillProxy(int target_port, std::function<void()> kill)
      : target_port_(target_port), kill_(std::move(kill)) {
    if (pipe2(wake_, O_CLOEXEC) != 0) std::abort();
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        listen(listen_fd_, 16) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      std::abort();
    port_ = ntohs(a.sin_port);
    accept_ = std::thread([this] { AcceptLoop(); });
  }
  ~PushKillProxy() {
    stopping_ = true;
    char c = 1;
    (void)!write(wake_[1], &c, 1);
    accept_.join();
    for (std::thread& t : threads_) t.join();
    close(listen_fd_);
    close(wake_[0]);
    close(wake_[1]);
  }
  PushKillProxy(const PushKillProxy&) = delete;
  PushKillProxy& operator=(const PushKillProxy&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Points new connections at a (restarted) hub; a dead hub's connections stay reset.
  void SetTarget(int port) {
    std::lock_guard<std::mutex> lock(mu_);
    target_port_ = port;
    dead_ = false;
  }
  // The next push is killed at `point`; `seed` draws kBody's cut.
  void Arm(Point point, uint64_t seed) {
    std::lock_guard<std::mutex> lock(mu_);
    armed_ = true;
    point_ = point;
    rng_.seed(seed);
  }
  int kills() const { return kills_.load(); }
  Kill last_kill() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  static constexpr int kIoTimeoutMs = 60000;  // a stuck peer ends the connection, not the test

  void AcceptLoop() {
    while (!stopping_) {
      pollfd p[2] = {{listen_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
      if (poll(p, 2, -1) <= 0 || stopping_) continue;
      const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) threads_.emplace_back([this, fd] { Serve(fd); });
    }
  }

  // Waits until `fd` can be read (or written); false on timeout, error or stop.
  bool Wait(int fd, short events) {
    pollfd p[2] = {{fd, events, 0}, {wake_[0], POLLIN, 0}};
    return poll(p, 2, kIoTimeoutMs) > 0 && !stopping_ && p[0].revents != 0;
  }
  // Appends what `fd` has to `buf`; false at end of stream or on error.
  bool ReadSome(int fd, std::string* buf) {
    if (!Wait(fd, POLLIN)) return false;
    char chunk[64 * 1024];
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buf->append(chunk, static_cast<size_t>(n));
    return true;
  }
  bool SendAll(int fd, const char* data, size_t n) {
    while (n > 0) {
      if (!Wait(fd, POLLOUT)) return false;
      const ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      data += w;
      n -= static_cast<size_t>(w);
    }
    return true;
  }
  // Reads from `fd` into `buf` until it holds a whole message head; its size (with the blank
  // line) and its Content-Length (0 if none). False if the stream ends first.
  bool ReadHead(int fd, std::string* buf, size_t* head_size, long long* body_size) {
    size_t end;
    while ((end = buf->find("\r\n\r\n")) == std::string::npos)
      if (buf->size() > 64 * 1024 || !ReadSome(fd, buf)) return false;
    *head_size = end + 4;
    *body_size = 0;
    std::string head = buf->substr(0, end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (size_t at = head.find("\r\ncontent-length:"); at != std::string::npos)
      *body_size = std::atoll(head.c_str() + at + 17);
    return true;
  }
  static void Reset(int fd) {
    linger l{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
  }
  void KillHub(const Kill& k) {
    kill_();
    std::lock_guard<std::mutex> lock(mu_);
    dead_ = true;
    last_ = k;
    kills_.fetch_add(1);  // last: a test that sees the count sees last_ too
  }

  void Serve(int client) {
    int port;
    {
      std::lock_guard<std::mutex> lock(mu_);
      port = dead_ ? -1 : target_port_;
    }
    const int hub = port < 0 ? -1 : socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    if (hub < 0 || connect(hub, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      if (hub >= 0) close(hub);
      Reset(client);
      return;
    }
    const bool graceful = Exchange(client, hub);
    if (graceful) {
      shutdown(client, SHUT_WR);
      close(client);
    } else {
      Reset(client);
    }
    Reset(hub);
  }

  // Requests one after another until a side closes or the hub is killed. True when the
  // laptop's side should be closed gracefully (it holds a whole reply it must be able to read).
  bool Exchange(int client, int hub) {
    std::string up, down;  // bytes read and not yet forwarded
    for (;;) {
      size_t head = 0;
      long long body = 0;
      if (!ReadHead(client, &up, &head, &body)) return false;
      const bool push = up.compare(0, 14, "POST /v1/push ") == 0;
      bool armed = false;
      Point point = Point::kBody;
      long long cut = body;
      if (push) {
        std::lock_guard<std::mutex> lock(mu_);
        if (armed_ && !dead_) {
          armed = true;
          armed_ = false;
          point = point_;
          if (point == Point::kBody) cut = body > 0 ? static_cast<long long>(rng_() % body) : 0;
        }
      }
      Kill k{point, body, 0, 0};
      // The request: its head, then its body as it comes, up to `cut` bytes of it.
      const long long total = static_cast<long long>(head) + cut;
      long long sent = 0;
      for (;;) {
        const long long n = std::min<long long>(total - sent, static_cast<long long>(up.size()));
        if (!SendAll(hub, up.data(), static_cast<size_t>(n))) return false;
        up.erase(0, static_cast<size_t>(n));
        sent += n;
        if (sent == total) break;
        if (!ReadSome(client, &up)) return false;
      }
      k.body_forwarded = cut;
      if (armed && (point == Point::kBody || point == Point::kSent)) {
        KillHub(k);
        return false;
      }
      // The reply.
      size_t reply_head = 0;
      long long reply_body = 0;
      if (armed && point == Point::kAnswered) {
        if (!ReadSome(hub, &down)) return false;  // the hub closed: not an answer
        KillHub(k);
        return false;
      }
      if (!ReadHead(hub, &down, &reply_head, &reply_body)) return false;
      long long reply_left = static_cast<long long>(reply_head) + reply_body;
      for (;;) {
        const long long n = std::min<long long>(reply_left, static_cast<long long>(down.size()));
        if (!SendAll(client, down.data(), static_cast<size_t>(n))) return false;
        down.erase(0, static_cast<size_t>(n));
        reply_left -= n;
        k.reply_forwarded += n;
        if (reply_left == 0) break;
        if (!ReadSome(hub, &down)) return false;
      }
      if (armed) {  // kDelivered
        KillHub(k);
        return true;
      }
    }
  }

  int target_port_;  // guarded by mu_
  const std::function<void()> kill_;
  int port_ = 0;
  int listen_fd_ = -1;
  int wake_[2] = {-1, -1};
  std::atomic<bool> stopping_{false};
  std::thread accept_;
  std::list<std::thread> threads_;  // touched by accept_, then by the destructor after join

  mutable std::mutex mu_;
  bool armed_ = false;  // guarded by mu_, as the four below
  bool dead_ = false;   // the hub was killed: reset new connections until SetTarget
  Point point_ = Point::kBody;
  std::mt19937_64 rng_;
  Kill last_;
  std::atomic<int> kills_{0};
};

}  // namespace gocua::test
