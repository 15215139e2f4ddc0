// The report's files: XLSX through libxlsxwriter, CSV through storage/io/csv.h.
#include <xlsxwriter.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "platform/utf8_path.h"
#include "storage/device/places.h"
#include "storage/io/csv.h"
#include "storage/io/monthly_report.h"

namespace gocua {
namespace {

Status CannotWrite(const std::string& path, const std::string& why) {
  return {ErrorCode::kIo, "Không ghi được tệp " + path +
                              ": hãy chọn thư mục khác hoặc kiểm tra ổ đĩa — cannot write " + path +
                              ": " + why};
}

Status Rename(const std::string& tmp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(PathFromUtf8(tmp), PathFromUtf8(path), ec);
  if (!ec) return Status::Ok();
  const std::string why = ec.message();
  std::filesystem::remove(PathFromUtf8(tmp), ec);
  return CannotWrite(path, why);
}

std::string Join(const std::string& dir, const std::string& file) {
  return JoinPathUtf8(dir, file);
}

Result<std::string> Stem(Database& db, const MonthlyReportRequest& request) {
  auto commune = Places(db).LocalCommune();
  if (!commune) return commune.error();
  std::error_code ec;
  if (!std::filesystem::is_directory(PathFromUtf8(request.dir), ec))
    return Status{ErrorCode::kIo, "Không có thư mục " + request.dir + " — no such folder"};
  return ReportFileStem(commune->name, request.month);
}

std::string CellText(const ReportCell& c) {
  if (!c.is_number) return c.text;
  char buf[32];
  std::snprintf(buf, sizeof buf, c.percent ? "%.1f" : "%.0f", c.number);
  return buf;
}

// Writes one sheet; libxlsxwriter keeps the first error, checked at workbook_close.
void WriteSheet(lxw_workbook* wb, const ReportSheet& s, lxw_format* title_fmt,
                lxw_format* header_fmt, lxw_format* percent_fmt) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
  if (!ws) return;
  lxw_row_t row = 0;
  for (const std::string& line : s.title) {
    worksheet_write_string(ws, row, 0, line.c_str(), row == 0 ? title_fmt : nullptr);
    ++row;
  }
  ++row;  // a blank line under the title
  for (size_t c = 0; c < s.header.size(); ++c)
    worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), s.header[c].c_str(), header_fmt);
  worksheet_set_row(ws, row, LXW_DEF_ROW_HEIGHT * 2.5, nullptr);
  ++row;
  for (const std::vector<ReportCell>& cells : s.rows) {
    for (size_t c = 0; c < cells.size(); ++c) {
      const ReportCell& cell = cells[c];
      const auto col = static_cast<lxw_col_t>(c);
      if (cell.is_number)
        worksheet_write_number(ws, row, col, cell.number, cell.percent ? percent_fmt : nullptr);
      else
        worksheet_write_string(ws, row, col, cell.text.c_str(), nullptr);
    }
    ++row;
  }
  worksheet_set_column(ws, 0, 0, s.name == "Tổng hợp" ? 70 : 24, nullptr);
  if (s.header.size() > 1)
    worksheet_set_column(ws, 1, static_cast<lxw_col_t>(s.header.size() - 1), 16, nullptr);
}

}  // namespace

Result<std::string> WriteMonthlyReportXlsx(Database& db, const MonthlyReportRequest& request) {
  auto sheets = BuildMonthlyReport(db, request);
  if (!sheets) return sheets.error();
  auto stem = Stem(db, request);
  if (!stem) return stem.error();
  const std::string path = Join(request.dir, *stem + ".xlsx");
  const std::string tmp = path + ".tmp";
  lxw_workbook_options options = {};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = nullptr;
  lxw_workbook* wb = workbook_new_opt(tmp.c_str(), &options);
  if (!wb) return CannotWrite(path, "workbook_new");
  lxw_format* title_fmt = workbook_add_format(wb);
  format_set_bold(title_fmt);
  format_set_font_size(title_fmt, 13);
  lxw_format* header_fmt = workbook_add_format(wb);
  format_set_bold(header_fmt);
  format_set_text_wrap(header_fmt);
  format_set_align(header_fmt, LXW_ALIGN_VERTICAL_TOP);
  format_set_border(header_fmt, LXW_BORDER_THIN);
  lxw_format* percent_fmt = workbook_add_format(wb);
  format_set_num_format(percent_fmt, "0.0");
  for (const ReportSheet& s : *sheets) WriteSheet(wb, s, title_fmt, header_fmt, percent_fmt);
  if (lxw_error err = workbook_close(wb); err != LXW_NO_ERROR) {
    std::error_code ec;
    std::filesystem::remove(PathFromUtf8(tmp), ec);
    return CannotWrite(path, lxw_strerror(err));
  }
  if (Status st = Rename(tmp, path); !st) return st;
  return path;
}

Result<std::vector<std::string>> WriteMonthlyReportCsv(Database& db,
                                                       const MonthlyReportRequest& request) {
  auto sheets = BuildMonthlyReport(db, request);
  if (!sheets) return sheets.error();
  auto stem = Stem(db, request);
  if (!stem) return stem.error();
  std::vector<std::string> paths;
  for (const ReportSheet& s : *sheets) {
    std::string text = "\xEF\xBB\xBF";  // BOM: Excel then reads UTF-8
    for (const std::string& line : s.title) text += CsvLine({line});
    text += CsvLine(s.header);
    for (const std::vector<ReportCell>& cells : s.rows) {
      std::vector<std::string> line;
      for (const ReportCell& c : cells) line.push_back(CellText(c));
      text += CsvLine(line);
    }
    const std::string path = Join(request.dir, *stem + "_" + s.file_part + ".csv");
    const std::string tmp = path + ".tmp";
    {
      std::ofstream f(PathFromUtf8(tmp), std::ios::binary | std::ios::trunc);
      if (f) f.write(text.data(), static_cast<std::streamsize>(text.size()));
      if (f) f.flush();
      if (!f) {
        const std::string why = std::strerror(errno);
        std::error_code ec;
        std::filesystem::remove(PathFromUtf8(tmp), ec);
        return CannotWrite(path, why);
      }
    }
    if (Status st = Rename(tmp, path); !st) return st;
    paths.push_back(path);
  }
  return paths;
}

}  // namespace gocua
