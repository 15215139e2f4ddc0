#include "tools/load/load_stats.h"

#include <algorithm>
#include <chrono>

namespace gocua::load {
namespace {

// "/v1/push", "/v1/pull", "/healthz", "/v1/enroll" from an absolute URL.
std::string Endpoint(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (path == std::string::npos) return "/";
  const size_t query = url.find('?', path);
  return url.substr(path, query == std::string::npos ? std::string::npos : query - path);
}

}  // namespace

void LoadStats::Reset() {
  std::lock_guard<std::mutex> lock(mutex_);
  endpoints_.clear();
  syncs_ = SyncCounts();
}

void LoadStats::Exchange(const std::string& url, double ms, int status) {
  std::lock_guard<std::mutex> lock(mutex_);
  EndpointStats& e = endpoints_[Endpoint(url)];
  if (status == 0) {
    ++e.no_reply;
    return;
  }
  ++e.answered;
  if (status == 429)
    ++e.rate_limited;
  else if (status >= 400)
    ++e.http_errors;
  else
    e.ms.push_back(ms);
}

void LoadStats::Sync(int64_t pushed, int64_t pulled, const std::string& failure) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++syncs_.syncs;
  syncs_.pushed += pushed;
  syncs_.pulled += pulled;
  if (failure == "cancelled") {
    ++syncs_.cancelled;
  } else if (!failure.empty()) {
    ++syncs_.failed;
    ++syncs_.failures[failure];
  }
}

void LoadStats::Visit() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++syncs_.visits;
}

std::map<std::string, EndpointStats> LoadStats::Endpoints() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return endpoints_;
}

SyncCounts LoadStats::Syncs() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return syncs_;
}

Result<client::HttpResponse> TimedTransport::Send(const client::HttpRequest& request,
                                                  const std::atomic<bool>* cancel) {
  const auto start = std::chrono::steady_clock::now();
  Result<client::HttpResponse> r = inner_.Send(request, cancel);
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const bool cancelled = cancel && cancel->load();
  if (!cancelled) stats_.Exchange(request.url, ms, r.ok() ? r->status : 0);
  return r;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(q * static_cast<double>(v.size()));
  return v[std::min(v.size() - 1, rank)];
}

}  // namespace gocua::load
