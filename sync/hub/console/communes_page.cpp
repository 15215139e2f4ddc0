// /console/communes: the province's communes and their villages; create and rename both.
// Every change is the hub's own op (devices of the commune pull it) and an audit line. A
// village moves to another commune with its records (sync/hub/store/village_move.h).
#include "sync/hub/console/context.h"

namespace gocua::hub::console {
namespace {

// Moving village `v` of commune `m` to another commune after a merger: a confirm first, as the
// village's records go with it (HubStore::MoveVillage). Nothing when there is no other commune.
std::string MoveForm(Ctx& c, const std::vector<Commune>& communes, const Commune& m,
                     const Village& v) {
  std::string options;
  for (const Commune& o : communes)
    if (o.id != m.id) options += "<option value=\"" + Esc(o.id) + "\">" + Esc(o.name) + "</option>";
  if (options.empty()) return "";
  return "<form method=\"post\" action=\"/console/communes/village-move\" class=\"row small "
         "move\" data-confirm=\"" +
         Esc(c.T("communes.move.confirm")) + "\">" + CsrfField(c) +
         "<input type=\"hidden\" name=\"id\" value=\"" + Esc(v.id) +
         "\"><select name=\"to\" aria-label=\"" + c.T("communes.move.to") + "\">" + options +
         "</select><button class=\"move-village\">" + c.T("communes.move.button") +
         "</button></form>";
}

}  // namespace

http::Response CommunesGet(Ctx& c) {
  auto communes = c.store.Communes();
  if (!communes) return ErrorPage(c, 500, StoreMessage(c, communes.error()));
  std::string b;
  if (c.Q("done") == "saved")
    b += "<p class=\"notice\" id=\"notice\">" + std::string(c.T("done.saved")) + "</p>";
  b += "<section><h2>" + std::string(c.T("communes.create")) +
       "</h2><form method=\"post\" action=\"/console/communes/create\" class=\"row\">" +
       CsrfField(c) + "<label>" + c.T("communes.province") +
       "<input name=\"province\" id=\"province\" required></label><label>" + c.T("communes.name") +
       "<input name=\"name\" id=\"commune-name\" required></label>" +
       "<button id=\"create-commune\">" + c.T("communes.create.button") +
       "</button></form></section>";
  b += "<table id=\"communes\"><thead><tr><th>" + std::string(c.T("communes.commune")) +
       "</th><th>" + c.T("communes.villages") + "</th></tr></thead><tbody>";
  for (const Commune& m : *communes) {
    auto villages = c.store.Villages(m.id);
    if (!villages) return ErrorPage(c, 500, StoreMessage(c, villages.error()));
    b += "<tr data-commune=\"" + Esc(m.id) + "\"><td><strong class=\"commune-name\">" +
         Esc(m.name) +
         "</strong><form method=\"post\" action=\"/console/communes/rename\" "
         "class=\"row small\">" +
         CsrfField(c) + "<input type=\"hidden\" name=\"id\" value=\"" + Esc(m.id) +
         "\"><input name=\"name\" value=\"" + Esc(m.name) + "\" aria-label=\"" +
         c.T("communes.rename") + "\" required><button>" + c.T("communes.rename") +
         "</button></form></td><td><ul class=\"villages\">";
    for (const Village& v : *villages)
      b += "<li data-village=\"" + Esc(v.id) +
           "\"><form method=\"post\" action=\"/console/communes/village-rename\" "
           "class=\"row small\">" +
           CsrfField(c) + "<input type=\"hidden\" name=\"id\" value=\"" + Esc(v.id) +
           "\"><input name=\"name\" value=\"" + Esc(v.name) + "\" aria-label=\"" +
           c.T("communes.village") + "\" required><button>" + c.T("communes.rename") +
           "</button></form>" + MoveForm(c, *communes, m, v) + "</li>";
    if (villages->empty())
      b += "<li class=\"muted\">" + std::string(c.T("communes.novillages")) + "</li>";
    b +=
        "</ul><form method=\"post\" action=\"/console/communes/village-add\" class=\"row small\">" +
        CsrfField(c) + "<input type=\"hidden\" name=\"commune\" value=\"" + Esc(m.id) +
        "\"><input name=\"name\" placeholder=\"" + c.T("communes.village.new") +
        "\" required><button>" + c.T("communes.village.add") + "</button></form></td></tr>";
  }
  b += "</tbody></table>";
  if (communes->empty()) b += "<p class=\"muted\">" + std::string(c.T("communes.none")) + "</p>";
  b += "<p class=\"hint\">" + std::string(c.T("communes.move.hint")) + "</p>";
  return HtmlPage(c, c.T("nav.communes"), "/console/communes", b);
}

http::Response CommunesPost(Ctx& c, const std::string& action) {
  Status s;
  std::string detail;
  if (action == "create") {
    auto made = c.store.CreateCommune(c.F("province"), c.F("name"));
    if (made) detail = made->id + " " + c.F("province") + " / " + made->name;
    s = made ? Status::Ok() : made.error();
  } else if (action == "rename") {
    s = c.store.RenameCommune(c.F("id"), c.F("name"));
    detail = c.F("id") + " → " + c.F("name");
  } else if (action == "village-add") {
    auto made = c.store.AddVillage(c.F("commune"), c.F("name"));
    if (made) detail = made->id + " " + made->name + " in " + c.F("commune");
    s = made ? Status::Ok() : made.error();
  } else if (action == "village-move") {
    auto moved = c.store.MoveVillage(c.F("id"), c.F("to"));
    if (moved)
      detail = c.F("id") + " " + moved->from_commune + " → " + c.F("to") + " (" +
               std::to_string(moved->records) + " records, " + std::to_string(moved->ops) +
               " ops re-offered)";
    s = moved ? Status::Ok() : moved.error();
  } else if (action == "village-rename") {
    s = c.store.RenameVillage(c.F("id"), c.F("name"));
    detail = c.F("id") + " → " + c.F("name");
  } else {
    return ErrorPage(c, 404, c.T("error.notfound"));
  }
  if (!s) return ErrorPage(c, s.code() == ErrorCode::kInternal ? 500 : 400, StoreMessage(c, s));
  if (Status a = Audit(c, "communes." + action, detail); !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  return Redirect(c, "/console/communes?done=saved");
}

}  // namespace gocua::hub::console
