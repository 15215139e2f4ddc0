#pragma once
// What gocua-load measures: each HTTP exchange's latency by endpoint (push, pull, healthz,
// enroll), as the sync engine's transport saw it (request sent to reply read, retries
// counted one by one), its outcome, and the sync runs' counts.
//
// Threading: every method may be called from any thread (one mutex).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "sync/client/http_transport.h"

namespace gocua::load {

struct EndpointStats {
  std::vector<double> ms;    // latencies of the exchanges answered 2xx
  int64_t answered = 0;      // any HTTP status
  int64_t http_errors = 0;   // 4xx/5xx other than 429
  int64_t rate_limited = 0;  // 429: a proxy's or the hub's limit (the engine retries)
  int64_t no_reply = 0;      // transport failures: refused, cut, timed out
};

struct SyncCounts {
  int64_t syncs = 0, failed = 0, cancelled = 0;
  int64_t pushed = 0, pulled = 0, visits = 0;
  std::map<std::string, int64_t> failures;  // FailureName → count
};

class LoadStats {
 public:
  // Starts counting afresh (after enrollment, so the table shows the steady load only).
  void Reset();
  // One exchange to `url` ("…/v1/push") that took `ms`; `status` 0 = no reply.
  void Exchange(const std::string& url, double ms, int status);
  void Sync(int64_t pushed, int64_t pulled, const std::string& failure);  // failure "" = ok
  void Visit();

  std::map<std::string, EndpointStats> Endpoints() const;
  SyncCounts Syncs() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, EndpointStats> endpoints_;
  SyncCounts syncs_;
};

// An HttpTransport that times each exchange of the transport it wraps into a LoadStats.
class TimedTransport final : public client::HttpTransport {
 public:
  TimedTransport(client::HttpTransport& inner, LoadStats& stats) : inner_(inner), stats_(stats) {}
  Result<client::HttpResponse> Send(const client::HttpRequest& request,
                                    const std::atomic<bool>* cancel) override;

 private:
  client::HttpTransport& inner_;
  LoadStats& stats_;
};

// The `q` quantile (0..1) of `v` (nearest rank), 0 if empty.
double Quantile(std::vector<double> v, double q);

}  // namespace gocua::load
