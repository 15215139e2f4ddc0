// The console's door: language, session, CSRF, sign-out, the sweep of expired sessions, and
// the routes to the pages (context.h); the sign-in is signin.cpp. What it enforces is in
// console.h.
#include "sync/hub/console/console.h"

#include <exception>

#include "platform/crypto.h"
#include "storage/core/ids.h"
#include "storage/device/members.h"
#include "sync/hub/console/context.h"
#include "sync/hub/console/door.h"
#include "sync/hub/console/form.h"
#include "sync/hub/store/sha256.h"

namespace gocua::hub::console {
namespace {

std::string HeaderOf(const http::Request& req, std::string_view name) {
  for (const auto& [n, v] : req.headers) {
    if (n.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(n[i])) ==
             std::tolower(static_cast<unsigned char>(name[i]));
    if (same) return v;
  }
  return {};
}

// The page or action for a signed-in request.
http::Response Route(Ctx& c) {
  const std::string& path = c.req.path;
  const bool post = c.req.method == "POST";
  if (!post && c.req.method != "GET") return ErrorPage(c, 405, c.T("error.method"));
  if (path == "/console" || path == "/console/") return Redirect(c, "/console/communes");
  auto sub = [&](const char* prefix, std::string* rest) {
    const std::string p(prefix);
    if (path == p) {
      rest->clear();
      return true;
    }
    if (path.rfind(p + "/", 0) == 0) {
      *rest = path.substr(p.size() + 1);
      return true;
    }
    return false;
  };
  std::string rest;
  if (sub("/console/communes", &rest))
    return post ? CommunesPost(c, rest) : rest.empty() ? CommunesGet(c) : ErrorPage(c, 404, "");
  if (sub("/console/leaders", &rest))
    return post ? LeadersPost(c, rest) : rest.empty() ? LeadersGet(c) : ErrorPage(c, 404, "");
  if (sub("/console/devices", &rest))
    return post ? DevicesPost(c, rest) : rest.empty() ? DevicesGet(c) : ErrorPage(c, 404, "");
  if (path == "/console/quarantine" && !post) return QuarantineGet(c);
  if (path == "/console/conflicts" && !post) return ConflictsGet(c);
  if (path == "/console/coverage.xlsx" && !post) return CoverageXlsx(c);
  if (sub("/console/coverage", &rest))
    return post ? CoveragePost(c, rest) : rest.empty() ? CoverageGet(c) : ErrorPage(c, 404, "");
  if (path == "/console/audit" && !post) return AuditGet(c);
  if (sub("/console/accounts", &rest))
    return post ? AccountsPost(c, rest) : rest.empty() ? AccountsGet(c) : ErrorPage(c, 404, "");
  return ErrorPage(c, 404, c.T("error.notfound"));
}

void Finish(const Ctx& c, http::Response& r) {
  for (const std::string& v : c.set_cookies) r.headers.emplace_back("Set-Cookie", v);
  bool typed = false;
  for (const auto& [n, v] : r.headers) typed = typed || n == "Content-Type";
  if (!typed) r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("X-Frame-Options", "DENY");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                         "form-action 'self'; base-uri 'none'");
}

}  // namespace

bool IsConsolePath(std::string_view path) {
  return path == "/console" || path.rfind("/console/", 0) == 0;
}

Console::Console(HubStore& store, const Clock& clock, bool tls)
    : store_(store), clock_(clock), tls_(tls) {}

http::Response Console::Handle(const http::Request& req) {
  if (req.path.rfind("/console/static/", 0) == 0 && req.method == "GET") {
    http::Response r = StaticAsset(req.path.substr(16));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  Ctx c{req, store_, clock_};
  c.secure = tls_ || HeaderOf(req, "X-Forwarded-Proto") == "https";
  for (const auto& [n, v] : req.params) c.query.emplace(n, v);
  const auto cookies = ParseCookies(HeaderOf(req, "Cookie"));
  // Language: ?lang= switches and is remembered in a cookie; Vietnamese by default.
  std::string lang = c.Q("lang");
  if (lang == "vi" || lang == "en")
    c.set_cookies.push_back(Cookie(c, kLangCookie, lang, 365 * 24 * 3600));
  else if (auto it = cookies.find(kLangCookie); it != cookies.end())
    lang = it->second;
  c.lang = lang == "en" ? Lang::kEn : Lang::kVi;
  if (req.method == "POST") {
    const std::string type = HeaderOf(req, "Content-Type");
    if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
      http::Response r = ErrorPage(c, 415, c.T("error.form"));
      Finish(c, r);
      return r;
    }
    c.form = ParseForm(req.body);
  }

  // Expired sessions are deleted, not only refused: at every sign-in, and now and then.
  if (const int64_t now = clock_.NowMs(); now - last_sweep_ >= kSweepEveryMs ||
                                          (req.path == "/console/signin" && req.method == "POST")) {
    (void)store_.SweepConsoleSessions(now - kSessionIdleMs, now - kSessionMaxMs);
    last_sweep_ = now;
  }

  // The session, if the browser holds a live one.
  std::string session_hash;
  bool signed_in = false;
  if (auto it = cookies.find(kSessionCookie); it != cookies.end() && !it->second.empty()) {
    session_hash = hub_internal::Sha256Hex(it->second);
    auto s = store_.FindConsoleSession(session_hash);
    const int64_t now = clock_.NowMs();
    if (s && now - s->last_seen < kSessionIdleMs && now - s->created_at < kSessionMaxMs) {
      c.session = *s;
      signed_in = true;
    } else if (s) {
      (void)store_.DeleteConsoleSession(session_hash);  // expired: gone for every process
    }
  }

  http::Response r;
  try {
    if (req.path == "/console/signin") {
      if (req.method == "POST")
        r = SignIn(c, cookies, session_hash);
      else if (signed_in)
        r = Redirect(c, "/console/communes");
      else
        r = SignInPage(c, "");
    } else if (!signed_in) {
      // Nothing without a session: a page sends the browser to sign in, anything else is 401.
      if (req.method == "GET") {
        r = Redirect(c, "/console/signin");
      } else {
        r = ErrorPage(c, 401, c.T("error.session"));
      }
    } else if (req.method == "POST" && !SameSecret(c.session.csrf, c.F("csrf"))) {
      (void)Audit(c, "csrf.refused", req.path);
      r = ErrorPage(c, 403, c.T("error.csrf"));
    } else if (req.path == "/console/signout" && req.method == "POST") {
      (void)Audit(c, "signout", "");
      (void)store_.DeleteConsoleSession(session_hash);
      c.set_cookies.push_back(Cookie(c, kSessionCookie, "", 0));
      r = Redirect(c, "/console/signin");
    } else {
      if (Status s = store_.TouchConsoleSession(session_hash); !s)
        r = ErrorPage(c, 500, StoreMessage(c, s));
      else
        r = Route(c);
    }
  } catch (const std::exception& e) {
    r = ErrorPage(c, 500, std::string(c.T("error.internal")) + " (" + e.what() + ")");
  }
  Finish(c, r);
  return r;
}

}  // namespace gocua::hub::console
