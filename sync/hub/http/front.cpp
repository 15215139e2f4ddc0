#include "sync/hub/http/front.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace gocua::hub::http {
namespace {

constexpr uint64_t kListenId = 0, kWakeId = 1;
constexpr int64_t kDrainMs = 2000;             // reading what a refused client still sends
constexpr size_t kDrainMax = 4 * 1024 * 1024;  // ... at most this much
constexpr int64_t kStopGraceMs = 5000;         // Stop(): the replies under way, at most this long
constexpr ssize_t kWouldBlock = -1, kIoError = -2;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const char* Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

std::string Serialize(const Response& r, bool close, const FrontLimits& limits) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + Reason(r.status) + "\r\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (close) {
    out += "Connection: close\r\n";
  } else {
    out +=
        "Connection: Keep-Alive\r\nKeep-Alive: timeout=" + std::to_string(limits.idle_timeout_s) +
        "\r\n";
  }
  out += "\r\n";
  out += r.body;
  return out;
}

std::string AddressOf(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (a.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  } else if (a.ss_family == AF_INET6) {
    const in6_addr& v6 = reinterpret_cast<const sockaddr_in6&>(a).sin6_addr;
    if (IN6_IS_ADDR_V4MAPPED(&v6))
      inet_ntop(AF_INET, &v6.s6_addr[12], buf, sizeof buf);
    else
      inet_ntop(AF_INET6, &v6, buf, sizeof buf);
  }
  return buf;
}

struct Conn {
  enum class St { kHandshake, kReading, kHandling, kWriting, kDraining };
  Conn(uint64_t i, int f, std::string a, const ParseLimits& l) : id(i), fd(f), addr(a), parser(l) {}
  uint64_t id;
  int fd;
  std::string addr;
  SSL* ssl = nullptr;
  St st = St::kReading;
  RequestParser parser;
  std::string in, out;
  size_t out_pos = 0;
  int64_t deadline = 0;
  int64_t body_start = 0;
  int requests = 0;  // answered on this connection
  bool close_after = false;
  bool ssl_wants_write = false;  // while reading: OpenSSL must write first (and vice versa)
  bool ssl_wants_read = false;
  uint32_t events = 0;  // registered with epoll
  size_t drained = 0;
  bool dead = false;  // failed while its request was with a worker: closed when it comes back
};

struct Job {
  uint64_t conn = 0;
  bool refuse = false;
  bool last = false;  // the connection closes after this reply
  Request req;
  ParseError error;
};

struct Done {
  uint64_t conn = 0;
  std::string bytes;
  bool close = false;
};

}  // namespace

struct Front::Impl {
  Impl(Handler& h, const FrontLimits& l, const TlsConfig& t) : handler(h), limits(l), tls(t) {}
  ~Impl() {
    for (auto& [id, c] : conns) {
      if (c->ssl) SSL_free(c->ssl);
      close(c->fd);
    }
    if (listen_fd >= 0) close(listen_fd);
    if (epoll_fd >= 0) close(epoll_fd);
    if (wake_fd >= 0) close(wake_fd);
    if (ctx) SSL_CTX_free(ctx);
  }

  // The loop thread.
  void Accept();
  void OnEvent(Conn& c, uint32_t events);
  void Handshake(Conn& c);
  void Read(Conn& c);
  void Parse(Conn& c);
  void Write(Conn& c);
  void Drain(Conn& c);
  void StartDrain(Conn& c);
  void Close(Conn& c);
  void SetInterest(Conn& c);
  void Dispatch(Conn& c, Job job);
  void TakeDone();
  void CheckDeadlines(int64_t now);
  ssize_t ReadSome(Conn& c, char* buf, size_t n);
  ssize_t WriteSome(Conn& c, const char* buf, size_t n);
  // Worker threads.
  void Work();
  std::string Answer(Job& job, bool* close);

