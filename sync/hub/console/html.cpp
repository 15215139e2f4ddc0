#include "sync/hub/console/html.h"

#include "platform/clock.h"

namespace gocua::hub::console {

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatTime(int64_t unix_ms) {
  if (unix_ms <= 0) return "—";
  return UtcTime(unix_ms + 7 * 3600 * 1000, "%Y-%m-%d %H:%M");  // Vietnam's time (UTC+7)
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "—";
  const int64_t tenths = (part * 1000 + whole / 2) / whole;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " %";
}

namespace {

// `self` with its lang parameter set to `code`.
std::string WithLang(const std::string& self, const char* code) {
  std::string base = self;
  const size_t q = base.find('?');
  std::string path = base.substr(0, q), query = q == std::string::npos ? "" : base.substr(q + 1);
  std::string kept;
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    const std::string item = query.substr(start, amp - start);
    if (item.rfind("lang=", 0) != 0 && !item.empty()) kept += item + "&";
    start = amp + 1;
  }
  return path + "?" + kept + "lang=" + code;
}

}  // namespace

std::string Page(const Frame& f, const std::string& body) {
  const Lang l = f.lang;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"";
  h += l == Lang::kVi ? "vi" : "en";
  h += "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
       "content=\"width=device-width, initial-scale=1\"><title>";
  h += Esc(f.title) + " — " + Tr(l, "app");
  h += "</title><link rel=\"stylesheet\" href=\"/console/static/console.css\">"
       "<script src=\"/console/static/console.js\" defer></script></head><body>";
  h += "<header><span class=\"brand\">" + std::string(Tr(l, "app")) + "</span>";
  if (!f.admin.empty()) {
    h += "<nav>";
    static const char* const kNav[][2] = {
        {"/console/communes", "nav.communes"},   {"/console/leaders", "nav.leaders"},
        {"/console/devices", "nav.devices"},     {"/console/quarantine", "nav.quarantine"},
        {"/console/conflicts", "nav.conflicts"}, {"/console/coverage", "nav.coverage"},
        {"/console/audit", "nav.audit"},         {"/console/accounts", "nav.accounts"}};
    for (const auto& [path, key] : kNav) {
      h += "<a href=\"" + std::string(path) + "\"";
      if (f.active == path) h += " class=\"active\"";
      h += ">" + std::string(Tr(l, key)) + "</a>";
    }
    h += "</nav>";
  }
  h += "<span class=\"right\"><a id=\"lang-vi\" href=\"" + Esc(WithLang(f.self, "vi")) +
       "\">Tiếng Việt</a> | <a id=\"lang-en\" href=\"" + Esc(WithLang(f.self, "en")) +
       "\">English</a>";
  if (!f.admin.empty())
    h += " <span class=\"who\">" + Esc(f.admin) +
         "</span><form method=\"post\" action=\"/console/signout\" class=\"inline\">"
         "<input type=\"hidden\" name=\"csrf\" value=\"" +
         Esc(f.csrf) + "\"><button id=\"signout\">" + Tr(l, "signout") + "</button></form>";
  h += "</span></header><main><h1>" + Esc(f.title) + "</h1>" + body + "</main></body></html>\n";
  return h;
}

}  // namespace gocua::hub::console
