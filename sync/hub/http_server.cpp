#include "sync/hub/http_server.h"

#include <chrono>
#include <exception>
#include <string_view>

#include "sync/hub/console/console.h"
#include "sync/hub/laptops_api.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"

namespace gocua::hub {
namespace {

namespace p = gocua::protocol;
using Clock = std::chrono::steady_clock;
using http::Lower;
using http::Request;
using http::Response;
using http::Trim;

// zlib's fastest level for replies: a pull page's gzip at level 6 was a third of the hub's
// CPU for a pull, for ~15% fewer bytes (the e2e bench: bytes per visit must stay <= 200).
constexpr int kReplyGzipLevel = 1;

// Whether an Accept-Encoding value takes gzip ("gzip", "x-gzip" or "*", without q=0).
bool AcceptsGzip(std::string_view header) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    const size_t semi = item.find(';');
    const std::string name = Lower(Trim(item.substr(0, semi)));
    if (name != "gzip" && name != "x-gzip" && name != "*") continue;
    bool zero_q = false;
    if (semi != std::string_view::npos) {
      const std::string params = Lower(Trim(item.substr(semi + 1)));
      if (params.rfind("q=", 0) == 0) {
        std::string_view q = std::string_view(params).substr(2);
        zero_q = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    if (!zero_q) return true;
  }
  return false;
}

// `s` for a log line: control characters and spaces as '?', at most 200 bytes.
std::string LogSafe(std::string_view s) {
  std::string out(s.substr(0, 200));
  for (char& c : out)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) c = '?';
  return out;
}

}  // namespace

struct HttpServer::Impl final : http::Handler {
  Impl(HubApi& a, std::FILE* l, const TlsFiles& tls, const http::FrontLimits& limits)
      : api(a), log(l), front(*this, WithBodyLimit(limits), {tls.cert_path, tls.key_path}) {}

  static http::FrontLimits WithBodyLimit(http::FrontLimits limits) {
    limits.parse.max_body = kMaxRawBody;
    return limits;
  }

  Response Handle(Request& req) override;
  Response Refuse(const http::ParseError& error, const Request& partial) override;
  ApiReply Route(Request& req, bool* close);
  // Limits and inflates the request body; on failure `*error` is the reply to send.
  bool ReadBody(const Request& req, std::string* body, ApiReply* error);
  // `reply` as HTTP, gzip if the client takes it, and its log line. `close`: close the
  // connection after it.
  Response Send(const Request& req, const ApiReply& reply, Clock::time_point start, bool close);
  ApiReply TooLarge(const std::string& size);

  HubApi& api;
  std::FILE* log;
  http::Front front;
  console::Console* console = nullptr;  // the web console's pages, if served
};

ApiReply HttpServer::Impl::TooLarge(const std::string& size) {
  return api.Error(p::kErrTooLarge, "body is " + size + "more than the limit of " +
                                        std::to_string(kMaxRawBody) + " bytes; send less at once");
}

bool HttpServer::Impl::ReadBody(const Request& req, std::string* body, ApiReply* error) {
  const std::string encoding = Lower(Trim(req.Header("Content-Encoding")));
  if (encoding.empty() || encoding == "identity") {
    *body = req.body;
    return true;
  }
  if (encoding != "gzip" && encoding != "x-gzip") {
    *error = api.Error(p::kErrBadRequest, "Content-Encoding " + LogSafe(encoding) +
                                              " is not spoken here; send gzip or no encoding");
    return false;
  }
  Result<std::string> inflated = p::GzipInflate(req.body, p::kMaxDecompressedBody);
  if (!inflated) {
    *error = api.Error(p::WireCode(inflated.error()), p::WireMessage(inflated.error()));
    return false;
  }
  *body = std::move(inflated).value();
  return true;
}

