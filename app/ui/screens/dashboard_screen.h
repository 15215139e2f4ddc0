#pragma once
// The leader's dashboard (storage/dashboard/indicators.h): for a chosen period, per village and for
// the commune — households visited against the register, working-age persons who can use online
// public services against the province's target line, households with a person proficient in
// all five skills, persons guided; per topic; per member; follow-ups overdue, reviews waiting,
// open conflicts and sync. Bar charts beside the tables. "Export the monthly report" writes the
// XLSX and the CSV files (storage/io/report_*.cpp) of the month shown into <data_dir>/reports/.
#include <string>

#include "app/ui/screens/screen.h"
#include "storage/dashboard/indicators.h"

namespace gocua::app {

class DashboardScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Reload(AppModel& m);
  void DrawExport(AppModel& m, const Dashboard& d);
  void DrawCharts(const Dashboard& d);
  void DrawTables(const Dashboard& d);
  // Per village and the commune: a table when every column fits with its header on one line,
  // else one block per village of "label: value" lines that flow side by side and wrap (a narrow
  // window or large text: nothing is cut off).
  void DrawVillages(const Dashboard& d);

  Freshness fresh_;
  int period_ = 0;  // 0 this month, 1 last month, 2 this year, 3 all time
  std::optional<Dashboard> dash_;
  double compute_ms_ = 0;
  std::string error_;
};

}  // namespace gocua::app
