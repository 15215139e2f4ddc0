#pragma once
// What GET /healthz must answer (HubApi::Health): 200 with the protocol versions while the
// hub's store answers, 503 "unavailable" with a plain Vietnamese message while it does not. For
// the health tests of both stores (pg_healthz_test.cpp, sqlite_healthz_test.cpp).
#include <doctest/doctest.h>

#include <initializer_list>

#include "sync/protocol/protocol.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua::hub_http {

inline void CheckHealthy(int port) {
  const HttpReply up = Http(port, "GET", "/healthz");
  INFO(up.body);
  CHECK(up.status == 200);
  CHECK(Contains(up.body, "supported_versions"));
}

// Asked twice: the first call may find what the hub kept from before the fault (a pooled
// session, a cached page), the second must not. The message holds each of `says`.
inline void CheckUnavailable(int port, std::initializer_list<const char*> says) {
  for (int i = 0; i < 2; ++i) {
    const HttpReply down = Http(port, "GET", "/healthz");
    INFO(down.body);
    CHECK(down.status == 503);
    CHECK(down.Error().code == protocol::kErrUnavailable);
    CHECK(Contains(down.Error().message, "tạm thời không dùng được cơ sở dữ liệu"));
    for (const char* s : says) CHECK(Contains(down.Error().message, s));
  }
}

}  // namespace gocua::hub_http
