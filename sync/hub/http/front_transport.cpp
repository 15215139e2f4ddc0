// Bytes in and out of one connection's socket, plain or through OpenSSL on the non-blocking
// socket, and the TLS handshake. OpenSSL's WANT_READ / WANT_WRITE become Conn::ssl_wants_*, which
// SetInterest turns into the epoll interest.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>

#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {

ssize_t Front::Impl::ReadSome(Conn& c, char* buf, size_t n) {
  if (!c.ssl) return SocketResult(recv(c.fd, buf, n, 0));
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
  if (!c.ssl) return SocketResult(send(c.fd, buf, n, MSG_NOSIGNAL));
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

}  // namespace gocua::hub::http
