// Writing a reply (front_impl.h), non-blocking, as far as the socket takes it each time; then
// either reading the next request on the same connection or, after the last reply, draining.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <string>

#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {
namespace {

constexpr int64_t kDrainMs = 2000;             // reading what a refused client still sends
constexpr size_t kDrainMax = 4 * 1024 * 1024;  // ... at most this much

}  // namespace

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
    const ssize_t n = SocketResult(recv(c.fd, buf, sizeof buf, 0));
    if (n == kWouldBlock) break;
    if (n <= 0) return Close(c);
    c.drained += static_cast<size_t>(n);
    if (c.drained > kDrainMax) return Close(c);
  }
  SetInterest(c);
}

}  // namespace gocua::hub::http
