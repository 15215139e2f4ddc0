#pragma once
// The leader's dashboard's activity over a period, per village (storage/dashboard/indicators.h): visits,
// households visited, persons guided and guidance sessions, with the counting rules of
// indicators.h (counted visits of households in the register, grouped by the household's
// village; approved ones only if asked).
//
// Two ways to the same figures:
//  - kVisits: every counted visit of the period and its persons, one household lookup each.
//    Cost grows with the visits in the period: right for a week, a month, a quarter.
//  - kSpans: from migration v7's per-entity spans (household_span, person_span): an entity
//    whose counted visits all lie in the period adds its all-time figures; only an entity with
//    visits both inside and outside the period is looked at visit by visit. Cost grows with
//    the entities and the visits outside the period: right for a long period or "everything".
//  - kAuto picks kSpans when the period holds more than twice as many counted visits as there
//    are outside it (each visit outside costs the spans path about what a visit inside costs
//    the visits path, a little more), kVisits otherwise.
// Both give the same numbers on any data (tests/storage/dashboard/period_activity_test.cpp).
//
// Threading: like every storage call, one thread per Database. Reads only.
#include <map>
#include <string>

#include "storage/core/database.h"
#include "storage/dashboard/indicators.h"

namespace gocua {

enum class ActivityPath { kAuto, kVisits, kSpans };

struct ActivityQuery {
  std::string from = "0000-00-00", to = "9999-12-31";  // inclusive visit dates, resolved
  bool approved_only = false;
  ActivityPath path = ActivityPath::kAuto;
};

// Adds visits, households_visited, persons_guided and guidance_sessions into (*by_village)[id]
// for each village with counted visits (other fields untouched). `*used`, if given, is the path
// taken.
Status PeriodActivity(Database& db, const ActivityQuery& query,
                      std::map<std::string, VillageIndicators>* by_village,
                      ActivityPath* used = nullptr);

}  // namespace gocua
