#pragma once
// Slow and hostile clients for the hub's HTTP front tests (http_*_test.cpp): sockets that sit
// idle, send headers a byte at a time, send a body a byte at a time, or send header lines
// without end; each from a chosen loopback source address (all of 127/8 is this machine on
// Linux), so that a per-address cap can be tested or kept out of the way. Also the hub's
// resident memory, read from /proc.
//
// Threading: a SlowSockets runs its own thread; its counters may be read from any thread.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace gocua::http_attack {

// 127.0.X.Y for client number `i` (0-based) of a set numbered `set` (1..200): distinct
// addresses, none of them 127.0.0.1.
inline std::string SourceAddress(int set, int i) {
  return "127." + std::to_string(set) + "." + std::to_string(i / 250) + "." +
         std::to_string(1 + i % 250);
}

// A TCP connection to 127.0.0.1:`port` from `source` ("" = any); -1 if it fails. Blocking, with
// 30 s send/receive timeouts.
inline int ConnectFrom(const std::string& source, int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  timeval tv{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
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

// The resident memory of the `gocua-hub serve` whose command line holds `data_dir`, in KiB;
// 0 if there is no such process.
inline int64_t HubRssKb(const std::string& data_dir) {
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmd(entry.path() / "cmdline", std::ios::binary);
    std::string line((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    if (line.find("gocua-hub") == std::string::npos ||
        line.find(std::string("serve") + '\0') == std::string::npos ||
        line.find(data_dir + '\0') == std::string::npos)
      continue;
    std::ifstream status(entry.path() / "status");
    for (std::string l; std::getline(status, l);)
      if (l.rfind("VmRSS:", 0) == 0) return std::atoll(l.c_str() + 6);
  }
  return 0;
}

// `count` sockets that keep the hub waiting, each reconnecting when the hub closes it, until
// the object is destroyed.
class SlowSockets {
 public:
  enum class Kind {
    kIdle,         // connect and send nothing
    kSlowHeaders,  // a request line, then one header byte per `interval`
    kSlowBody,     // POST headers with a 1 MB Content-Length, then one body byte per `interval`
  };
  SlowSockets(Kind kind, int count, int port, int address_set,
              std::chrono::milliseconds interval = std::chrono::milliseconds(1000))
      : kind_(kind), port_(port), interval_(interval) {
    for (int i = 0; i < count; ++i) slots_.push_back({SourceAddress(address_set, i), -1});
    thread_ = std::thread([this] { Run(); });
  }
  ~SlowSockets() {
    quit_ = true;
    thread_.join();
    for (Slot& s : slots_)
      if (s.fd >= 0) close(s.fd);
  }
  SlowSockets(const SlowSockets&) = delete;
  SlowSockets& operator=(const SlowSockets&) = delete;

  int connected() const { return connected_; }   // connections made, reconnections included
  int closed_by_hub() const { return closed_; }  // connections the hub ended
  // Replies that began with "HTTP/1.1 `status`" (e.g. 408 for a slow body).
  int replies(int status) const { return status == 408 ? replies_408_.load() : 0; }
  bool all_open_once() const { return connected_ >= static_cast<int>(slots_.size()); }

 private:
  struct Slot {
    std::string source;
    int fd;
  };

  void Open(Slot& s) {
    s.fd = ConnectFrom(s.source, port_);
    if (s.fd < 0) return;
    ++connected_;
    std::string start;
    if (kind_ == Kind::kSlowHeaders) start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (kind_ == Kind::kSlowBody)
      start = "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n";
    if (!start.empty()) send(s.fd, start.data(), start.size(), MSG_NOSIGNAL);
    fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
  }

  void Run() {
    auto next_byte = std::chrono::steady_clock::now();
    while (!quit_) {
      for (Slot& s : slots_)
        if (s.fd < 0 && !quit_) Open(s);
      // Anything from the hub: a reply or the end of the connection.
      for (Slot& s : slots_) {
        if (s.fd < 0) continue;
        char buf[4096];
        const ssize_t n = recv(s.fd, buf, sizeof buf, 0);
        if (n > 0 && std::strncmp(buf, "HTTP/1.1 408", 12) == 0) ++replies_408_;
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
          close(s.fd);
          s.fd = -1;
          ++closed_;
        }
      }
      if (std::chrono::steady_clock::now() >= next_byte) {
        next_byte += interval_;
        if (kind_ != Kind::kIdle)
          for (Slot& s : slots_)
            if (s.fd >= 0) send(s.fd, "a", 1, MSG_NOSIGNAL);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  const Kind kind_;
  const int port_;
  const std::chrono::milliseconds interval_;
  std::vector<Slot> slots_;
  std::atomic<bool> quit_{false};
  std::atomic<int> connected_{0}, closed_{0}, replies_408_{0};
  std::thread thread_;
};

}  // namespace gocua::http_attack
