// TCP sockets for test helpers, one interface on Linux (BSD sockets) and Windows (Winsock 2):
// sockets are ints (-1: none; Winsock's SOCKET values fit, and INVALID_SOCKET becomes -1),
// errors come back as errno values (Winsock's WSAE* mapped to E*), and Poll skips entries whose
// fd is negative on both systems. fault_proxy.h and the client tests' one-shot servers use it.
// Header-only.
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace gocua::test::net {

#ifdef _WIN32
using ssize = int;
inline bool Started() {  // WSAStartup once per process
  static const bool ok = [] {
    WSADATA d;
    return WSAStartup(MAKEWORD(2, 2), &d) == 0;
  }();
  return ok;
}
inline int Errno() {
  switch (WSAGetLastError()) {
    case WSAEWOULDBLOCK:
      return EAGAIN;
    case WSAEINPROGRESS:
      return EINPROGRESS;
    case WSAEINTR:
      return EINTR;
    case WSAEMFILE:
      return EMFILE;
    case WSAENOBUFS:
      return ENOBUFS;
    case WSAECONNRESET:
      return ECONNRESET;
    case WSAECONNREFUSED:
      return ECONNREFUSED;
    default:
      return EIO;
  }
}
constexpr int kNoSignal = 0;
constexpr int kShutWrite = SD_SEND, kShutBoth = SD_BOTH;
#else
using ssize = ssize_t;
inline bool Started() { return true; }
inline int Errno() { return errno; }
constexpr int kNoSignal = MSG_NOSIGNAL;
constexpr int kShutWrite = SHUT_WR, kShutBoth = SHUT_RDWR;
#endif

// A TCP socket (not inherited by child processes), or -1.
inline int Socket() {
  if (!Started()) return -1;
#ifdef _WIN32
  const SOCKET s =
      WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, nullptr, 0, WSA_FLAG_NO_HANDLE_INHERIT);
  return s == INVALID_SOCKET ? -1 : static_cast<int>(s);
#else
  return socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
#endif
}

inline void Close(int fd) {
#ifdef _WIN32
  closesocket(static_cast<SOCKET>(fd));
#else
  close(fd);
#endif
}

inline bool SetNonBlocking(int fd) {
#ifdef _WIN32
  u_long on = 1;
  return ioctlsocket(static_cast<SOCKET>(fd), FIONBIO, &on) == 0;
#else
  const int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
#endif
}

inline sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Binds to 127.0.0.1:port (0: any free port); the bound port, or -1.
inline int BindLoopback(int fd, int port = 0) {
  sockaddr_in addr = Loopback(port);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return -1;
  return ntohs(addr.sin_port);
}

inline int Listen(int fd, int backlog) { return listen(fd, backlog); }

// Connects to 127.0.0.1:port: 0, or an errno value (EINPROGRESS for a non-blocking socket
// still connecting, on both systems).
inline int Connect(int fd, int port) {
  const sockaddr_in addr = Loopback(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) return 0;
  const int err = Errno();
#ifdef _WIN32
  if (err == EAGAIN) return EINPROGRESS;  // WSAEWOULDBLOCK
#endif
  return err;
}

inline int Accept(int fd) {
#ifdef _WIN32
  const SOCKET s = accept(static_cast<SOCKET>(fd), nullptr, nullptr);
  return s == INVALID_SOCKET ? -1 : static_cast<int>(s);
#else
  return accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
#endif
}

inline ssize Send(int fd, const char* data, size_t n) {
  return send(fd, data, static_cast<int>(n), kNoSignal);
}
inline ssize Recv(int fd, char* data, size_t n) { return recv(fd, data, static_cast<int>(n), 0); }
inline void Shutdown(int fd, int how) { shutdown(fd, how); }

// The pending error of a socket (SO_ERROR): 0 when a non-blocking connect succeeded.
inline int PendingError(int fd) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, reinterpret_cast<char*>(&err), &len) != 0) return EIO;
  return err;
}

// shutdown, SO_LINGER 0, close: the peer sees a reset.
inline void Reset(int fd) {
  linger lg{};
  lg.l_onoff = 1;
  lg.l_linger = 0;
  setsockopt(fd, SOL_SOCKET, SO_LINGER, reinterpret_cast<const char*>(&lg), sizeof lg);
  shutdown(fd, kShutBoth);
  Close(fd);
}

struct PollFd {
  int fd;  // negative: left out
  short events;
  short revents;
};

// poll() over the entries whose fd is not negative; their revents are filled in, the others' 0.
inline int Poll(PollFd* fds, size_t n, int timeout_ms) {
#ifdef _WIN32
  std::vector<WSAPOLLFD> p;
#else
  std::vector<pollfd> p;
#endif
  std::vector<size_t> index;
  for (size_t i = 0; i < n; ++i) {
    fds[i].revents = 0;
    if (fds[i].fd < 0) continue;
    p.push_back({});
    p.back().fd = fds[i].fd;
    p.back().events = fds[i].events;
    index.push_back(i);
  }
#ifdef _WIN32
  if (p.empty()) {
    Sleep(static_cast<DWORD>(timeout_ms < 0 ? 0 : timeout_ms));
    return 0;
  }
  const int r = WSAPoll(p.data(), static_cast<ULONG>(p.size()), timeout_ms);
#else
  const int r = poll(p.data(), p.size(), timeout_ms);
#endif
  for (size_t k = 0; k < p.size(); ++k) fds[index[k]].revents = p[k].revents;
  return r;
}

// A connected pair of sockets (the self-pipe of a poll loop: write a byte to [1] to wake [0]).
inline bool Pair(int fds[2]) {
#ifdef _WIN32
  fds[0] = fds[1] = -1;
  const int l = Socket();
  if (l < 0) return false;
  const int port = BindLoopback(l);
  if (port < 0 || Listen(l, 1) != 0) {
    Close(l);
    return false;
  }
  const int a = Socket();
  if (a < 0 || Connect(a, port) != 0) {
    if (a >= 0) Close(a);
    Close(l);
    return false;
  }
  const int b = Accept(l);
  Close(l);
  if (b < 0) {
    Close(a);
    return false;
  }
  fds[0] = b, fds[1] = a;
  return true;
#else
  return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0;
#endif
}

}  // namespace gocua::test::net
