#include "tests/support/fault_proxy.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace gocua::test {
namespace {

using Clock = std::chrono::steady_clock;

long long MillisSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// A loopback TCP server that runs `handler(fd)` on a thread per connection. Blocking sockets.
// The destructor stops accepting, shuts down open connections (so blocked handlers return) and
// joins every thread.
class TestServer {
 public:
  explicit TestServer(std::function<void(int fd)> handler) : handler_(std::move(handler)) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(listen_fd_, 64) != 0 ||
        getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      return;
    }
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }
  ~TestServer() {
    stopping_ = true;
    if (accept_thread_.joinable()) accept_thread_.join();
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : open_) shutdown(fd, SHUT_RDWR);
    }
    for (std::thread& t : threads_) t.join();
    if (listen_fd_ >= 0) close(listen_fd_);
  }
  int port() const { return port_; }

 private:
  void AcceptLoop() {
    while (!stopping_) {
      pollfd p = {listen_fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        open_.insert(fd);
      }
      threads_.emplace_back([this, fd] {
        handler_(fd);
        std::lock_guard<std::mutex> lock(mu_);
        open_.erase(fd);
        close(fd);
      });
    }
  }

  std::function<void(int)> handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::vector<std::thread> threads_;  // accept thread only, then the destructor
  std::mutex mu_;
  std::set<int> open_;  // guarded by mu_
};

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads until EOF, a reset, a timeout, or `limit` bytes.
std::string ReadAll(int fd, size_t limit = SIZE_MAX) {
  std::string out;
  char buf[16 * 1024];
  while (out.size() < limit) {
    ssize_t n = recv(fd, buf, std::min(sizeof buf, limit - out.size()), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

// Echoes every byte back; passes EOF on.
void Echo(int fd) {
  char buf[16 * 1024];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (!SendAll(fd, std::string(buf, static_cast<size_t>(n)))) break;
  }
  shutdown(fd, SHUT_WR);
}

// A blocking client socket connected to 127.0.0.1:port, with 10 s timeouts so a bug fails the
// test instead of hanging it. -1 on failure.
int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = 10;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

// Sends `payload` (then EOF) through an echo on `port` and returns what came back. Sends on a
// second thread: with a large payload neither side may wait for the other.
std::string EchoThrough(int port, const std::string& payload) {
  int fd = Connect(port);
  REQUIRE(fd >= 0);
  std::thread sender([fd, &payload] {
    if (SendAll(fd, payload)) shutdown(fd, SHUT_WR);
  });
  std::string got = ReadAll(fd);
  sender.join();
  close(fd);
  return got;
}

template <typename Pred>
bool WaitUntil(Pred pred, int timeout_ms = 5000) {
  const auto start = Clock::now();
  while (!pred()) {
    if (MillisSince(start) > timeout_ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST_CASE("FaultProxy: a clean link passes bytes unchanged") {
  TestServer server(Echo);
  REQUIRE(server.port() != 0);
  FaultProxy proxy(server.port(), {});
  REQUIRE(proxy.port() != 0);
  CHECK(proxy.port() != server.port());

  CHECK(EchoThrough(proxy.port(), "xin chào") == "xin chào");
  const std::string payload = RandomBytes(1 << 20, 42);
  CHECK(EchoThrough(proxy.port(), payload) == payload);

  const FaultProxy::Stats s = proxy.stats();
  const long long total = static_cast<long long>(payload.size() + std::string("xin chào").size());
  CHECK(s.connections == 2);
  CHECK(s.cut == 0);
  CHECK(s.replayed == 0);
  CHECK(s.bytes_up == total);
  CHECK(s.bytes_down == total);
}

TEST_CASE("FaultProxy: cut_probability 1 ends every connection early") {
  TestServer server(Echo);
  REQUIRE(server.port() != 0);
  FaultProxy proxy(server.port(), {.cut_probability = 1, .seed = 7});
  REQUIRE(proxy.port() != 0);

  // Each direction carries more than cut_window_bytes, so every connection is cut.
  const std::string payload = RandomBytes(64 * 1024, 7);
  constexpr int kConnections = 10;
  for (int i = 0; i < kConnections; ++i) {
    std::string got = EchoThrough(proxy.port(), payload);
    INFO("connection " << i << " got " << got.size() << " bytes");
    CHECK(got.size() < 4096);
    CHECK(payload.compare(0, got.size(), got) == 0);  // a prefix: cut, never garbled
  }
  CHECK(proxy.stats().connections == kConnections);
  CHECK(proxy.stats().cut == kConnections);

  // Back to a clean link: new connections pass whole.
  proxy.SetFaults({});
  CHECK(EchoThrough(proxy.port(), payload) == payload);
  CHECK(proxy.stats().cut == kConnections);
}

TEST_CASE("FaultProxy: a connection that ends before the cut point is not cut") {
  TestServer server(Echo);
  FaultProxy proxy(server.port(), {.cut_probability = 1, .cut_window_bytes = 1 << 20});
  // With 1 MB windows a few bytes almost surely fit before the cut; seed 1 is fixed.
  CHECK(EchoThrough(proxy.port(), "ok") == "ok");
  CHECK(proxy.stats().cut == 0);
}

TEST_CASE("FaultProxy: the same seed gives the same faults") {
  TestServer server(Echo);
  const std::string payload = RandomBytes(16 * 1024, 3);
  auto run = [&](uint64_t seed) {
    FaultProxy proxy(server.port(), {.cut_probability = 0.5, .seed = seed});
    std::vector<bool> cut;
    for (int i = 0; i < 16; ++i) cut.push_back(EchoThrough(proxy.port(), payload) != payload);
    CHECK(proxy.stats().cut == static_cast<int>(std::count(cut.begin(), cut.end(), true)));
    return cut;
  };
  const std::vector<bool> first = run(99);
  CHECK(first == run(99));
  CHECK(std::count(first.begin(), first.end(), true) > 0);
  CHECK(std::count(first.begin(), first.end(), false) > 0);
}

TEST_CASE("FaultProxy: delay adds latency") {
  TestServer server(Echo);
  FaultProxy proxy(server.port(), {.max_delay_ms = 100});
  int fd = Connect(proxy.port());
  REQUIRE(fd >= 0);
  // 10 round trips, each two chunks delayed by a uniform [0, 100] ms: ~1 s expected. Asserting
  // 200 ms leaves room for any scheduler yet fails if delays are not applied.
  const auto start = Clock::now();
  for (int i = 0; i < 10; ++i) {
    const std::string msg = "ping " + std::to_string(i);
    REQUIRE(SendAll(fd, msg));
    CHECK(ReadAll(fd, msg.size()) == msg);
  }
  CHECK(MillisSince(start) >= 200);
  close(fd);
}

TEST_CASE("FaultProxy: replay makes the server receive the request twice") {
  std::mutex mu;
  std::vector<std::string> requests;  // guarded by mu
  // HTTP-ish: a request ends with an empty line; answer and close.
  TestServer server([&](int fd) {
    std::string req;
    char buf[1024];
    while (req.find("\n\n") == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      req.append(buf, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      requests.push_back(req);
    }
    SendAll(fd, "OK\n");
  });
  auto received = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return requests;
  };
  FaultProxy proxy(server.port(), {.replay_probability = 1});
  const std::string request = "PUT /visits/42\nbody: đã thăm\n\n";

  int fd = Connect(proxy.port());
  REQUIRE(fd >= 0);
  REQUIRE(SendAll(fd, request));
  CHECK(ReadAll(fd) == "OK\n");
  close(fd);
  REQUIRE(WaitUntil([&] { return proxy.stats().replayed == 1; }));
  CHECK(received() == std::vector<std::string>{request, request});

  // A clean link again: the next request arrives once.
  proxy.SetFaults({});
  fd = Connect(proxy.port());
  REQUIRE(fd >= 0);
  REQUIRE(SendAll(fd, request));
  CHECK(ReadAll(fd) == "OK\n");
  close(fd);
  CHECK(received().size() == 3);
  CHECK(proxy.stats().replayed == 1);
  CHECK(proxy.stats().connections == 2);
}

TEST_CASE("FaultProxy: destructor with open connections returns promptly") {
  TestServer server(Echo);
  auto proxy =
      std::make_unique<FaultProxy>(server.port(), FaultProxy::Faults{.max_delay_ms = 60000});
  std::vector<int> fds;
  for (int i = 0; i < 4; ++i) {
    int fd = Connect(proxy->port());
    REQUIRE(fd >= 0);
    fds.push_back(fd);
  }
  REQUIRE(SendAll(fds[0], "held by a minute-long delay"));
  REQUIRE(SendAll(fds[1], RandomBytes(64 * 1024, 5)));
  REQUIRE(WaitUntil([&] { return proxy->stats().connections == 4; }));

  const auto start = Clock::now();
  proxy.reset();
  CHECK(MillisSince(start) < 2000);
  for (int fd : fds) {
    ReadAll(fd);  // the proxy is gone: EOF or reset, not the 10 s timeout
    close(fd);
  }
  CHECK(MillisSince(start) < 2000);
}

TEST_CASE("FaultProxy: a refused target closes the client connection") {
  // A port that was free a moment ago; nothing listens on it.
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(bind(probe, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(getsockname(probe, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  close(probe);

  FaultProxy proxy(ntohs(addr.sin_port), {});
  int fd = Connect(proxy.port());
  REQUIRE(fd >= 0);
  const auto start = Clock::now();
  CHECK(ReadAll(fd).empty());
  CHECK(MillisSince(start) < 5000);
  close(fd);
  CHECK(proxy.stats().connections == 1);
}

}  // namespace
}  // namespace gocua::test
