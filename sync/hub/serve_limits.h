#pragma once
// `gocua-hub serve`'s options for the HTTP front's limits (http/front.h FrontLimits), each
// optional: --max-connections, --max-connections-per-address, --header-timeout,
// --keepalive-timeout, --min-body-rate, --workers; and --trusted-proxy (client_address.h).
#include <string>

#include "base/result.h"
#include "sync/hub/args.h"
#include "sync/hub/http/front.h"

namespace gocua::hub {

// The limits `args` ask for, the defaults for those not given; kInvalidInput naming the option
// when a value is not a whole number in its range.
Result<http::FrontLimits> ServeLimits(const Args& args);

}  // namespace gocua::hub
