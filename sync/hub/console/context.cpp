// The helpers every page uses (context.h): the frame, redirects, error pages, the CSRF field,
// audit lines, store messages, the commune picker.
#include "sync/hub/console/context.h"

namespace gocua::hub::console {

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
