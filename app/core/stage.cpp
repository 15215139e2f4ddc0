#include "app/core/stage.h"

#include <algorithm>

namespace gocua::app {
namespace {

// Who a staged screen is seen by: the first leader for leaders' screens; else whoever recorded
// the newest returned visit (so Today and Returned show something to fix), else the newest
// visit, else the first leader, else the first member.
const Member* PickMember(AppModel& m, const std::vector<Member>& members, bool leader) {
  std::string wanted;
  if (!leader) {
    auto r = m.visits().List({.status = kStatusReturned, .limit = 1});
    if (r && r->empty()) r = m.visits().List({.limit = 1});
    if (r && !r->empty() && !r->front().members.empty()) wanted = r->front().members.front();
  }
  for (const Member& mem : members) {
    if (mem.id == wanted) return &mem;
  }
  for (const Member& mem : members) {
    if (mem.role == Role::kLeader) return &mem;
  }
  return &members.front();
}

// The household a staged Household or Visit form shows: of the households with recent visits,
// the one with the most persons (real content on both screens); else the first in the list.
std::string PickHousehold(AppModel& m) {
  std::string best;
  size_t best_persons = 0;
  if (auto visits = m.visits().List({.limit = 50})) {
    for (const Visit& v : *visits) {
      auto persons = m.persons().OfHousehold(v.household_id);
      const size_t n = persons ? persons->size() : 0;
      if (best.empty() || n > best_persons) {
        best = v.household_id;
        best_persons = n;
      }
    }
  }
  if (best.empty()) {
    if (auto hs = m.households().List({"", 1, 0}); hs && !hs->empty()) best = hs->front().id;
  }
  return best;
}

}  // namespace

const std::vector<std::string>& StageNames() {
  static const std::vector<std::string> kNames = {
      "first_run",      "sign_in",      "today",         "households", "household",
      "household_form", "visit_form",   "returned",      "sync",       "settings",
      "dashboard",      "review",       "conflicts",     "members",    "settings_leader",
      "laptops",        "laptops_code", "laptops_revoke"};
  return kNames;
}

bool Stage(AppModel& m, const std::string& screen, std::string* error) {
  if (std::find(StageNames().begin(), StageNames().end(), screen) == StageNames().end()) {
    *error = "unknown screen '" + screen + "'";
    return false;
  }
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
  m.SignInWithoutPin(
      *PickMember(m, *members, /*leader=*/screen == "dashboard" || screen == "review" ||
                                   screen == "conflicts" || screen == "members" ||
                                   screen == "settings_leader" || screen.rfind("laptops", 0) == 0));
  if (screen == "today") {
    m.Go({Screen::kToday});
  } else if (screen == "households") {
    m.Go({Screen::kHouseholds});
  } else if (screen == "household" || screen == "visit_form" || screen == "household_form") {
    const std::string household = PickHousehold(m);
    if (household.empty()) {
      *error = "no households in this data folder";
      return false;
    }
    const Screen s = screen == "household"    ? Screen::kHousehold
                     : screen == "visit_form" ? Screen::kVisitForm
                                              : Screen::kHouseholdForm;
    m.Go({s, household, ""});
  } else if (screen == "returned") {
    m.Go({Screen::kReturned});
  } else if (screen == "sync") {
    m.Go({Screen::kSync});
  } else if (screen == "settings" || screen == "settings_leader") {
    m.Go({Screen::kSettings});
  } else if (screen == "members") {
    m.Go({Screen::kMembers});
  } else if (screen == "laptops" || screen == "laptops_code" || screen == "laptops_revoke") {
    m.Go({Screen::kLaptops, screen == "laptops" ? "" : screen.substr(8)});
  } else if (screen == "review") {
    m.Go({Screen::kReview});
  } else if (screen == "conflicts") {
    m.Go({Screen::kConflicts});
  } else {
    m.Go({Screen::kDashboard});
  }
  return true;
}

}  // namespace gocua::app
