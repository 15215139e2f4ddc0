#include "tools/bench/sync_bench_wire.h"

#include <algorithm>

#include "sync/protocol/gzip.h"

namespace gocua::bench {
namespace {

// "http://127.0.0.1:4242/v1/pull?after=..." → "pull".
std::string KindOf(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return "other";
  std::string p = url.substr(path, url.find('?', path) - path);
  if (p.rfind("/v1/", 0) == 0) p = p.substr(4);
  if (!p.empty() && p[0] == '/') p = p.substr(1);
  return p.empty() ? "other" : p;
}

int64_t Size(const std::string& s) { return static_cast<int64_t>(s.size()); }

// The hub's reply level (kReplyGzipLevel, sync/hub/http_server.cpp).
constexpr int kHubReplyGzipLevel = 1;

}  // namespace

Result<client::HttpResponse> CountingTransport::Send(const client::HttpRequest& request,
                                                     const std::atomic<bool>* cancel) {
  Exchange e;
  e.kind = KindOf(request.url);
  e.request_body = request.body;
  e.request_gzipped = request.gzipped.size();
  e.request_gzip = request.method == client::HttpRequest::Method::kPost && request.gzip_body &&
                   request.body.size() >= gzip_min_bytes_;
  const auto start = std::chrono::steady_clock::now();
  Result<client::HttpResponse> reply = inner_.Send(request, cancel);
  e.waiting = std::chrono::steady_clock::now() - start;
  if (reply) {
    e.replied = true;
    e.reply_body = reply->body;
  }
  exchanges_.push_back(std::move(e));
  return reply;
}

std::map<std::string, WireTally> CountingTransport::Tally() const {
  std::map<std::string, WireTally> out;
  for (const Exchange& e : exchanges_) {
    WireTally& t = out[e.kind];
    ++t.requests;
    t.waiting += e.waiting;
    t.request_json += Size(e.request_body);
    // A body the engine gzipped ahead is sent as it is; else CurlTransport gzips it.
    t.request_sent += !e.request_gzip     ? Size(e.request_body)
                      : e.request_gzipped ? static_cast<int64_t>(e.request_gzipped)
                                          : Size(protocol::GzipCompress(e.request_body));
    if (!e.replied) {
      ++t.failed;
      continue;
    }
    t.reply_json += Size(e.reply_body);
    t.reply_sent += Size(protocol::GzipCompress(e.reply_body, kHubReplyGzipLevel));
  }
  return out;
}

WireTally Sum(const std::map<std::string, WireTally>& tallies,
              const std::vector<std::string>& kinds) {
  WireTally sum;
  for (const auto& [kind, t] : tallies) {
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) continue;
    sum.requests += t.requests;
    sum.failed += t.failed;
    sum.request_json += t.request_json;
    sum.request_sent += t.request_sent;
    sum.reply_json += t.reply_json;
    sum.reply_sent += t.reply_sent;
    sum.waiting += t.waiting;
  }
  return sum;
}

}  // namespace gocua::bench