  Handler& handler;
  FrontLimits limits;  // max_connections lowered in Listen() if descriptors are short
  const TlsConfig tls;
  SSL_CTX* ctx = nullptr;
  int listen_fd = -1, epoll_fd = -1, wake_fd = -1;
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns;
  std::map<std::string, size_t> per_address;
  uint64_t next_id = 2;
  bool stopping = false;

  std::mutex job_mutex;
  std::condition_variable job_cv;
  std::deque<Job> jobs;
  bool workers_quit = false;
  std::mutex done_mutex;
  std::vector<Done> done;

  std::atomic<bool> stop_requested{false};
};

// ---- The loop -------------------------------------------------------------------------------

void Front::Impl::Accept() {
  for (;;) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int fd =
        accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;  // EAGAIN; or out of descriptors, which max_connections keeps away
    }
    std::string address = AddressOf(addr);
    if (stopping || conns.size() >= limits.max_connections ||
        (per_address[address] >= limits.max_connections_per_address &&
         !IsTrusted(limits.trusted_proxies, address))) {
      if (per_address[address] == 0) per_address.erase(address);
      close(fd);
      continue;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Conn>(next_id++, fd, address, limits.parse);
    if (ctx) {
      c->ssl = SSL_new(ctx);
      if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
        if (c->ssl) SSL_free(c->ssl);
        close(fd);
        continue;
      }
      SSL_set_accept_state(c->ssl);
      c->st = Conn::St::kHandshake;
    }
    c->deadline = NowMs() + limits.header_timeout_s * 1000LL;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = c->id;
    c->events = EPOLLIN;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      if (c->ssl) SSL_free(c->ssl);
      close(fd);
      continue;
    }
    ++per_address[address];
    conns.emplace(c->id, std::move(c));
  }
}

void Front::Impl::Close(Conn& c) {
  epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
  if (c.ssl) SSL_free(c.ssl);
  close(c.fd);
  auto it = per_address.find(c.addr);
  if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  conns.erase(c.id);  // destroys c
}

void Front::Impl::SetInterest(Conn& c) {
  uint32_t want = 0;
  switch (c.st) {
    case Conn::St::kHandshake:
    case Conn::St::kReading:
      want = c.ssl_wants_write ? EPOLLOUT : EPOLLIN;
      break;
    case Conn::St::kWriting:
      want = c.ssl_wants_read ? EPOLLIN : EPOLLOUT;
      break;
    case Conn::St::kDraining:
      want = EPOLLIN;
      break;
    case Conn::St::kHandling:
      want = 0;
      break;
  }
  if (want == c.events) return;
  epoll_event ev{};
  ev.events = want;
  ev.data.u64 = c.id;
  epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c.fd, &ev);
  c.events = want;
}

ssize_t Front::Impl::ReadSome(Conn& c, char* buf, size_t n) {
  if (!c.ssl) {
    const ssize_t r = recv(c.fd, buf, n, 0);
    if (r >= 0) return r;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? kWouldBlock : kIoError;
  }
  ERR_clear_error();
  const int r = SSL_read(c.ssl, buf, static_cast<int>(n));
  if (r > 0) return r;
  c.ssl_wants_write = false;
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_READ:
      return kWouldBlock;
    case SSL_ERROR_WANT_WRITE:
      c.ssl_wants_write = true;
      return kWouldBlock;
    case SSL_ERROR_ZERO_RETURN:
      return 0;
    default:
      return kIoError;
  }
}

ssize_t Front::Impl::WriteSome(Conn& c, const char* buf, size_t n) {
  if (!c.ssl) {
    const ssize_t r = send(c.fd, buf, n, MSG_NOSIGNAL);
    if (r >= 0) return r;
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? kWouldBlock : kIoError;
  }
  ERR_clear_error();
  const int r = SSL_write(c.ssl, buf, static_cast<int>(std::min<size_t>(n, 1 << 30)));
  if (r > 0) return r;
  c.ssl_wants_read = false;
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_WRITE:
      return kWouldBlock;
    case SSL_ERROR_WANT_READ:
      c.ssl_wants_read = true;
      return kWouldBlock;
    default:
      return kIoError;
  }
}

