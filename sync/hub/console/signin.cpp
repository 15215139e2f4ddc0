// The console's sign-in: the form with its double-submit token, and checking a sign-in
// (password through the PIN KDF, lockout, a new session id every time). door.h.
#include "platform/crypto.h"
#include "storage/core/ids.h"
#include "storage/device/members.h"
#include "sync/hub/console/console.h"
#include "sync/hub/console/door.h"
#include "sync/hub/store/sha256.h"

namespace gocua::hub::console {

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

http::Response SignInPage(Ctx& c, const std::string& error, int status) {
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

}  // namespace gocua::hub::console
