#pragma once
// The hub's HTTP API without the HTTP: each endpoint of docs/sync-protocol.md as a function
// from a request (already read, size-checked and inflated by the transport) to a status and a
// JSON body. The transport (http_server.h) does sockets, limits, gzip and logging.
//
// Threading: any thread. Every HubStore call is made under one mutex, so one HubStore (one
// SQLite connection) serves all of the server's worker threads — unless the store takes
// concurrent calls (HubStore::ConcurrentCalls: PostgreSQL's pool), then only enrollment's rate
// limit is under the mutex and requests reach the store side by side.
// Failure: bad input gives a 4xx reply, a store failure a 500; nothing here throws or aborts.
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "platform/clock.h"
#include "sync/hub/enroll_limit.h"
#include "sync/hub/laptops_limit.h"
#include "sync/hub/store/hub_store.h"
#include "sync/protocol/messages.h"

namespace gocua::hub {

struct ApiRequest {
  std::string authorization;  // the Authorization header, "" if absent
  std::string remote_addr;    // the client's address, for enrollment's rate limit
  std::string body;           // the request body, inflated
  // Pull's query parameters, "" when absent.
  std::string after, limit, protocol;
  std::string method, path;  // for Laptops(), which serves several endpoints
};

struct ApiReply {
  int status = 200;
  std::string body;       // compact JSON: a message, or {"error": {...}, "server_time": ...}
  std::string device_id;  // the authenticated device, "" if none (for the log)
};

class HubApi {
 public:
  // `store` and `clock` must outlive the HubApi; so must `warnings` (problems an admin should
  // see, one line each; nullptr for none).
  HubApi(HubStore& store, const Clock& clock, std::FILE* warnings = nullptr)
      : store_(store), clock_(clock), warnings_(warnings) {}
  // Speak only `versions` (non-empty, each in protocol::kSupportedVersions): GET /healthz lists
  // them and a request in another version is answered protocol_mismatch, as a hub built before
  // the others would. For testing apps against an older hub (gocua-hub serve
  // --protocol-versions). Call before serving.
  void SpeakOnly(std::vector<int> versions) { versions_ = std::move(versions); }
  HubApi(const HubApi&) = delete;
  HubApi& operator=(const HubApi&) = delete;

  // GET /healthz: 200 with the versions spoken while the store's database answers
  // (HubStore::Ping), 503 `unavailable` with a Vietnamese message when it does not (nginx takes
  // the hub out of its upstreams until it answers again).
  ApiReply Health();
  // POST /v1/enroll. Refused attempts are rate-limited per address and per commune
  // (enroll_limit.h): 429 rate_limited, saying how long to wait.
  ApiReply Enroll(const ApiRequest& req);
  ApiReply Push(const ApiRequest& req);  // POST /v1/push
  ApiReply Pull(const ApiRequest& req);  // GET /v1/pull
  // GET /v1/laptops, POST /v1/laptops/{code,rename,revoke}, POST /v1/retire: a leader's laptop
  // managing its commune's laptops, a laptop retiring its old identity (laptops_api.h).
  ApiReply Laptops(const ApiRequest& req);
  // An error reply made elsewhere (the transport's limits, unknown paths), with server_time.
  ApiReply Error(std::string_view code, std::string_view message);

 private:
  // The device whose token `authorization` carries, or the 401 reply to send.
  // REQUIRES: mutex_ is held.
  bool Authenticate(const std::string& authorization, HubDevice* device, ApiReply* reply);
  ApiReply Fail(const Status& s);                   // the error reply for `s`, by its wire code
  ApiReply Reply(const protocol::ErrorBody& body);  // `body` with server_time, by its code
  // mutex_ held unless the store takes concurrent calls.
  std::unique_lock<std::mutex> StoreLock() {
    return store_.ConcurrentCalls() ? std::unique_lock<std::mutex>()
                                    : std::unique_lock<std::mutex>(mutex_);
  }

  HubStore& store_;
  const Clock& clock_;
  std::FILE* warnings_;
  std::vector<int> versions_{protocol::kSupportedVersions.begin(),
                             protocol::kSupportedVersions.end()};
  EnrollLimit enroll_limit_;    // guarded by mutex_
  LaptopCodeLimit code_limit_;  // guarded by mutex_: codes from leaders' laptops
  std::mutex mutex_;  // guards enroll_limit_ and code_limit_, and store_ unless ConcurrentCalls()
};

}  // namespace gocua::hub
