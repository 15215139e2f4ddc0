#pragma once
#include <string>
// The hub's HTTP transport: routes, body limits, gzip both ways, a log line per request, over
// the event-driven front of http/front.h (connection limits, deadlines, TLS). What the
// endpoints mean is in api.h.
//
// Limits, before anything is parsed: a request body (as sent, compressed or not) over
// kMaxRawBody is refused with 413 without being read further; a gzip body is inflated by
// GzipInflate() to at most protocol::kMaxDecompressedBody (413 past that). Replies are gzip
// when the request says "Accept-Encoding: gzip".
//
// Threading: Bind(), then Serve() on one thread; Stop() from any other thread (a signal
// watcher), once or more. The HubApi must outlive the server.
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>

#include "base/result.h"
#include "sync/hub/api.h"
#include "sync/hub/http/front.h"
#include "sync/protocol/protocol.h"

namespace gocua::hub {
namespace console {
class Console;
}

// The largest request body read off the wire, compressed or not.
inline constexpr size_t kMaxRawBody = 2 * protocol::kMaxBatchBytes;

// PEM files for HTTPS; both empty = plain HTTP.
struct TlsFiles {
  std::string cert_path, key_path;
  bool enabled() const { return !cert_path.empty(); }
};

class HttpServer {
 public:
  // `log` receives one line per request (method, path, status, bytes sent, ms, device);
  // it must outlive the server. With `tls` enabled the server speaks HTTPS only; Bind() fails
  // if the certificate or key cannot be loaded. `limits`: connections, deadlines and header
  // sizes (its parse.max_body is replaced by kMaxRawBody).
  HttpServer(HubApi& api, std::FILE* log, const TlsFiles& tls = {},
             const http::FrontLimits& limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves the province's web console (sync/hub/console/) under /console/; `console` must
  // outlive the server. Call before Serve(). Without it /console/ is an unknown endpoint.
  void SetConsole(console::Console* console);

  // Binds to `host` (a name or an address; IPv6 without brackets) and `port`, 0 for any free
  // port. Returns the port bound.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(). REQUIRES: Bind() succeeded.
  Status Serve();
  // Makes Serve() return after the requests in progress are answered. Safe before Serve()
  // starts (it then returns at once) and after it returned.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua::hub
