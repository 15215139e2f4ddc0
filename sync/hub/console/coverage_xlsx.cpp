// /console/coverage.xlsx: the coverage table as a spreadsheet (libxlsxwriter), written to a
// private temporary file and sent as bytes.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "sync/hub/console/context.h"
#include "sync/hub/console/coverage.h"

namespace gocua::hub::console {

Result<std::string> CoverageXlsxBytes(const CoverageTable& t, Lang lang) {
  char path[] = "/tmp/gocua-coverage-XXXXXX";
  const int fd = mkstemp(path);  // 0600, a name no one else has
  if (fd < 0) return Status(ErrorCode::kIo, "cannot make a temporary file for the XLSX");
  close(fd);
  struct Remove {
    const char* p;
    ~Remove() { std::remove(p); }
  } remove{path};
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(path, &options);
  if (!wb) return Status(ErrorCode::kIo, "cannot start the XLSX");
  lxw_worksheet* ws = workbook_add_worksheet(wb, Tr(lang, "xlsx.sheet"));
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_format* pct = workbook_add_format(wb);
  format_set_num_format(pct, "0.0");
  worksheet_write_string(ws, 0, 0, Tr(lang, "xlsx.title"), bold);
  worksheet_write_string(ws, 1, 0, Tr(lang, "coverage.target"), nullptr);
  worksheet_write_number(ws, 1, 1, t.target, nullptr);
  worksheet_write_number(ws, 1, 2, t.target_year, nullptr);
  const char* const headers[] = {
      "coverage.commune", "coverage.households",  "coverage.visited",    "coverage.visited_pct",
      "coverage.online",  "coverage.working_age", "coverage.online_pct", "coverage.meets"};
  for (int i = 0; i < 8; ++i)
    worksheet_write_string(ws, 3, static_cast<lxw_col_t>(i), Tr(lang, headers[i]), bold);
  worksheet_set_column(ws, 0, 0, 28, nullptr);
  worksheet_set_column(ws, 1, 7, 16, nullptr);
  lxw_row_t row = 4;
  for (const CommuneCoverage& r : t.rows) {
    worksheet_write_string(ws, row, 0, r.commune_name.c_str(), nullptr);
    worksheet_write_number(ws, row, 1, static_cast<double>(r.households), nullptr);
    worksheet_write_number(ws, row, 2, static_cast<double>(r.households_visited), nullptr);
    if (r.households > 0)
      worksheet_write_number(ws, row, 3, 100.0 * r.households_visited / r.households, pct);
    worksheet_write_number(ws, row, 4, static_cast<double>(r.working_age_online), nullptr);
    worksheet_write_number(ws, row, 5, static_cast<double>(r.working_age), nullptr);
    if (r.working_age > 0)
      worksheet_write_number(ws, row, 6, 100.0 * r.working_age_online / r.working_age, pct);
    const bool meets = r.working_age > 0 && r.working_age_online * 100 >= t.target * r.working_age;
    worksheet_write_string(ws, row, 7, Tr(lang, meets ? "coverage.yes" : "coverage.no"), nullptr);
    ++row;
  }
  if (lxw_error err = workbook_close(wb); err != LXW_NO_ERROR)
    return Status(ErrorCode::kIo, std::string("writing the XLSX failed: ") + lxw_strerror(err));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in) return Status(ErrorCode::kIo, "reading the XLSX back failed");
  return bytes.str();
}

http::Response CoverageXlsx(Ctx& c) {
  auto t = LoadCoverage(c.store, c.clock);
  if (!t) return ErrorPage(c, 500, StoreMessage(c, t.error()));
  auto bytes = CoverageXlsxBytes(*t, c.lang);
  if (!bytes) return ErrorPage(c, 500, StoreMessage(c, bytes.error()));
  if (Status a = Audit(c, "coverage.xlsx", std::to_string(t->rows.size()) + " communes"); !a)
    return ErrorPage(c, 500, StoreMessage(c, a));
  http::Response r;
  r.headers.emplace_back("Content-Type",
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"gocua-coverage-" +
                                                    std::to_string(t->year) + ".xlsx\"");
  r.body = std::move(bytes).value();
  return r;
}

}  // namespace gocua::hub::console
