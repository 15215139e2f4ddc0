#pragma once
// The monthly report a commune sends upward (DOMAIN.md: "sends the monthly report upward,
// usually as an Excel file"): the leader's indicators (storage/dashboard/indicators.h) for one calendar
// month, as an XLSX workbook (libxlsxwriter) or CSV files, with Vietnamese headers and the
// commune and period in every title.
//
// Layout — one sheet (XLSX) or one file (CSV) per indicator group:
//   "Tổng hợp"       summary: commune totals, target line, review queue, conflicts, sync
//   "Theo thôn"      per village and "Toàn xã": register, visits, persons guided, working-age
//                    persons using online public services against the target, five-skills
//                    households
//   "Theo nội dung"  per topic: guided / done / needs follow-up / no conditions
//   "Theo thành viên" per member: visits in the month, overdue follow-ups
// Counts are numbers (not text) in the XLSX, percentages numbers with one decimal.
//
// File names: BaoCao_ToCNSCD_<Commune>_<yyyy-mm>.xlsx, and for CSV the same stem with
// _TongHop, _TheoThon, _TheoNoiDung, _TheoThanhVien before ".csv". <Commune> is the commune's
// name folded to ASCII with each word capitalised and no spaces ("Xã Tịnh Sơn" → XaTinhSon).
// CSV files are UTF-8 with a BOM (so Excel reads the diacritics), comma-separated, CRLF.
//
// Files are written through a temporary file renamed into place: a reader never sees half a
// report. Threading: like every storage call, one thread per Database.
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "storage/dashboard/indicators.h"

namespace gocua {

struct MonthlyReportRequest {
  std::string month;           // "YYYY-MM"
  std::string dir;             // an existing folder
  bool approved_only = false;  // count approved visits only (the default counts pending too)
  std::string today;           // "" = the clock's date (overdue follow-ups are as of today)
};

// One sheet of the report, as cells: a title block, a header row, data rows.
struct ReportCell {
  std::string text;   // for a text cell
  double number = 0;  // for a number cell
  bool is_number = false;
  bool percent = false;  // a number shown with one decimal
};
struct ReportSheet {
  std::string name;                // sheet name (Vietnamese, <= 31 characters)
  std::string file_part;           // ASCII suffix of the CSV file: "TheoThon"
  std::vector<std::string> title;  // lines above the table
  std::vector<std::string> header;
  std::vector<std::vector<ReportCell>> rows;
};

// The report's sheets for `month`, from ComputeDashboard. kInvalidInput for a bad month.
Result<std::vector<ReportSheet>> BuildMonthlyReport(Database& db,
                                                    const MonthlyReportRequest& request);

// "BaoCao_ToCNSCD_XaTinhSon_2026-11" (no extension).
std::string ReportFileStem(const std::string& commune_name, const std::string& month);

// Writes the XLSX report into request.dir; returns its path.
Result<std::string> WriteMonthlyReportXlsx(Database& db, const MonthlyReportRequest& request);
// Writes the four CSV files into request.dir; returns their paths in sheet order.
Result<std::vector<std::string>> WriteMonthlyReportCsv(Database& db,
                                                       const MonthlyReportRequest& request);

}  // namespace gocua
