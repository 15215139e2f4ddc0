#pragma once
// A laptop's calls to the hub's laptop endpoints (sync/protocol/laptops.h,
// docs/sync-protocol.md "Leaders manage their commune's laptops"): a leader's laptop issues
// member enrollment codes and lists, renames and revokes its commune's laptops; any laptop
// retires its old identity after reset-device. For gocua-cli's `laptops` commands and the
// app's screen.
//
// Each call is one HTTP exchange through the transport, no retry (a person is waiting and can
// press again). Failures are Status values a person can act on, Vietnamese first: kIo when the
// hub could not be reached or failed (5xx); kInvalidInput for a refusal (403 with the hub's
// reason, 401 for a revoked token, 400, 429 for too many codes with the hub's wait); kCorrupt
// for a reply that is not the protocol's.
// Threading: as the transport (one call at a time).
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/client/http_transport.h"
#include "sync/protocol/laptops.h"

namespace gocua::client {

class LaptopsClient {
 public:
  // `hub_url` as enrolled (SyncState::hub_url), `token` this laptop's. `transport` must
  // outlive the client.
  LaptopsClient(HttpTransport& transport, std::string hub_url, std::string token)
      : transport_(transport), url_(std::move(hub_url)), token_(std::move(token)) {}

  // A one-time code enrolling one member laptop into this laptop's commune, valid
  // `ttl_minutes` (1..protocol::kMaxLaptopCodeMinutes).
  Result<protocol::LaptopCodeResponse> IssueMemberCode(int64_t ttl_minutes);
  // The commune's laptops, revoked and replaced ones included, oldest enrolled first.
  Result<std::vector<protocol::LaptopInfo>> List();
  Result<protocol::LaptopInfo> Rename(const std::string& device_id, const std::string& name);
  // The laptop's token stops working at once; what it had not sent stays on it, unsent.
  Result<protocol::LaptopInfo> Revoke(const std::string& device_id);
  // Called with the OLD identity's token after reset-device: that identity is retired on the
  // hub, replaced by `new_device_id`. A 401 (the old token already revoked) is success: there
  // is nothing left to retire.
  Status RetireOldIdentity(const std::string& new_device_id);

  // How the last call ended, for a screen that words each case itself: the HTTP status (0 when
  // no reply came) and the hub's own message from its error body ("" when none).
  int last_status() const { return last_status_; }
  const std::string& last_hub_message() const { return last_hub_message_; }

 private:
  // One exchange; a transport failure as NetworkError.
  Result<HttpResponse> Exchange(HttpRequest::Method method, const std::string& path,
                                const std::string& body);
  // The error for a reply other than 200 to `path`.
  Status Refusal(const HttpResponse& r, const std::string& path) const;
  // The reply body of a 200, or the error for anything else.
  Result<std::string> Call(HttpRequest::Method method, const std::string& path,
                           const std::string& body);

  HttpTransport& transport_;
  std::string url_, token_;
  int last_status_ = 0;
  std::string last_hub_message_;
};

}  // namespace gocua::client
