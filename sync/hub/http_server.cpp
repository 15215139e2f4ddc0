#include "sync/hub/http_server.h"

#include <httplib.h>

#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>

#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"

namespace gocua::hub {
namespace {

namespace p = gocua::protocol;
using Clock = std::chrono::steady_clock;

// Debian's cpp-httplib is built with zlib and brotli: it would inflate a request body itself,
// with no limit at all, and compress replies on its own. The pre-routing handler moves these
// two headers out of its sight, to names only this file reads.
constexpr const char* kHiddenContentEncoding = "X-Gocua-Hidden-Content-Encoding";
constexpr const char* kHiddenAcceptEncoding = "X-Gocua-Hidden-Accept-Encoding";

// What the log line of the request on this worker thread needs beyond the request and reply.
// httplib answers one request at a time per thread, start to end.
struct RequestLog {
  bool started = false;
  Clock::time_point start;
  std::string device;
};
thread_local RequestLog t_log;

void MoveHeader(httplib::Headers& headers, const char* from, const char* to) {
  headers.erase(to);  // a client's own copy of the hidden name is not trusted
  auto range = headers.equal_range(from);
  std::vector<std::string> values;
  for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
  headers.erase(from);
  for (std::string& v : values) headers.emplace(to, std::move(v));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

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

struct HttpServer::Impl {
  Impl(HubApi& a, std::FILE* l, const TlsFiles& tls)
      : api(a),
        log(l),
        tls_enabled(tls.enabled()),
        owned(tls.enabled() ? std::make_unique<httplib::SSLServer>(tls.cert_path.c_str(),
                                                                   tls.key_path.c_str())
                            : std::make_unique<httplib::Server>()),
        server(*owned) {}

  // Reads, limits and inflates the request body; on failure `*error` is the reply to send.
  bool ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                std::string* body, ApiReply* error);
  // Sends `reply`, gzip if the client takes it. `close`: the body was not read to its end.
  void Send(const httplib::Request& req, httplib::Response& res, const ApiReply& reply,
            bool close = false);
  void Log(const httplib::Request& req, const httplib::Response& res);

  HubApi& api;
  std::FILE* log;
  const bool tls_enabled;
  std::unique_ptr<httplib::Server> owned;  // an httplib::SSLServer with TLS
  httplib::Server& server;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> serving{false};
};

bool HttpServer::Impl::ReadBody(const httplib::Request& req, const httplib::ContentReader& reader,
                                std::string* body, ApiReply* error) {
  // `size`: "N bytes, " when known.
  auto too_large = [&](const std::string& size) {
    *error =
        api.Error(p::kErrTooLarge, "body is " + size + "more than the limit of " +
                                       std::to_string(kMaxRawBody) + " bytes; send less at once");
    return false;
  };
  if (req.has_header("Content-Length")) {
    // httplib refuses a Content-Length that is not a number before routing.
    const std::string len = req.get_header_value("Content-Length");
    if (len.size() > 18 || std::strtoull(len.c_str(), nullptr, 10) > kMaxRawBody)
      return too_large(LogSafe(len) + " bytes, ");
  }
  // A request with neither Content-Length nor chunked encoding has no body (RFC 9112 6.3);
  // httplib would wait for the connection to close instead.
  if (!req.has_header("Content-Length") &&
      Lower(req.get_header_value("Transfer-Encoding")).find("chunked") == std::string::npos) {
    *body = std::string();
    return true;
  }
  std::string raw;
  bool over = false;
  const bool ok = reader([&](const char* data, size_t n) {
    if (raw.size() + n > kMaxRawBody) {
      over = true;
      return false;
    }
    raw.append(data, n);
    return true;
  });
  if (over) return too_large("");
  if (!ok) {
    *error = api.Error(p::kErrBadRequest,
                       "the request body could not be read to its end; send it again");
    return false;
  }
  const std::string encoding = Lower(Trim(req.get_header_value(kHiddenContentEncoding)));
  if (encoding.empty() || encoding == "identity") {
    *body = std::move(raw);
    return true;
  }
  if (encoding != "gzip" && encoding != "x-gzip") {
    *error = api.Error(p::kErrBadRequest, "Content-Encoding " + LogSafe(encoding) +
                                              " is not spoken here; send gzip or no encoding");
    return false;
  }
  Result<std::string> inflated = p::GzipInflate(raw, p::kMaxDecompressedBody);
  if (!inflated) {
    *error = api.Error(p::WireCode(inflated.error()), p::WireMessage(inflated.error()));
    return false;
  }
  *body = std::move(inflated).value();
  return true;
}

void HttpServer::Impl::Send(const httplib::Request& req, httplib::Response& res,
                            const ApiReply& reply, bool close) {
  res.status = reply.status;
  res.set_header("Vary", "Accept-Encoding");
  if (close) res.set_header("Connection", "close");
  t_log.device = reply.device_id;
  if (AcceptsGzip(req.get_header_value(kHiddenAcceptEncoding))) {
    res.set_header("Content-Encoding", "gzip");
    res.set_content(p::GzipCompress(reply.body, kReplyGzipLevel), "application/json");
  } else {
    res.set_content(reply.body, "application/json");
  }
}

void HttpServer::Impl::Log(const httplib::Request& req, const httplib::Response& res) {
  std::string ms = "-";
  if (t_log.started)
    ms = std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t_log.start).count());
  const std::string device = t_log.device.empty() ? "-" : LogSafe(t_log.device);
  const std::string method = req.method.empty() ? "-" : LogSafe(req.method);
  const std::string path = req.path.empty() ? "-" : LogSafe(req.path);
  // One call, so that lines from worker threads do not interleave.
  std::fprintf(log, "%s %s %d %zuB %sms device=%s\n", method.c_str(), path.c_str(), res.status,
               res.body.size(), ms.c_str(), device.c_str());
  std::fflush(log);
  t_log = {};
}

