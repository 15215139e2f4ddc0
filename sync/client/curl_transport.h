#pragma once
// HttpTransport over libcurl, tuned for slow, flaky rural links: a connect timeout and a
// low-speed limit instead of a total timeout (a big pull at 2 KB/s is fine; a dead link is
// not), gzip both ways, and connection reuse between requests.
#include <memory>
#include <string>

#include "sync/client/http_transport.h"

namespace gocua::client {

struct CurlOptions {
  long connect_timeout_s = 10;
  // A transfer slower than low_speed_limit bytes/s for low_speed_time_s seconds is cut.
  long low_speed_limit = 100;
  long low_speed_time_s = 30;
  // Bodies of POSTs at least this long are sent gzip-compressed when the request asks.
  size_t gzip_min_bytes = 256;
  std::string user_agent = "gocua/0.1";
  // For an https hub: a PEM file of the CA (or the hub's own self-signed certificate) to trust
  // instead of the system's; "" = the system's CAs. The certificate and name are always checked.
  std::string ca_file;
};

// Threading: one CurlTransport per thread (it keeps one curl handle, reused for keep-alive).
// Constructing the first one initialises libcurl for the process (thread-safe).
class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<HttpResponse> Send(const HttpRequest& request, const std::atomic<bool>* cancel) override;

 private:
  struct Impl;
  CurlOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua::client
