// /console/leaders (a commune's leaders, adding one, issuing a leader-device enrollment code)
// and /console/devices (a commune's laptops with their last sync; revoking one).
#include <algorithm>

#include "sync/hub/console/context.h"
#include "sync/hub/console/form.h"

namespace gocua::hub::console {
namespace {

// The commune the page is about: ?commune=, else the form's, else the first one.
std::string ChosenCommune(Ctx& c, const std::vector<Commune>& communes) {
  std::string id = c.Q("commune");
  if (id.empty()) id = c.F("commune");
  for (const Commune& m : communes)
    if (m.id == id) return id;
  return communes.empty() ? std::string() : communes.front().id;
}

std::string Chooser(Ctx& c, const std::string& action, const std::vector<Commune>& communes,
                    const std::string& selected) {
  return "<form method=\"get\" action=\"" + action + "\" class=\"row\"><label>" +
         std::string(c.T("communes.commune")) + CommuneSelect(c, communes, selected, true) +
         "</label><button>" + c.T("show") + "</button></form>";
}

}  // namespace

http::Response LeadersGet(Ctx& c) {
  auto communes = c.store.Communes();
  if (!communes) return ErrorPage(c, 500, StoreMessage(c, communes.error()));
  const std::string commune = ChosenCommune(c, *communes);
  std::string b = Chooser(c, "/console/leaders", *communes, commune);
  if (commune.empty()) {
    b += "<p class=\"muted\">" + std::string(c.T("communes.none")) + "</p>";
    return HtmlPage(c, c.T("nav.leaders"), "/console/leaders", b);
  }
  auto members = c.store.CommuneMembers(commune);
  if (!members) return ErrorPage(c, 500, StoreMessage(c, members.error()));
  auto devices = c.store.Devices();
  if (!devices) return ErrorPage(c, 500, StoreMessage(c, devices.error()));
  if (c.Q("done") == "added")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("done.saved")) + "</p>";
  b += "<section><h2>" + std::string(c.T("leaders.list")) +
       "</h2><table id=\"leaders\"><thead>"
       "<tr><th>" +
       c.T("leaders.name") + "</th></tr></thead><tbody>";
  int leaders = 0;
  for (const Member& m : *members) {
    if (m.role != Role::kLeader) continue;
    ++leaders;
    b += "<tr><td>" + Esc(m.name) + "</td></tr>";
  }
  if (leaders == 0)
    b += "<tr><td class=\"muted\">" + std::string(c.T("leaders.none")) + "</td></tr>";
  b += "</tbody></table><form method=\"post\" action=\"/console/leaders/add\" class=\"row\">" +
       CsrfField(c) + "<input type=\"hidden\" name=\"commune\" value=\"" + Esc(commune) +
       "\"><label>" + c.T("leaders.name") +
       "<input name=\"name\" id=\"leader-name\" required>"
       "</label><label>" +
       c.T("leaders.pin") +
       "<input name=\"pin\" id=\"leader-pin\" inputmode=\"numeric\" pattern=\"[0-9]{4,8}\" "
       "required></label><button id=\"add-leader\">" +
       c.T("leaders.add") +
       "</button></form>"
       "</section>";
  b += "<section><h2>" + std::string(c.T("leaders.code")) + "</h2><p>" + c.T("leaders.code.help") +
       "</p><form method=\"post\" action=\"/console/leaders/code\" class=\"row\">" + CsrfField(c) +
       "<input type=\"hidden\" name=\"commune\" value=\"" + Esc(commune) + "\"><label>" +
       c.T("leaders.code.hours") +
       "<input name=\"hours\" id=\"code-hours\" type=\"number\" min=\"1\" max=\"168\" "
       "value=\"24\"></label><button id=\"issue-code\">" +
       c.T("leaders.code.issue") + "</button></form>";
  b += "<h3>" + std::string(c.T("leaders.devices")) + "</h3><ul>";
  int shown = 0;
  for (const HubDevice& d : *devices) {
    if (d.commune_id != commune || d.role != Role::kLeader) continue;
    ++shown;
    b += "<li>" + Esc(d.name) + " — " +
         (d.revoked ? c.T("devices.revoked") : c.T("devices.active")) + "</li>";
  }
  if (shown == 0) b += "<li class=\"muted\">" + std::string(c.T("leaders.nodevices")) + "</li>";
  b += "</ul></section>";
  return HtmlPage(c, c.T("nav.leaders"), "/console/leaders", b);
}