HttpServer::HttpServer(HubApi& api, std::FILE* log, const TlsFiles& tls)
    : impl_(std::make_unique<Impl>(api, log, tls)) {
  httplib::Server& s = impl_->server;
  Impl* impl = impl_.get();
  s.set_payload_max_length(kMaxRawBody);
  s.set_tcp_nodelay(true);
  // An idle connection holds a worker until this passes, and Stop() waits for the workers:
  // short, so that SIGTERM ends the hub within about two seconds. Sync clients send their
  // requests back to back, so a short idle time costs them at most a new connection.
  s.set_keep_alive_timeout(2);
  // A sync sends hundreds of requests back to back on one connection (a 10,000-visit pull is
  // ~230 pages); httplib's default closes it every 5, a new TCP (and later TLS) handshake each.
  s.set_keep_alive_max_count(10000);

  s.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    t_log = {true, Clock::now(), {}};
    // httplib hands every handler the Request it owns (not a const object), and reads these
    // headers only after routing: to inflate the body and to compress the reply.
    auto& headers = const_cast<httplib::Request&>(req).headers;
    MoveHeader(headers, "Content-Encoding", kHiddenContentEncoding);
    MoveHeader(headers, "Accept-Encoding", kHiddenAcceptEncoding);
    return httplib::Server::HandlerResponse::Unhandled;
  });

  s.Get("/healthz", [impl](const httplib::Request& req, httplib::Response& res) {
    impl->Send(req, res, impl->api.Health());
  });
  s.Get("/v1/pull", [impl](const httplib::Request& req, httplib::Response& res) {
    ApiRequest a;
    a.authorization = req.get_header_value("Authorization");
    a.after = req.get_param_value("after");
    a.limit = req.get_param_value("limit");
    a.protocol = req.get_param_value("protocol");
    impl->Send(req, res, impl->api.Pull(a));
  });
  using Endpoint = ApiReply (HubApi::*)(const ApiRequest&);
  auto post = [impl](Endpoint endpoint) {
    return [impl, endpoint](const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) {
      ApiRequest a;
      ApiReply error;
      if (!impl->ReadBody(req, reader, &a.body, &error)) {
        impl->Send(req, res, error, /*close=*/true);
        return;
      }
      a.authorization = req.get_header_value("Authorization");
      a.remote_addr = req.remote_addr;
      impl->Send(req, res, (impl->api.*endpoint)(a));
    };
  };
  s.Post("/v1/enroll", post(&HubApi::Enroll));
  s.Post("/v1/push", post(&HubApi::Push));

  // Replies httplib makes itself (no route, a body it could not read) get an error body too.
  s.set_error_handler(httplib::Server::HandlerWithResponse([impl](const httplib::Request& req,
                                                                  httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiReply reply;
    if (res.status == 404)
      reply =
          impl->api.Error(p::kErrNotFound, "no such endpoint: " + LogSafe(req.method) + " " +
                                               LogSafe(req.path) + "; see docs/sync-protocol.md");
    else if (res.status == 413)
      reply = impl->api.Error(p::kErrTooLarge, "the request is too large; send less at once");
    else if (res.status >= 500)
      reply = impl->api.Error(p::kErrInternal, "the hub failed; retry later");
    else
      reply = impl->api.Error(p::kErrBadRequest, "the request could not be read as HTTP/1.1");
    const int status = res.status;
    impl->Send(req, res, reply);
    res.status = status;
    return httplib::Server::HandlerResponse::Handled;
  }));
  // An exception that escaped an endpoint (a bug): the request is answered 500 and the
  // exception logged, and the hub goes on serving. The API's locks are scoped and the store's
  // transactions roll back on an exception (sqlite/hub_internal.h Transact), so nothing is
  // left held.
  s.set_exception_handler(
      [impl](const httplib::Request& req, httplib::Response& res, std::exception_ptr e) {
        std::string what = "an unknown exception";
        try {
          if (e) std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          what = ex.what();
        } catch (...) {
        }
        for (char& c : what)  // one line
          if (static_cast<unsigned char>(c) < 0x20) c = '?';
        std::fprintf(impl->log, "error: %s %s failed: %s\n", LogSafe(req.method).c_str(),
                     LogSafe(req.path).c_str(), what.c_str());
        std::fflush(impl->log);
        impl->Send(req, res,
                   impl->api.Error(p::kErrInternal, "the hub failed on this request; retry later"));
      });
  s.set_logger(
      [impl](const httplib::Request& req, const httplib::Response& res) { impl->Log(req, res); });
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind(const std::string& host, int port) {
  httplib::Server& s = impl_->server;
  if (!s.is_valid())
    return Status(ErrorCode::kInvalidInput,
                  "could not load the TLS certificate or key (PEM files, the key unencrypted); "
                  "check --tls-cert and --tls-key");
  if (port == 0) {
    const int bound = s.bind_to_any_port(host);
    if (bound > 0) return bound;
  } else if (s.bind_to_port(host, port)) {
    return port;
  }
  return Status(ErrorCode::kIo, "could not listen on " + host + ":" + std::to_string(port) +
                                    " (address in use, not this machine's, or not allowed); "
                                    "pick another --listen address or port");
}

Status HttpServer::Serve() {
  impl_->serving = true;
  bool ok = true;
  if (!impl_->stop_requested) ok = impl_->server.listen_after_bind();
  impl_->serving = false;
  if (!ok && !impl_->stop_requested)
    return Status(ErrorCode::kIo, "the server stopped accepting connections");
  return Status::Ok();
}

void HttpServer::Stop() {
  if (impl_->stop_requested.exchange(true)) return;
  // Serve() may be between its check of stop_requested and httplib's listen loop: wait until
  // that loop runs (or Serve() returned) so that stop() reaches it.
  while (impl_->serving) {
    if (impl_->server.is_running()) {
      impl_->server.stop();
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace gocua::hub