ApiReply HttpServer::Impl::Route(Request& req, bool* close) {
  if (req.method == "GET" && req.path == "/healthz") return api.Health();
  if (req.method == "GET" && req.path == "/v1/pull") {
    ApiRequest a;
    a.authorization = req.Header("Authorization");
    a.after = req.Param("after");
    a.limit = req.Param("limit");
    a.protocol = req.Param("protocol");
    return api.Pull(a);
  }
  if (req.method == "POST" && (req.path == "/v1/enroll" || req.path == "/v1/push")) {
    ApiRequest a;
    ApiReply error;
    if (!ReadBody(req, &a.body, &error)) {
      *close = true;
      return error;
    }
    req.body = std::string();
    a.authorization = req.Header("Authorization");
    a.remote_addr = req.remote_addr;
    return req.path == "/v1/push" ? api.Push(a) : api.Enroll(a);
  }
  if (IsLaptopsPath(req.path)) {  // laptops_api.h
    ApiRequest a;
    ApiReply error;
    if (req.method == "POST" && !ReadBody(req, &a.body, &error)) {
      *close = true;
      return error;
    }
    a.authorization = req.Header("Authorization");
    a.method = req.method;
    a.path = req.path;
    return api.Laptops(a);
  }
  return api.Error(p::kErrNotFound, "no such endpoint: " + LogSafe(req.method) + " " +
                                        LogSafe(req.path) + "; see docs/sync-protocol.md");
}

Response HttpServer::Impl::Handle(Request& req) {
  const Clock::time_point start = Clock::now();
  if (console && console::IsConsolePath(req.path)) {  // HTML pages: the console's own reply
    Response res = console->Handle(req);
    std::fprintf(log, "%s %s %d %zuB console\n", LogSafe(req.method).c_str(),
                 LogSafe(req.path).c_str(), res.status, res.body.size());
    std::fflush(log);
    return res;
  }
  bool close = false;
  ApiReply reply;
  try {
    reply = Route(req, &close);
  } catch (...) {
    // An exception that escaped an endpoint (a bug): the request is answered 500 and the
    // exception logged, and the hub goes on serving. The API's locks are scoped and the
    // store's transactions roll back on an exception (sqlite/hub_internal.h Transact), so
    // nothing is left held.
    std::string what = "an unknown exception";
    try {
      throw;
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    for (char& c : what)  // one line
      if (static_cast<unsigned char>(c) < 0x20) c = '?';
    std::fprintf(log, "error: %s %s failed: %s\n", LogSafe(req.method).c_str(),
                 LogSafe(req.path).c_str(), what.c_str());
    std::fflush(log);
    reply = api.Error(p::kErrInternal, "the hub failed on this request; retry later");
  }
  return Send(req, reply, start, close);
}

Response HttpServer::Impl::Refuse(const http::ParseError& error, const Request& partial) {
  ApiReply reply;
  if (error.status == 413)
    reply = TooLarge(error.declared_len.empty() ? "" : LogSafe(error.declared_len) + " bytes, ");
  else if (error.status == 400)
    reply = api.Error(p::kErrBadRequest, "the request could not be read as HTTP/1.1");
  else
    reply = api.Error(p::kErrBadRequest, error.message);
  reply.status = error.status;
  return Send(partial, reply, Clock::now(), /*close=*/true);
}

Response HttpServer::Impl::Send(const Request& req, const ApiReply& reply, Clock::time_point start,
                                bool close) {
  Response res;
  res.status = reply.status;
  res.close = close;
  res.headers.emplace_back("Content-Type", "application/json");
  res.headers.emplace_back("Vary", "Accept-Encoding");
  if (AcceptsGzip(req.Header("Accept-Encoding"))) {
    res.headers.emplace_back("Content-Encoding", "gzip");
    res.body = p::GzipCompress(reply.body, kReplyGzipLevel);
  } else {
    res.body = reply.body;
  }
  const std::string ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count());
  const std::string device = reply.device_id.empty() ? "-" : LogSafe(reply.device_id);
  const std::string method = req.method.empty() ? "-" : LogSafe(req.method);
  const std::string path = req.path.empty() ? "-" : LogSafe(req.path);
  // One call, so that lines from worker threads do not interleave.
  std::fprintf(log, "%s %s %d %zuB %sms device=%s\n", method.c_str(), path.c_str(), res.status,
               res.body.size(), ms.c_str(), device.c_str());
  std::fflush(log);
  return res;
}

HttpServer::HttpServer(HubApi& api, std::FILE* log, const TlsFiles& tls,
                       const http::FrontLimits& limits)
    : impl_(std::make_unique<Impl>(api, log, tls, limits)) {}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::SetConsole(console::Console* console) { impl_->console = console; }

Result<int> HttpServer::Bind(const std::string& host, int port) {
  return impl_->front.Listen(host, port);
}

Status HttpServer::Serve() { return impl_->front.Run(); }

void HttpServer::Stop() { impl_->front.Stop(); }

}  // namespace gocua::hub
