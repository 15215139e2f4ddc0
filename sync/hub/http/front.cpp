// The front's public face (front.h): Listen makes the TLS context and the listening socket,
// Run is the event loop that the other front_*.cpp files serve (front_impl.h lists them), and
// Stop asks it to end.
#include "sync/hub/http/front.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <thread>
#include <vector>

#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {
namespace {

constexpr int64_t kStopGraceMs = 5000;  // Stop(): the replies under way, at most this long

}  // namespace

Front::Front(Handler& handler, const FrontLimits& limits, const TlsConfig& tls)
    : impl_(std::make_unique<Impl>(handler, limits, tls)) {}

Front::~Front() { Stop(); }

Result<int> Front::Listen(const std::string& host, int port) {
  Impl& m = *impl_;
  if (!m.tls.cert_path.empty()) {
    m.ctx = SSL_CTX_new(TLS_server_method());
    if (!m.ctx || SSL_CTX_set_min_proto_version(m.ctx, TLS1_2_VERSION) != 1 ||
        SSL_CTX_use_certificate_chain_file(m.ctx, m.tls.cert_path.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(m.ctx, m.tls.key_path.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(m.ctx) != 1) {
      ERR_clear_error();
      return Status(ErrorCode::kInvalidInput,
                    "could not load the TLS certificate or key (PEM files, the key unencrypted); "
                    "check --tls-cert and --tls-key");
    }
    SSL_CTX_set_mode(m.ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                                SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_options(m.ctx, SSL_OP_NO_RENEGOTIATION);
  }
  // Room for max_connections sockets: raise the soft limit on descriptors up to the hard one.
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    const rlim_t want = static_cast<rlim_t>(m.limits.max_connections + 64);
    if (rl.rlim_cur < want) {
      rl.rlim_cur = std::min(want, rl.rlim_max);
      setrlimit(RLIMIT_NOFILE, &rl);
      getrlimit(RLIMIT_NOFILE, &rl);
    }
    // Never run out of descriptors at accept: the listening socket would stay readable.
    if (rl.rlim_cur < want)
      m.limits.max_connections = std::max<size_t>(16, static_cast<size_t>(rl.rlim_cur) - 64);
  }
  const Status cannot(ErrorCode::kIo, "could not listen on " + host + ":" + std::to_string(port) +
                                          " (address in use, not this machine's, or not "
                                          "allowed); pick another --listen address or port");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return cannot;
  for (addrinfo* a = found; a && m.listen_fd < 0; a = a->ai_next) {
    const int fd =
        socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0)
      m.listen_fd = fd;
    else
      close(fd);
  }
  freeaddrinfo(found);
  if (m.listen_fd < 0) return cannot;
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(m.listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  const int bound_port = bound.ss_family == AF_INET6
                             ? ntohs(reinterpret_cast<sockaddr_in6&>(bound).sin6_port)
                             : ntohs(reinterpret_cast<sockaddr_in&>(bound).sin_port);
  m.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  m.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (m.epoll_fd < 0 || m.wake_fd < 0) return cannot;
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenId;
  epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.listen_fd, &ev);
  ev.data.u64 = kWakeId;
  epoll_ctl(m.epoll_fd, EPOLL_CTL_ADD, m.wake_fd, &ev);
  return bound_port;
}

Status Front::Run() {
  Impl& m = *impl_;
  // OpenSSL writes to the socket itself: a peer gone away must give EPIPE, not kill the hub.
  // SIGPIPE is sent to the writing thread, and only this thread writes to sockets.
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);

  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, m.limits.workers); ++i) workers.emplace_back([&m] { m.Work(); });
  int64_t stop_deadline = 0, last_check = 0;
  epoll_event events[256];
  for (;;) {
    if (m.stop_requested && !m.stopping) {
      m.stopping = true;
      stop_deadline = NowMs() + kStopGraceMs;
      epoll_ctl(m.epoll_fd, EPOLL_CTL_DEL, m.listen_fd, nullptr);
      close(m.listen_fd);
      m.listen_fd = -1;
      std::vector<uint64_t> idle;
      for (auto& [id, c] : m.conns)
        if (c->st != Conn::St::kHandling && c->st != Conn::St::kWriting) idle.push_back(id);
      for (uint64_t id : idle) m.Close(*m.conns.at(id));
    }
    if (m.stopping && (m.conns.empty() || NowMs() >= stop_deadline)) break;
    const int n = epoll_wait(m.epoll_fd, events, 256, 100);
    for (int i = 0; i < n; ++i) {
      const uint64_t id = events[i].data.u64;
      if (id == kListenId) {
        m.Accept();
      } else if (id == kWakeId) {
        uint64_t count;
        [[maybe_unused]] const ssize_t r = read(m.wake_fd, &count, sizeof count);
      } else if (auto it = m.conns.find(id); it != m.conns.end()) {
        m.OnEvent(*it->second, events[i].events);
      }
    }
    m.TakeDone();
    const int64_t now = NowMs();
    if (now - last_check >= 100) {
      m.CheckDeadlines(now);
      last_check = now;
    }
  }
  {
    std::lock_guard<std::mutex> lock(m.job_mutex);
    m.workers_quit = true;
  }
  m.job_cv.notify_all();
  for (std::thread& t : workers) t.join();
  std::vector<uint64_t> left;
  for (auto& [id, c] : m.conns) left.push_back(id);
  for (uint64_t id : left) m.Close(*m.conns.at(id));
  return Status::Ok();
}

void Front::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  if (impl_->wake_fd >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = write(impl_->wake_fd, &one, sizeof one);
  }
}

}  // namespace gocua::hub::http
