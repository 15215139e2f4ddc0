#pragma once
// The province's web console, served by gocua-hub under /console/ (docs/console.md):
// administrators sign in (accounts from `gocua-hub admin add`), then manage communes and their
// villages, leaders and their leader-device enrollment codes, a commune's devices, and read
// quarantined ops, open conflicts and coverage across the province (with an XLSX).
//
// Security: every page and action but the sign-in form and the static CSS/JS needs a session
// (a random id in an HttpOnly, SameSite=Strict cookie, Secure over TLS or behind a proxy that
// says X-Forwarded-Proto: https); a device's Bearer token opens nothing here. Sessions live in
// the hub store (only the id's SHA-256), so several hub processes on one database serve one
// console. A sign-in always makes a new id (no fixation). Every POST carries the session's CSRF
// token. Five failed sign-ins in a row lock the account for 15 minutes. Every action, sign-ins
// and refusals included, goes to the audit log.
//
// Threading: Handle() from any thread; calls to the store are serialised by one mutex. The
// store and clock must outlive the Console.
#include <cstdint>
#include <mutex>
#include <string_view>

#include "platform/clock.h"
#include "sync/hub/http/request_parser.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub::http {
struct Response;
}

namespace gocua::hub::console {

// Session and lockout limits.
inline constexpr int64_t kSessionIdleMs = 30 * 60 * 1000;      // 30 minutes unused
inline constexpr int64_t kSessionMaxMs = 12 * 60 * 60 * 1000;  // 12 hours after sign-in
inline constexpr int kMaxFailedSignIns = 5;                    // in a row, then locked
inline constexpr int64_t kLockMs = 15 * 60 * 1000;             // for 15 minutes
inline constexpr const char* kSessionCookie = "gocua_session";
// Expired sessions' rows are deleted at every sign-in and at most this often otherwise.
inline constexpr int64_t kSweepEveryMs = 10 * 60 * 1000;

// Whether `path` is the console's ("/console" or under "/console/").
bool IsConsolePath(std::string_view path);

class Console {
 public:
  // `tls`: the hub serves HTTPS itself (cookies are then Secure).
  Console(HubStore& store, const Clock& clock, bool tls);
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // The reply to a request for a console path. Never throws for bad input (4xx pages).
  http::Response Handle(const http::Request& req);

 private:
  HubStore& store_;
  const Clock& clock_;
  bool tls_;
  std::mutex mutex_;        // guards every use of store_ and last_sweep_
  int64_t last_sweep_ = 0;  // hub clock of the last sweep of expired sessions
};

}  // namespace gocua::hub::console
