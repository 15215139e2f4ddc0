#pragma once
// A Response (front.h) as the bytes of an HTTP/1.1 reply: the status line with its reason
// phrase ("Unknown" for a status the hub does not send), the handler's headers, then Content-Length
// and Connection (and Keep-Alive) from the front, which the handler does not set; then the body. No
// I/O.
//
// Threading: pure functions (worker threads call them).
#include <string>

#include "sync/hub/http/front.h"

namespace gocua::hub::http {

// The reply's bytes. `close`: "Connection: close"; otherwise the connection is kept alive
// and "Keep-Alive: timeout=" says limits.idle_timeout_s.
std::string Serialize(const Response& r, bool close, const FrontLimits& limits);

}  // namespace gocua::hub::http