http::Response LeadersPost(Ctx& c, const std::string& action) {
  const std::string commune = c.F("commune");
  if (action == "add") {
    auto m = c.store.AddMember(commune, c.F("name"), Role::kLeader, c.F("pin"));
    if (!m) return ErrorPage(c, 400, StoreMessage(c, m.error()));
    if (Status a = Audit(c, "leaders.add", m->id + " " + m->name + " in " + commune); !a)
      return ErrorPage(c, 500, StoreMessage(c, a));
    return Redirect(c, "/console/leaders?done=added&commune=" + UrlEncode(commune));
  }
  if (action != "code") return ErrorPage(c, 404, c.T("error.notfound"));
  int hours = 24;
  try {
    hours = std::clamp(std::stoi(c.F("hours")), 1, 168);
  } catch (...) {
  }
  const int64_t ttl = int64_t{hours} * 3600 * 1000;
  auto code = c.store.IssueEnrollmentCode(commune, ttl, Role::kLeader);
  if (!code) return ErrorPage(c, 400, StoreMessage(c, code.error()));
  if (Status a =
          Audit(c, "leaders.code", "commune " + commune + ", " + std::to_string(hours) + " h");
      !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  // Shown once, here (the hub keeps only its hash): large, to read out over the phone.
  std::string b = "<p>" + std::string(c.T("leaders.code.once")) +
                  "</p><p class=\"code\" id=\"code\">" + Esc(*code) + "</p><p>" +
                  c.T("leaders.code.until") + " <strong>" + FormatTime(c.clock.NowMs() + ttl) +
                  "</strong></p><p><a href=\"/console/leaders?commune=" + Esc(commune) + "\">" +
                  c.T("error.back") + "</a></p>";
  return HtmlPage(c, c.T("leaders.code"), "/console/leaders", b);
}

http::Response DevicesGet(Ctx& c) {
  auto communes = c.store.Communes();
  if (!communes) return ErrorPage(c, 500, StoreMessage(c, communes.error()));
  const std::string commune = ChosenCommune(c, *communes);
  std::string b = Chooser(c, "/console/devices", *communes, commune);
  if (c.Q("done") == "revoked")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("done.revoked")) + "</p>";
  auto devices = c.store.Devices();
  if (!devices) return ErrorPage(c, 500, StoreMessage(c, devices.error()));
  b += "<table id=\"devices\"><thead><tr><th>" + std::string(c.T("devices.name")) + "</th><th>" +
       c.T("devices.role") + "</th><th>" + c.T("devices.enrolled") + "</th><th>" +
       c.T("devices.lastsync") + " " + c.T("time.zone") + "</th><th>" + c.T("devices.state") +
       "</th><th></th></tr></thead><tbody>";
  int shown = 0;
  for (const HubDevice& d : *devices) {
    if (d.commune_id != commune) continue;
    ++shown;
    b += "<tr data-device=\"" + Esc(d.device_id) + "\"><td>" + Esc(d.name) +
         "<br><small class=\"muted\">" + Esc(d.device_id) + "</small></td><td>" +
         (d.role == Role::kLeader ? c.T("role.leader") : c.T("role.member")) + "</td><td>" +
         FormatTime(d.enrolled_at) + "</td><td>" + FormatTime(d.last_seen) +
         "</td><td class=\"state\">" +
         (d.revoked ? c.T("devices.revoked") : c.T("devices.active")) + "</td><td>";
    if (!d.revoked)
      b += "<form method=\"post\" action=\"/console/devices/revoke\" data-confirm=\"" +
           Esc(c.T("devices.revoke.confirm")) + "\">" + CsrfField(c) +
           "<input type=\"hidden\" name=\"commune\" value=\"" + Esc(commune) +
           "\"><input type=\"hidden\" name=\"device\" value=\"" + Esc(d.device_id) +
           "\"><button class=\"danger revoke\">" + c.T("devices.revoke") + "</button></form>";
    b += "</td></tr>";
  }
  b += "</tbody></table>";
  if (shown == 0) b += "<p class=\"muted\">" + std::string(c.T("devices.none")) + "</p>";
  b += "<p class=\"hint\">" + std::string(c.T("devices.revoke.help")) + "</p>";
  return HtmlPage(c, c.T("nav.devices"), "/console/devices", b);
}

http::Response DevicesPost(Ctx& c, const std::string& action) {
  if (action != "revoke") return ErrorPage(c, 404, c.T("error.notfound"));
  const std::string device = c.F("device");
  if (Status s = c.store.RevokeDevice(device); !s) return ErrorPage(c, 400, StoreMessage(c, s));
  if (Status a = Audit(c, "devices.revoke", device); !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  return Redirect(c, "/console/devices?done=revoked&commune=" + UrlEncode(c.F("commune")));
}

}  // namespace gocua::hub::console
