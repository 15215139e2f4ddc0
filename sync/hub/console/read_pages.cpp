// /console/quarantine, /console/conflicts (open ones, per commune) and /console/audit: pages
// that only read.
#include <map>

#include "sync/hub/console/context.h"

namespace gocua::hub::console {
namespace {

// A JSON value's text cut for a table cell.
std::string Short(const std::string& s, size_t max = 120) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n) + "…";
}

}  // namespace

http::Response QuarantineGet(Ctx& c) {
  auto ops = c.store.Quarantined();
  if (!ops) return ErrorPage(c, 500, StoreMessage(c, ops.error()));
  auto devices = c.store.Devices();
  if (!devices) return ErrorPage(c, 500, StoreMessage(c, devices.error()));
  std::map<std::string, std::string> names;
  for (const HubDevice& d : *devices) names[d.device_id] = d.name;
  std::string b = "<p>" + std::string(c.T("quarantine.help")) +
                  "</p><table id=\"quarantine\"><thead><tr><th>" + c.T("quarantine.when") +
                  "</th><th>" + c.T("quarantine.device") + "</th><th>" + c.T("quarantine.record") +
                  "</th><th>" + c.T("quarantine.value") + "</th><th>" + c.T("quarantine.reason") +
                  "</th></tr></thead><tbody>";
  for (const QuarantinedOp& q : *ops)
    b += "<tr><td>" + FormatTime(q.received_at) + "</td><td>" + Esc(names[q.device_id]) +
         "<br><small class=\"muted\">" + Esc(q.device_id) + "</small></td><td>" +
         Esc(q.op.record_type) + " " + Esc(q.op.record_id) + "<br>" + Esc(q.op.field) +
         "</td><td><code>" +
         Esc(Short(q.op.value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))) +
         "</code></td><td class=\"reason\">" + Esc(q.reason) + "</td></tr>";
  b += "</tbody></table>";
  if (ops->empty()) b += "<p class=\"muted\">" + std::string(c.T("quarantine.none")) + "</p>";
  return HtmlPage(c, c.T("nav.quarantine"), "/console/quarantine", b);
}

http::Response ConflictsGet(Ctx& c) {
  auto communes = c.store.Communes();
  if (!communes) return ErrorPage(c, 500, StoreMessage(c, communes.error()));
  auto open = c.store.OpenConflicts();
  if (!open) return ErrorPage(c, 500, StoreMessage(c, open.error()));
  std::map<std::string, std::string> names;
  for (const Commune& m : *communes) names[m.id] = m.name;
  std::string b = "<p>" + std::string(c.T("conflicts.help")) + "</p>";
  std::string current = "\x01";
  for (const auto& [commune, k] : *open) {
    if (commune != current) {
      if (current != "\x01") b += "</tbody></table>";
      current = commune;
      b += "<h2>" + Esc(names.count(commune) ? names[commune] : commune) +
           "</h2><table class=\"conflicts\"><thead><tr><th>" + c.T("quarantine.record") +
           "</th><th>" + c.T("conflicts.a") + "</th><th>" + c.T("conflicts.b") + "</th><th>" +
           c.T("conflicts.winner") + "</th></tr></thead><tbody>";
    }
    b += "<tr><td>" + Esc(k.record_type) + " " + Esc(k.record_id) + "<br>" + Esc(k.field) +
         "</td><td><code>" + Esc(Short(k.value_a)) + "</code></td><td><code>" +
         Esc(Short(k.value_b)) + "</code></td><td>" + Esc(k.winner) + "</td></tr>";
  }
  if (current != "\x01") b += "</tbody></table>";
  if (open->empty())
    b += "<p class=\"muted\" id=\"no-conflicts\">" + std::string(c.T("conflicts.none")) + "</p>";
  return HtmlPage(c, c.T("nav.conflicts"), "/console/conflicts", b);
}

http::Response AuditGet(Ctx& c) {
  auto log = c.store.AuditLog(500);
  if (!log) return ErrorPage(c, 500, StoreMessage(c, log.error()));
  std::string b = "<table id=\"audit\"><thead><tr><th>" + std::string(c.T("audit.when")) +
                  "</th><th>" + c.T("audit.who") + "</th><th>" + c.T("audit.what") + "</th><th>" +
                  c.T("audit.detail") + "</th><th>" + c.T("audit.from") +
                  "</th></tr></thead><tbody>";
  for (const AuditEntry& e : *log)
    b += "<tr><td>" + FormatTime(e.at) + "</td><td>" + Esc(e.admin) + "</td><td>" + Esc(e.action) +
         "</td><td>" + Esc(Short(e.detail, 200)) + "</td><td>" + Esc(e.remote) + "</td></tr>";
  b += "</tbody></table>";
  return HtmlPage(c, c.T("nav.audit"), "/console/audit", b);
}

}  // namespace gocua::hub::console
