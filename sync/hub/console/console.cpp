// The console's door: language, session, CSRF, sign-in and sign-out, and the routes to the
// pages (context.h). What it enforces is in console.h.
#include "sync/hub/console/console.h"

#include <exception>

#include "platform/crypto.h"
#include "storage/core/ids.h"
#include "storage/device/members.h"
#include "sync/hub/console/context.h"
#include "sync/hub/console/form.h"
#include "sync/hub/store/sha256.h"

namespace gocua::hub::console {
namespace {

constexpr const char* kPreCookie = "gocua_signin";  // the sign-in form's double-submit token
constexpr const char* kLangCookie = "gocua_lang";

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

bool SameSecret(const std::string& a, const std::string& b) {
  return !a.empty() && a.size() == b.size() && ConstantTimeEqual(a.data(), b.data(), a.size());
}

std::string Cookie(const Ctx& c, const std::string& name, const std::string& value,
                   int64_t max_age_s) {
  std::string s = name + "=" + value + "; Path=/console; HttpOnly; SameSite=Strict";
  if (max_age_s >= 0) s += "; Max-Age=" + std::to_string(max_age_s);
  if (c.secure) s += "; Secure";
  return s;
}

http::Response SignInPage(Ctx& c, const std::string& error, int status = 200) {
  // A fresh double-submit token for the form: a page elsewhere cannot read it, so it cannot
  // sign a browser in to an account of its choosing (login CSRF).
  const std::string pre = RandomHex(16);
  c.set_cookies.push_back(Cookie(c, kPreCookie, pre, 600));
  std::string body;
  if (!error.empty()) body += "<p class=\"error\" id=\"error\">" + Esc(error) + "</p>";
  body +=
      "<form method=\"post\" action=\"/console/signin\" class=\"signin\">"
      "<input type=\"hidden\" name=\"csrf\" value=\"" +
      pre +
      "\">"
      "<label>" +
      std::string(c.T("signin.name")) +
      "<input name=\"name\" id=\"name\" autocomplete=\"username\" required autofocus></label>"
      "<label>" +
      std::string(c.T("signin.password")) +
      "<input name=\"password\" id=\"password\" type=\"password\" "
      "autocomplete=\"current-password\" required></label>"
      "<button id=\"signin\">" +
      std::string(c.T("signin.button")) +
      "</button></form>"
      "<p class=\"hint\">" +
      std::string(c.T("signin.hint")) + "</p>";
  Frame f{c.lang, c.T("signin.title"), "", "", "", c.Self()};
  http::Response r;
  r.status = status;
  r.body = Page(f, body);
  return r;
}

// POST /console/signin.
http::Response SignIn(Ctx& c, const std::map<std::string, std::string>& cookies,
                      const std::string& old_session_hash) {
  auto pre = cookies.find(kPreCookie);
  if (pre == cookies.end() || !SameSecret(pre->second, c.F("csrf")))
    return SignInPage(c, c.T("signin.expired"), 403);
  const std::string name = c.F("name"), password = c.F("password");
  const int64_t now = c.clock.NowMs();
  auto fail = [&](const std::string& why) {
    AuditEntry e{now, name, "signin.refused", why, c.req.remote_addr};
    (void)c.store.AppendAudit(e);
    return SignInPage(c, c.T("signin.wrong"), 401);
  };
  auto admin = c.store.FindConsoleAdmin(name);
  if (!admin) {
    // Spend the KDF's time anyway, so that a wrong name answers as slowly as a wrong password.
    (void)VerifyPin(password, NewPinHash("x"));
    return fail(admin.error().code() == ErrorCode::kNotFound ? "unknown account"
                                                             : admin.error().message());
  }
  if (admin->locked_until > now) {
    AuditEntry e{now, name, "signin.locked", "", c.req.remote_addr};
    (void)c.store.AppendAudit(e);
    return SignInPage(c, c.T("signin.locked"), 429);
  }
  if (!VerifyPin(password, admin->password_hash)) {
    auto noted = c.store.NoteFailedSignIn(name, kMaxFailedSignIns, kLockMs);
    if (noted && noted->locked_until > now) {
      AuditEntry e{now, name, "signin.lock",
                   "after " + std::to_string(kMaxFailedSignIns) + " failures", c.req.remote_addr};
      (void)c.store.AppendAudit(e);
      return SignInPage(c, c.T("signin.locked"), 429);
    }
    return fail("wrong password");
  }
  if (Status s = c.store.NoteSignedIn(name); !s) return ErrorPage(c, 500, StoreMessage(c, s));
  // A new id whatever the browser sent (no fixation); the old session, if any, ends.
  if (!old_session_hash.empty()) (void)c.store.DeleteConsoleSession(old_session_hash);
  const std::string id = RandomHex(32);
  ConsoleSession session{hub_internal::Sha256Hex(id), name, RandomHex(32), now, now};
  if (Status s = c.store.CreateConsoleSession(session); !s)
    return ErrorPage(c, 500, StoreMessage(c, s));
  c.session = session;
  c.set_cookies.push_back(Cookie(c, kSessionCookie, id, kSessionMaxMs / 1000));
  c.set_cookies.push_back(Cookie(c, kPreCookie, "", 0));
  if (Status s = Audit(c, "signin", ""); !s) return ErrorPage(c, 500, StoreMessage(c, s));
  return Redirect(c, "/console/communes");
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

// --- context.h helpers ---

http::Response HtmlPage(Ctx& c, const std::string& title, const std::string& active,
                        const std::string& body, int status) {
  Frame f{c.lang, title, active, c.session.admin, c.session.csrf, c.Self()};
  http::Response r;
  r.status = status;
  r.body = Page(f, body);
  return r;
}

http::Response Redirect(Ctx&, const std::string& location) {
  http::Response r;
  r.status = 303;
  r.headers.emplace_back("Location", location);
  return r;
}

http::Response ErrorPage(Ctx& c, int status, const std::string& message) {
  std::string body = "<p class=\"error\" id=\"error\">" +
                     Esc(message.empty() ? c.T("error.notfound") : message) + "</p>";
  body += "<p><a href=\"/console/communes\">" + std::string(c.T("error.back")) + "</a></p>";
  return HtmlPage(c, c.T("error.title"), "", body, status);
}

std::string CsrfField(const Ctx& c) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Esc(c.session.csrf) + "\">";
}

Status Audit(Ctx& c, const std::string& action, const std::string& detail) {
  return c.store.AppendAudit({c.clock.NowMs(), c.session.admin, action, detail, c.req.remote_addr});
}

std::string StoreMessage(const Ctx& c, const Status& s) {
  switch (s.code()) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
    case ErrorCode::kConflict:
      return s.message();
    default:
      return std::string(c.T("error.store")) + " (" + s.message() + ")";
  }
}

std::string CommuneSelect(Ctx& c, const std::vector<Commune>& communes, const std::string& selected,
                          bool submit_on_change) {
  std::string h = "<select name=\"commune\" id=\"commune\"";
  if (submit_on_change) h += " data-autosubmit=\"1\"";
  h += ">";
  for (const Commune& m : communes)
    h += "<option value=\"" + Esc(m.id) + "\"" + (m.id == selected ? " selected" : "") + ">" +
         Esc(m.name) + "</option>";
  if (communes.empty())
    h += "<option value=\"\">" + std::string(c.T("communes.none")) + "</option>";
  return h + "</select>";
}

}  // namespace gocua::hub::console
