#pragma once
// The leader's dashboard benchmark (gocua-bench --only dashboard): ComputeDashboard over a
// commune of 50,000 households and 200,000 visits, as a leader's laptop holds it after a pull.
//
// The data arrives the way it does on that laptop: as pulled ops from another device, applied
// with Replica::ApplyPulled in pages (households, persons with the skills their visits gave
// them, visits with their review state: approved when older than two weeks, a few returned,
// the rest pending). Then the database is closed and reopened, and the dashboard is computed
// for this month, for the whole period and approved-only, timed with steady_clock.
#include <cstddef>
#include <iosfwd>
#include <string>

#include "base/result.h"

namespace gocua::bench {

struct DashboardBenchConfig {
  std::string dir;  // where dashboard.db goes; must exist
  size_t households = 50000;
  size_t visits = 200000;
  int rounds = 20;  // timed runs of each query after one warm-up
  bool quick = false;
  bool keep = false;
  // Reuse dir/dashboard.db if it exists (made by an earlier run with --keep): skips the fill.
  bool reuse = false;
};

// Target: a whole dashboard within this many milliseconds (issue 5).
inline constexpr double kDashboardTargetMs = 100;

// Fills (or reuses) the database, measures, and returns the report table.
Result<std::string> RunDashboardBenchmark(const DashboardBenchConfig& config, std::ostream& log);

}  // namespace gocua::bench
