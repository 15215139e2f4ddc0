#pragma once
// Coverage figures per village and for the commune, computed with SQL aggregates.
#include <vector>

#include "storage/core/database.h"

namespace gocua {

struct CoverageRow {
  std::string village_id;  // "" for the commune total
  std::string village_name;
  int64_t households = 0;          // in the register (not deleted)
  int64_t households_visited = 0;  // with at least one counted visit in the period
  int64_t persons = 0;
  int64_t persons_guided = 0;  // distinct persons guided in the period
  int64_t visits = 0;          // counted visits in the period
  int64_t working_age = 0;     // sum of households' working-age counts
};

struct StatsPeriod {
  std::string from, to;  // visited_on range, inclusive; "" = open
};

// One row per village of this commune, by name, then the commune total. The period's figures
// (households visited, persons guided, visits) are the dashboard's (PeriodActivity,
// storage/dashboard/period_activity.h): counted visits only, as indicators.h defines them.
Result<std::vector<CoverageRow>> Coverage(Database& db, const StatsPeriod& period = {});

}  // namespace gocua
