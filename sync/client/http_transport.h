#pragma once
// The network seam of the sync engine (STYLE rule 9): one HTTP exchange at a time. The engine
// takes an HttpTransport& in its constructor; production passes a CurlTransport
// (curl_transport.h), unit tests a fake that plays the hub.
#include <atomic>
#include <string>

#include "base/result.h"

namespace gocua::client {

struct HttpRequest {
  enum class Method { kGet, kPost };
  Method method = Method::kGet;
  std::string url;           // absolute: "http://10.0.0.5:8080/v1/push"
  std::string bearer_token;  // sent as "Authorization: Bearer <token>"; "" sends none
  std::string body;          // POST only: JSON text, uncompressed
  bool gzip_body = false;    // send `body` gzip-compressed (Content-Encoding: gzip)
  // With gzip_body: "" or protocol::GzipCompress(body), made ahead by the caller (off the
  // exchange's critical path); the transport then sends it as is instead of compressing.
  std::string gzipped;
};

struct HttpResponse {
  int status = 0;    // any HTTP status, 2xx to 5xx
  std::string body;  // inflated if the hub compressed it; at most kMaxDecompressedBody bytes
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Sends `request` and waits for the whole reply. Every reply with an HTTP status is a
  // response, whatever the status; the caller reads it. Failing to get one — no route, refused,
  // name not found, connect timeout, a link too slow for too long, a cut connection, a reply
  // that is damaged or over kMaxDecompressedBody, or `*cancel` becoming true — is an error
  // Status (ErrorCode::kIo) whose message says what happened, Vietnamese first. Such failures
  // are worth retrying; the caller decides. A failure that trying again cannot mend (a hub
  // certificate this laptop does not trust) is ErrorCode::kInvalidInput instead.
  //
  // `cancel` may be null. When it becomes true (from any thread) an in-flight transfer is
  // aborted within about a second. Threading: one call at a time per transport.
  virtual Result<HttpResponse> Send(const HttpRequest& request,
                                    const std::atomic<bool>* cancel) = 0;
};

}  // namespace gocua::client