void Front::Impl::OnEvent(Conn& c, uint32_t events) {
  // Otherwise errors and hang-ups show in the read or write that follows.
  if (c.st == Conn::St::kHandling) {
    // epoll reports these even with no interest: stop listening, or the loop would spin.
    if (events & (EPOLLERR | EPOLLHUP)) {
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c.fd, nullptr);
      c.dead = true;
    }
    return;
  }
  switch (c.st) {
    case Conn::St::kHandshake:
      return Handshake(c);
    case Conn::St::kReading:
      return Read(c);
    case Conn::St::kWriting:
      return Write(c);
    case Conn::St::kDraining:
      return Drain(c);
    case Conn::St::kHandling:
      return;
  }
}

void Front::Impl::Handshake(Conn& c) {
  ERR_clear_error();
  const int r = SSL_do_handshake(c.ssl);
  if (r == 1) {
    c.ssl_wants_write = false;
    c.st = Conn::St::kReading;
    return Read(c);
  }
  switch (SSL_get_error(c.ssl, r)) {
    case SSL_ERROR_WANT_READ:
      c.ssl_wants_write = false;
      break;
    case SSL_ERROR_WANT_WRITE:
      c.ssl_wants_write = true;
      break;
    default:
      return Close(c);
  }
  SetInterest(c);
}

void Front::Impl::Read(Conn& c) {
  char buf[16384];
  for (;;) {
    if (!c.in.empty()) {
      Parse(c);
      if (c.st != Conn::St::kReading) return;
    }
    const ssize_t n = ReadSome(c, buf, sizeof buf);
    if (n == kWouldBlock) break;
    if (n <= 0) return Close(c);  // the peer closed, or the connection failed
    c.in.append(buf, static_cast<size_t>(n));
  }
  SetInterest(c);
}

void Front::Impl::Parse(Conn& c) {
  const bool was_started = c.parser.Started(), was_body = c.parser.InBody();
  const RequestParser::State state = c.parser.Feed(&c.in);
  const int64_t now = NowMs();
  if (!was_started && c.parser.Started()) c.deadline = now + limits.header_timeout_s * 1000LL;
  if (state == RequestParser::State::kNeedMore && c.parser.InBody()) {
    if (!was_body) {
      c.body_start = now;
      // A client that asked to be told before it sends the body (RFC 9110 10.1.1). The socket's
      // buffer is empty at this point, so the 25 bytes go at once or not at all.
      const std::string expect = c.parser.partial().Header("Expect");
      if (expect.size() == 12 && strncasecmp(expect.c_str(), "100-continue", 12) == 0) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        WriteSome(c, kContinue, sizeof kContinue - 1);
      }
    }
    const int64_t rate = static_cast<int64_t>(std::max<size_t>(limits.min_body_rate, 1));
    c.deadline = c.body_start + limits.header_timeout_s * 1000LL +
                 static_cast<int64_t>(c.parser.BodyBytes()) * 1000 / rate;
  }
  if (state == RequestParser::State::kComplete) {
    Job job;
    job.req = c.parser.TakeRequest();
    job.last = !job.req.keep_alive || c.requests + 1 >= limits.max_requests_per_connection;
    Dispatch(c, std::move(job));
  } else if (state == RequestParser::State::kError) {
    Job job;
    job.refuse = true;
    job.last = true;
    job.error = c.parser.error();
    job.req = c.parser.partial();
    Dispatch(c, std::move(job));
  }
}

void Front::Impl::Dispatch(Conn& c, Job job) {
  job.conn = c.id;
  job.req.remote_addr = ClientAddress(c.addr, job.req, limits.trusted_proxies);
  c.st = Conn::St::kHandling;
  SetInterest(c);
  {
    std::lock_guard<std::mutex> lock(job_mutex);
    jobs.push_back(std::move(job));
  }
  job_cv.notify_one();
}

