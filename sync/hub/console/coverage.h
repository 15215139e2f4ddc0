#pragma once
// The province's coverage as the console shows and exports it (coverage_page.cpp,
// coverage_xlsx.cpp).
#include <string>
#include <utility>
#include <vector>

#include "platform/clock.h"
#include "sync/hub/console/strings.h"
#include "sync/hub/store/hub_store.h"

namespace gocua::hub::console {

// Working age, as the leaders' dashboard counts it by default (storage/dashboard/
// indicator_settings.h): age = this year − birth year, 15..60 inclusive.
inline constexpr int kWorkingAgeMin = 15, kWorkingAgeMax = 60;

struct CoverageTable {
  int year = 0;                            // this year (Vietnam's time)
  std::vector<std::pair<int, int>> lines;  // the province's target lines (year, percent)
  int target = 0, target_year = 0;         // the line that applies this year
  std::vector<CommuneCoverage> rows;       // by commune name
};

Result<CoverageTable> LoadCoverage(HubStore& store, const Clock& clock);
// The table as an XLSX file's bytes, headers in `lang`.
Result<std::string> CoverageXlsxBytes(const CoverageTable& table, Lang lang);

}  // namespace gocua::hub::console
