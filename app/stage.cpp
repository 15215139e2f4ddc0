#include "app/stage.h"

namespace gocua::app {

const std::vector<std::string>& StageNames() {
  static const std::vector<std::string> kNames = {
      "first_run", "sign_in", "today", "households", "household", "household_form",
      "visit_form", "returned", "sync", "settings", "dashboard"};
  return kNames;
}

bool Stage(AppModel& m, const std::string& screen, std::string* error) {
  if (screen == "first_run") return true;  // shown while the device has no commune
  if (!m.commune()) {
    *error = "no commune in this data folder: run the first-run screen or gocua-cli init";
    return false;
  }
  if (screen == "sign_in") return true;
  auto members = m.members().List();
  if (!members || members->empty()) {
    *error = "no members in this data folder";
    return false;
  }
  const Member* who = &members->front();
  for (const Member& mem : *members) {
    if (mem.role == Role::kLeader) {
      who = &mem;
      break;
    }
  }
  m.SignInWithoutPin(*who);
  std::string household;
  if (auto hs = m.households().List({"", 1, 0}); hs && !hs->empty()) household = hs->front().id;
  if (screen == "today") {
    m.Go({Screen::kToday});
  } else if (screen == "households") {
    m.Go({Screen::kHouseholds});
  } else if (screen == "household" || screen == "visit_form" || screen == "household_form") {
    if (household.empty()) {
      *error = "no households in this data folder";
      return false;
    }
    const Screen s = screen == "household"        ? Screen::kHousehold
                     : screen == "visit_form"     ? Screen::kVisitForm
                                                  : Screen::kHouseholdForm;
    m.Go({s, household, ""});
  } else if (screen == "returned") {
    m.Go({Screen::kReturned});
  } else if (screen == "sync") {
    m.Go({Screen::kSync});
  } else if (screen == "settings") {
    m.Go({Screen::kSettings});
  } else if (screen == "dashboard") {
    m.Go({Screen::kDashboard});
  } else {
    *error = "unknown screen '" + screen + "'";
    return false;
  }
  return true;
}

}  // namespace gocua::app