void Front::Impl::TakeDone() {
  std::vector<Done> ready;
  {
    std::lock_guard<std::mutex> lock(done_mutex);
    ready.swap(done);
  }
  for (Done& d : ready) {
    auto it = conns.find(d.conn);
    if (it == conns.end()) continue;
    Conn& c = *it->second;
    if (c.dead) {
      Close(c);
      continue;
    }
    c.out = std::move(d.bytes);
    c.out_pos = 0;
    c.close_after = d.close || stopping;
    c.st = Conn::St::kWriting;
    c.deadline = NowMs() + limits.write_timeout_s * 1000LL;
    Write(c);
  }
}

void Front::Impl::Write(Conn& c) {
  while (c.out_pos < c.out.size()) {
    const ssize_t n = WriteSome(c, c.out.data() + c.out_pos, c.out.size() - c.out_pos);
    if (n == kWouldBlock) return SetInterest(c);
    if (n <= 0) return Close(c);
    c.out_pos += static_cast<size_t>(n);
    c.deadline = NowMs() + limits.write_timeout_s * 1000LL;
  }
  c.out = std::string();
  c.out_pos = 0;
  ++c.requests;
  if (c.close_after) return StartDrain(c);
  c.st = Conn::St::kReading;
  c.ssl_wants_read = c.ssl_wants_write = false;
  c.deadline = NowMs() + limits.idle_timeout_s * 1000LL;
  Read(c);  // a request may be waiting in c.in or in OpenSSL's buffer, unseen by epoll
}

// After the last reply: no more writes, and what the client still sends is read and dropped
// for a moment, so that closing with unread bytes does not reset the connection before the
// client has read the reply.
void Front::Impl::StartDrain(Conn& c) {
  if (c.ssl) {
    ERR_clear_error();
    SSL_shutdown(c.ssl);
  }
  shutdown(c.fd, SHUT_WR);
  c.st = Conn::St::kDraining;
  c.deadline = NowMs() + kDrainMs;
  c.in = std::string();
  Drain(c);
}

void Front::Impl::Drain(Conn& c) {
  char buf[16384];
  for (;;) {
    const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) break;
    if (n <= 0) return Close(c);
    c.drained += static_cast<size_t>(n);
    if (c.drained > kDrainMax) return Close(c);
  }
  SetInterest(c);
}

void Front::Impl::CheckDeadlines(int64_t now) {
  std::vector<uint64_t> late;
  for (auto& [id, c] : conns)
    if (c->st != Conn::St::kHandling && now >= c->deadline) late.push_back(id);
  for (uint64_t id : late) {
    Conn& c = *conns.at(id);
    if (c.st == Conn::St::kReading && c.parser.InBody()) {
      // A body slower than the minimum rate: told so, then closed.
      Job job;
      job.refuse = true;
      job.last = true;
      job.error.status = 408;
      job.error.message = "the request body came too slowly (under " +
                          std::to_string(limits.min_body_rate) +
                          " bytes/s); send it again on a better connection";
      job.req = c.parser.partial();
      Dispatch(c, std::move(job));
    } else {
      Close(c);  // idle, headers too slow, a handshake or a reply that does not move
    }
  }
}

// ---- Workers --------------------------------------------------------------------------------

std::string Front::Impl::Answer(Job& job, bool* close) {
  Response res;
  try {
    res = job.refuse ? handler.Refuse(job.error, job.req) : handler.Handle(job.req);
  } catch (...) {
    res = Response();
    res.status = 500;
    res.headers = {{"Content-Type", "application/json"}};
    res.body = R"({"error":{"code":"internal","message":"the hub failed; retry later"}})";
    res.close = true;
  }
  *close = job.last || res.close || stop_requested;
  return Serialize(res, *close, limits);
}

void Front::Impl::Work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(job_mutex);
      job_cv.wait(lock, [&] { return workers_quit || !jobs.empty(); });
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    Done d;
    d.conn = job.conn;
    d.bytes = Answer(job, &d.close);
    {
      std::lock_guard<std::mutex> lock(done_mutex);
      done.push_back(std::move(d));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = write(wake_fd, &one, sizeof one);
  }
}

// ---- Front ----------------------------------------------------------------------------------

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
