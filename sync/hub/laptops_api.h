#pragma once
// A leader's laptop managing its own commune's laptops, and a laptop retiring its old
// identity (docs/sync-protocol.md, "Leaders manage their commune's laptops"; messages in
// sync/protocol/laptops.h):
//   GET  /v1/laptops           list the commune's laptops (revoked and replaced ones too)
//   POST /v1/laptops/code      a one-time MEMBER enrollment code for the commune, with expiry
//   POST /v1/laptops/rename    rename one of the commune's laptops
//   POST /v1/laptops/revoke    revoke one (its token refused from the next request on)
//   POST /v1/retire            any laptop: its own identity retired, replaced by a new id
// Authority is the hub's record of the caller's device, never a claim: /v1/laptops* need a
// device enrolled (or set) as leader, and touch only devices of its commune. Anything else is
// 403 `forbidden` with a Vietnamese message; a device of another commune is answered exactly
// like an unknown one, so a leader learns nothing about other communes.
#include <string_view>

#include "platform/clock.h"
#include "sync/hub/api.h"
#include "sync/hub/laptops_limit.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub {

// Whether `path` is one of the endpoints above (the router's test).
bool IsLaptopsPath(std::string_view path);

// Serves `req` (method, path and inflated body set) for `caller`, already authenticated.
// Errors are made with api.Error (they carry server_time). REQUIRES: the caller holds the
// HubApi's mutex (every store call is made under it), which also guards `limit`.
ApiReply ServeLaptops(HubApi& api, HubStore& store, const Clock& clock, const HubDevice& caller,
                      const ApiRequest& req, LaptopCodeLimit& limit);

}  // namespace gocua::hub
