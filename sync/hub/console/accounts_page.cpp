// /console/accounts: the province's administrators. The signed-in administrator changes their
// own password (the old one required; the project's KDF; every other session of the account
// ends) and removes another account (never their own, never the last one). Both are audited.
#include "storage/device/members.h"
#include "sync/hub/console/accounts.h"
#include "sync/hub/console/console.h"
#include "sync/hub/console/context.h"

namespace gocua::hub::console {

http::Response AccountsGet(Ctx& c) {
  auto names = c.store.ConsoleAdmins();
  if (!names) return ErrorPage(c, 500, StoreMessage(c, names.error()));
  std::string b;
  if (c.Q("done") == "password")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("accounts.password.done")) + "</p>";
  else if (c.Q("done") == "saved")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("done.saved")) + "</p>";
  b += "<section><h2>" + std::string(c.T("accounts.password")) +
       "</h2><form method=\"post\" action=\"/console/accounts/password\" class=\"row\">" +
       CsrfField(c) + "<label>" + c.T("accounts.password.old") +
       "<input name=\"old\" id=\"old-password\" type=\"password\" "
       "autocomplete=\"current-password\" required></label><label>" +
       c.T("accounts.password.new") +
       "<input name=\"new\" id=\"new-password\" type=\"password\" autocomplete=\"new-password\" "
       "required minlength=\"" +
       std::to_string(kMinPasswordLength) + "\"></label><label>" + c.T("accounts.password.again") +
       "<input name=\"again\" id=\"new-password-again\" type=\"password\" "
       "autocomplete=\"new-password\" required></label><button id=\"change-password\">" +
       c.T("accounts.password.button") + "</button></form><p class=\"hint\">" +
       c.T("accounts.password.hint") + "</p></section>";
  b += "<section><h2>" + std::string(c.T("accounts.list")) +
       "</h2><table id=\"accounts\"><thead><tr><th>" + c.T("accounts.name") +
       "</th><th></th></tr></thead><tbody>";
  for (const std::string& n : *names) {
    b += "<tr data-account=\"" + Esc(n) + "\"><td>" + Esc(n) + "</td><td>";
    if (n == c.session.admin)
      b += "<span class=\"muted\">" + std::string(c.T("accounts.you")) + "</span>";
    else
      b += "<form method=\"post\" action=\"/console/accounts/remove\" data-confirm=\"" +
           Esc(c.T("accounts.remove.confirm")) + "\">" + CsrfField(c) +
           "<input type=\"hidden\" name=\"name\" value=\"" + Esc(n) +
           "\"><button class=\"danger remove-account\">" + c.T("accounts.remove") +
           "</button></form>";
    b += "</td></tr>";
  }
  b += "</tbody></table><p class=\"hint\">" + std::string(c.T("accounts.add.hint")) +
       "</p></section>";
  return HtmlPage(c, c.T("nav.accounts"), "/console/accounts", b);
}

namespace {

http::Response ChangePassword(Ctx& c) {
  const std::string& me = c.session.admin;
  auto admin = c.store.FindConsoleAdmin(me);
  if (!admin) return ErrorPage(c, 500, StoreMessage(c, admin.error()));
  if (!VerifyPin(c.F("old"), admin->password_hash)) {
    // A wrong old password counts as a failed sign-in: a borrowed session cannot guess it.
    (void)c.store.NoteFailedSignIn(me, kMaxFailedSignIns, kLockMs);
    (void)Audit(c, "accounts.password.refused", "wrong old password");
    return ErrorPage(c, 400, c.T("accounts.password.wrong"));
  }
  const std::string fresh = c.F("new");
  if (fresh.size() < kMinPasswordLength || fresh != c.F("again"))
    return ErrorPage(c, 400, c.T("accounts.password.bad"));
  if (Status s = c.store.SetConsolePassword(me, NewPinHash(fresh), c.session.id_hash); !s)
    return ErrorPage(c, 500, StoreMessage(c, s));
  if (Status a = Audit(c, "accounts.password", "other sessions ended"); !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  return Redirect(c, "/console/accounts?done=password");
}

http::Response Remove(Ctx& c) {
  const std::string name = c.F("name");
  if (name == c.session.admin) return ErrorPage(c, 400, c.T("accounts.remove.self"));
  Status s = c.store.RemoveConsoleAdmin(name);
  if (!s && s.code() == ErrorCode::kConflict) return ErrorPage(c, 400, c.T("accounts.remove.last"));
  if (!s) return ErrorPage(c, s.code() == ErrorCode::kNotFound ? 400 : 500, StoreMessage(c, s));
  if (Status a = Audit(c, "accounts.remove", name); !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  return Redirect(c, "/console/accounts?done=saved");
}

}  // namespace

http::Response AccountsPost(Ctx& c, const std::string& action) {
  if (action == "password") return ChangePassword(c);
  if (action == "remove") return Remove(c);
  return ErrorPage(c, 404, c.T("error.notfound"));
}

}  // namespace gocua::hub::console
