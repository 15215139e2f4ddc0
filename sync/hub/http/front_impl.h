#pragma once
// The front's state (front.h), shared by the files that run it; nothing outside sync/hub/http/
// includes this. Which file does what:
//   front.cpp             Listen (TLS context, descriptors, the socket), Run (the loop), Stop
//   front_connections.cpp a connection's life on the loop: accepted, its epoll interest, its
//                         events dispatched by state, closed
//   front_transport.cpp   bytes in and out of one socket, plain or TLS; the TLS handshake
//   front_read.cpp        reading a request through the parser, the body's deadline
//   front_deadlines.cpp   connections past their deadline: cut, or told 408
//   front_workers.cpp     the hand-off: complete requests to the workers, replies back
//   front_write.cpp       writing a reply, then reading on or draining before the close
//   response_text.cpp     a Response as the bytes of an HTTP/1.1 reply
//
// Threading: everything in Front::Impl belongs to the loop thread (the one in Run()) except
// what is marked otherwise: the job queue (job_mutex), the replies ready (done_mutex),
// stop_requested and wake_fd, which worker threads and Stop() use too. A Conn is the loop's
// alone, even while its request is with a worker (the Job carries a copy of what it needs).
#include <openssl/ssl.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sync/hub/http/front.h"

namespace gocua::hub::http {

// The epoll ids of the listening socket and the wake eventfd; connections are numbered from 2.
inline constexpr uint64_t kListenId = 0, kWakeId = 1;
// What ReadSome and WriteSome return besides a byte count: try again when epoll says so, or
// the connection failed (0 from ReadSome: the peer closed).
inline constexpr ssize_t kWouldBlock = -1, kIoError = -2;

// The result of recv() or send() on a non-blocking socket: the byte count (0 from recv: the
// peer closed), or kWouldBlock / kIoError from errno.
inline ssize_t SocketResult(ssize_t r) {
  if (r >= 0) return r;
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? kWouldBlock : kIoError;
}

// The loop's clock for deadlines: monotonic milliseconds.
inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One client connection. Its state moves handshake → reading → handling → writing →
// (reading again | draining → closed); `deadline` is when it is cut in the state it is in
// (front_deadlines.cpp), never while handling.
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

// A request handed to the workers: the connection's id (not the Conn, which may be gone when
// the reply comes back), and either a complete request or one to refuse with `error`.
struct Job {
  uint64_t conn = 0;
  bool refuse = false;
  bool last = false;  // the connection closes after this reply
  Request req;
  ParseError error;
};

// A reply ready for the loop to write: its bytes, and whether the connection closes after it.
struct Done {
  uint64_t conn = 0;
  std::string bytes;
  bool close = false;
};

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

  // The loop thread. A call that closes `c` destroys it: nothing may touch `c` after one
  // returns unless the connection is known to be open.
  // front_connections.cpp
  void Accept();
  void OnEvent(Conn& c, uint32_t events);
  void Close(Conn& c);
  void SetInterest(Conn& c);
  // front_transport.cpp
  void Handshake(Conn& c);
  ssize_t ReadSome(Conn& c, char* buf, size_t n);
  ssize_t WriteSome(Conn& c, const char* buf, size_t n);
  // front_read.cpp
  void Read(Conn& c);
  void Parse(Conn& c);
  // front_deadlines.cpp
  void CheckDeadlines(int64_t now);
  // front_workers.cpp: the loop's side of the hand-off
  void Dispatch(Conn& c, Job job);
  void TakeDone();
  // front_write.cpp
  void Write(Conn& c);
  void StartDrain(Conn& c);
  void Drain(Conn& c);

  // Worker threads (front_workers.cpp).
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
  std::deque<Job> jobs;       // GUARDED_BY(job_mutex)
  bool workers_quit = false;  // GUARDED_BY(job_mutex)
  std::mutex done_mutex;
  std::vector<Done> done;  // GUARDED_BY(done_mutex)

  std::atomic<bool> stop_requested{false};
};

}  // namespace gocua::hub::http
