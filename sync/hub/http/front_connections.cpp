// A connection's life on the loop (front_impl.h): accepted under the connection caps, its
// epoll interest kept in step with its state, its events sent to the step its state is in,
// closed.
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "sync/hub/http/client_address.h"
#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {

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
    std::string address = PeerAddress(addr);
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

}  // namespace gocua::hub::http
