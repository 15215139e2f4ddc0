#include "tools/load/shaping_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <random>

namespace gocua::load {

using Steady = std::chrono::steady_clock;

struct ShapingProxy::Conn {
  int client = -1, server = -1;
  Steady::time_point cut_at = Steady::time_point::max();
  std::atomic<bool> closed{false};
  // Resets both sockets once (RST: SO_LINGER 0), waking both pumps.
  void Close(bool reset) {
    if (closed.exchange(true)) return;
    for (int fd : {client, server}) {
      if (reset) {
        linger l{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
      }
      shutdown(fd, SHUT_RDWR);
    }
  }
  ~Conn() {
    if (client >= 0) close(client);
    if (server >= 0) close(server);
  }
};

ShapingProxy::ShapingProxy(std::string target_host, int target_port, LinkShape shape)
    : host_(std::move(target_host)), target_port_(target_port), shape_(shape) {}

ShapingProxy::~ShapingProxy() { Stop(); }

Status ShapingProxy::Start() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (listen_fd_ < 0 || bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      listen(listen_fd_, SOMAXCONN) != 0 ||
      getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return Status(ErrorCode::kIo, "the shaping proxy could not listen on loopback");
  port_ = ntohs(a.sin_port);
  acceptor_ = std::thread([this] { AcceptLoop(); });
  return Status::Ok();
}

void ShapingProxy::Stop() {
  if (quit_.exchange(true)) return;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& weak : conns_)
      if (auto c = weak.lock()) c->Close(false);
    conns_.clear();
  }
  while (pumps_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

void ShapingProxy::AcceptLoop() {
  std::mt19937_64 rng(std::random_device{}());
  while (!quit_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    const int client = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    auto c = std::make_shared<Conn>();
    c->client = client;
    c->server = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(target_port_));
    inet_pton(AF_INET, host_.c_str(), &a.sin_addr);
    if (connect(c->server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) continue;  // c closes
    const int one = 1;
    setsockopt(c->client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(c->server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (shape_.cut_every_s > 0) {
      std::exponential_distribution<double> after(1.0 / shape_.cut_every_s);
      c->cut_at = Steady::now() + std::chrono::microseconds(static_cast<int64_t>(after(rng) * 1e6));
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      std::erase_if(conns_, [](const std::weak_ptr<Conn>& w) { return w.expired(); });
      conns_.push_back(c);
    }
    pumps_ += 2;
    std::thread([this, c] {
      Pump(c, true);
      --pumps_;
    }).detach();
    std::thread([this, c] {
      Pump(c, false);
      --pumps_;
    }).detach();
  }
}

void ShapingProxy::Pump(std::shared_ptr<Conn> c, bool upstream) {
  const int from = upstream ? c->client : c->server, to = upstream ? c->server : c->client;
  char buf[16384];
  while (!c->closed && !quit_) {
    pollfd p{from, POLLIN, 0};
    const int ready = poll(&p, 1, 100);
    if (cutting_ && Steady::now() >= c->cut_at) {
      ++cuts_;
      return c->Close(true);
    }
    if (ready <= 0) continue;
    const ssize_t n = recv(from, buf, sizeof buf, 0);
    if (n <= 0) return c->Close(false);
    if (shape_.latency_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(shape_.latency_ms));
    for (ssize_t sent = 0; sent < n && !c->closed;) {
      const ssize_t slice =
          shape_.bytes_per_s > 0
              ? std::min<ssize_t>(n - sent, std::max<int64_t>(1, shape_.bytes_per_s / 20))
              : n - sent;
      const ssize_t w = send(to, buf + sent, static_cast<size_t>(slice), MSG_NOSIGNAL);
      if (w <= 0) return c->Close(false);
      sent += w;
      if (shape_.bytes_per_s > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(w * 1000000 / shape_.bytes_per_s));
    }
  }
}

}  // namespace gocua::load
