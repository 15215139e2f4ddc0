#pragma once
// Settings of the leaders' indicators: the province's target lines for "working-age persons who
// can use online public services" and the working-age band.
//
// Where they live: in this laptop's database (table meta, key "indicator_settings", JSON), so
// the dashboard and the monthly report read the same values. They are local settings, not
// synced records: a leader sets them once on the commune's laptop (app Settings, or
// `gocua-cli target set`). A hub-published province setting can replace this later without
// changing the readers (they only call LoadIndicatorSettings).
#include <vector>

#include "storage/core/database.h"

namespace gocua {

// "By `year`, `percent` % of working-age persons can use online public services."
struct TargetLine {
  int year = 0;
  int percent = 0;  // 1..100
  bool operator==(const TargetLine&) const = default;
};

struct IndicatorSettings {
  // Decision 146/QĐ-TTg: 70 % by 2025, 90 % by 2030. Sorted by year, years unique.
  std::vector<TargetLine> online_services = {{2025, 70}, {2030, 90}};
  // Working age, in whole years on the reference year (age = year − birth year), inclusive.
  // 15 is the start of working age in Vietnam's labour statistics; 60 is the Labour Code 2019
  // retirement age reached by 2028 for men and 2035 for women. One band for everyone keeps
  // the indicator explainable; a province that counts differently changes it here.
  int working_age_min = 15;
  int working_age_max = 60;
  bool operator==(const IndicatorSettings&) const = default;
};

// The settings saved on this laptop, or the defaults above when none were saved.
Result<IndicatorSettings> LoadIndicatorSettings(Database& db);
// Checks (years 2000..2100 unique, percent 1..100, at least one line, 0 <= min <= max <= 120)
// and saves; lines are stored sorted by year. kInvalidInput says what is wrong.
Status SaveIndicatorSettings(Database& db, const IndicatorSettings& settings);

// The line that applies in `year`: the first whose year is `year` or later, else the last.
// Never null for settings that passed SaveIndicatorSettings (or the defaults).
const TargetLine* TargetFor(const IndicatorSettings& settings, int year);

}  // namespace gocua
