#pragma once
// The hub's HTTP front: one event-loop thread (epoll, non-blocking sockets, TLS through
// non-blocking OpenSSL on the same loop) reads each request COMPLETELY — bounded headers within
// a deadline, the body at a minimum rate — before a small worker pool runs the handler on it;
// the reply is written back by the loop. A connection waiting for bytes costs a few kilobytes
// and no thread, so slow, idle and keep-alive clients cannot hold the workers. Linux only (the
// hub is Linux only). Limits: FrontLimits; the design is in docs/architecture.md, "Hub HTTP
// front".
//
// Threading: Listen(), then Run() on one thread; Stop() from any other thread (a signal
// watcher), once or more. The Handler is called on worker threads, several at once.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"
#include "sync/hub/http/client_address.h"
#include "sync/hub/http/request_parser.h"

namespace gocua::hub::http {

struct FrontLimits {
  int workers = 8;                          // threads running the handler
  size_t max_connections = 4096;            // open at once; past it new ones are closed at once
  size_t max_connections_per_address = 64;  // from one client IP address (a trusted proxy: no cap)
  int header_timeout_s = 10;                // the request line and headers, from the first byte
  int idle_timeout_s = 15;                  // a connection with no request under way
  size_t min_body_rate = 1024;  // bytes/s over the body, after a grace of header_timeout
  int write_timeout_s = 30;     // a reply that makes no progress for this long
  int max_requests_per_connection = 10000;
  ParseLimits parse;  // header count and sizes; max_body
  // Reverse proxies whose X-Real-IP / X-Forwarded-For name the client (client_address.h):
  // Request::remote_addr is then that client, and the per-address cap does not apply to the
  // proxy's own connections (the proxy limits connections per client itself).
  TrustedProxies trusted_proxies;
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Length, Connection
  std::string body;
  bool close = false;  // close the connection after this reply
};

// What the front calls on a worker thread. Neither may throw (the front answers 500 if one does).
class Handler {
 public:
  virtual ~Handler() = default;
  virtual Response Handle(Request& req) = 0;
  // The reply to a request that could not be read (`partial` holds what was: maybe only a
  // method and path). The connection is closed after it.
  virtual Response Refuse(const ParseError& error, const Request& partial) = 0;
};

// PEM files for TLS; both empty = plain HTTP.
struct TlsConfig {
  std::string cert_path, key_path;
};

class Front {
 public:
  Front(Handler& handler, const FrontLimits& limits, const TlsConfig& tls);
  ~Front();
  Front(const Front&) = delete;
  Front& operator=(const Front&) = delete;

  // Loads the TLS files (if any) and listens on `host`:`port` (0 = any free port). Returns the
  // port bound.
  Result<int> Listen(const std::string& host, int port);
  // Serves until Stop(). REQUIRES: Listen() succeeded.
  Status Run();
  // Makes Run() stop accepting and return once the requests in progress are answered (at most
  // a few seconds). Safe before Run() starts (it then returns at once) and after it returned.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua::hub::http
