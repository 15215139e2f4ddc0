#pragma once
// Counts what a sync engine puts on the wire: an HttpTransport that passes every request to
// the real one (CurlTransport) and keeps the request and reply bodies, so that their sizes
// can be reported both as JSON and as sent (gzip). Compressing happens in Tally(), after the
// timed run, with the same zlib settings as the two ends use: CurlTransport gzips a request
// body of at least `gzip_min_bytes` when the engine asks (protocol::GzipCompress, zlib level 6),
// and the hub gzips every reply to a client that accepts gzip, which ours always does
// (protocol::GzipCompress: zlib level 6, the same window and memory level, a 10-byte header). HTTP
// headers are not counted.
//
// Threading: like any transport, one call at a time; one CountingTransport per engine.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sync/client/http_transport.h"

namespace gocua::bench {

// Body bytes of one kind of request ("healthz", "enroll", "push", "pull").
struct WireTally {
  int64_t requests = 0;
  int64_t failed = 0;                   // no reply (the transport failed)
  int64_t request_json = 0;             // request bodies before gzip
  int64_t request_sent = 0;             // as sent: gzip when CurlTransport compressed them
  int64_t reply_json = 0;               // reply bodies after gunzip
  int64_t reply_sent = 0;               // as the hub sent them (gzip)
  std::chrono::nanoseconds waiting{0};  // inside the inner Send: network and hub
};

class CountingTransport final : public client::HttpTransport {
 public:
  // `inner` must outlive this; `gzip_min_bytes` is the inner transport's CurlOptions value.
  CountingTransport(client::HttpTransport& inner, size_t gzip_min_bytes)
      : inner_(inner), gzip_min_bytes_(gzip_min_bytes) {}

  Result<client::HttpResponse> Send(const client::HttpRequest& request,
                                    const std::atomic<bool>* cancel) override;

  // Forgets what was sent so far.
  void Reset() { exchanges_.clear(); }
  // Per kind of request, everything sent since the last Reset(). Compresses every kept body:
  // call it outside timed sections.
  std::map<std::string, WireTally> Tally() const;

 private:
  struct Exchange {
    std::string kind;
    std::string request_body;
    bool request_gzip = false;
    size_t request_gzipped = 0;  // the body as the engine gzipped it ahead; 0: not done ahead
    bool replied = false;
    std::string reply_body;
    std::chrono::nanoseconds waiting{0};
  };
  client::HttpTransport& inner_;
  size_t gzip_min_bytes_;
  std::vector<Exchange> exchanges_;
};

// The tallies of `kinds` added together ({} for all).
WireTally Sum(const std::map<std::string, WireTally>& tallies,
              const std::vector<std::string>& kinds = {});

}  // namespace gocua::bench
