#pragma once
// Internal to sync/hub/console/: what a page handler gets (the request, the store, the
// signed-in session, the language, the decoded query and form) and the replies it makes.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "platform/clock.h"
#include "sync/hub/console/html.h"
#include "sync/hub/console/strings.h"
#include "sync/hub/http/front.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub::console {

struct Ctx {
  const http::Request& req;
  HubStore& store;
  const Clock& clock;
  Lang lang = Lang::kVi;
  ConsoleSession session;                    // the signed-in session (handlers need one)
  std::map<std::string, std::string> query;  // the URL's parameters
  std::map<std::string, std::string> form;   // a POST's body
  std::vector<std::string> set_cookies;      // Set-Cookie values to send with the reply
  bool secure = false;                       // served over TLS (or behind a TLS proxy)

  const char* T(std::string_view key) const { return Tr(lang, key); }
  std::string Q(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  }
  std::string F(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }
  // The path and query this request asked for (for the language links).
  std::string Self() const { return req.target; }
};

// A page inside the frame, 200 (or `status`).
http::Response HtmlPage(Ctx& c, const std::string& title, const std::string& active,
                        const std::string& body, int status = 200);
// 303 See Other to `location` (after a POST, so that a reload does not repeat it).
http::Response Redirect(Ctx& c, const std::string& location);
// A page that says what went wrong and what to do next.
http::Response ErrorPage(Ctx& c, int status, const std::string& message);
// The hidden field with the session's CSRF token, for every form.
std::string CsrfField(const Ctx& c);
// Writes one line to the audit log (who: the session's admin). A failure is reported on the
// page by the caller's next store call; the log line is best effort only when the action
// itself failed.
Status Audit(Ctx& c, const std::string& action, const std::string& detail);
// A message for a store error: its text and what to do.
std::string StoreMessage(const Ctx& c, const Status& s);
// <select name="commune"> of the live communes, `selected` chosen.
std::string CommuneSelect(Ctx& c, const std::vector<Commune>& communes, const std::string& selected,
                          bool submit_on_change);

// The pages: GET handlers show, POST handlers act and redirect (or show a result once).
http::Response CommunesGet(Ctx& c);
http::Response CommunesPost(Ctx& c, const std::string& action);
http::Response LeadersGet(Ctx& c);
http::Response LeadersPost(Ctx& c, const std::string& action);
http::Response DevicesGet(Ctx& c);
http::Response DevicesPost(Ctx& c, const std::string& action);
http::Response QuarantineGet(Ctx& c);
http::Response ConflictsGet(Ctx& c);
http::Response CoverageGet(Ctx& c);
http::Response CoverageXlsx(Ctx& c);
http::Response CoveragePost(Ctx& c, const std::string& action);
http::Response AuditGet(Ctx& c);
http::Response AccountsGet(Ctx& c);
http::Response AccountsPost(Ctx& c, const std::string& action);
// /console/static/NAME: the CSS and JS, or 404.
http::Response StaticAsset(const std::string& name);

}  // namespace gocua::hub::console
