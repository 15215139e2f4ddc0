// stats, export, report, target: what leaders read and what leaves the device as files.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <ostream>

#include "platform/utf8_path.h"
#include "storage/dashboard/indicator_settings.h"
#include "storage/dashboard/stats.h"
#include "storage/io/export.h"
#include "storage/io/monthly_report.h"
#include "tools/cli/commands.h"
#include "tools/cli/record_json.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / whole);
  return buf;
}

int Stats(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  StatsPeriod period{a.Get("from"), a.Get("to")};
  if (!period.from.empty() && !period.to.empty() && period.from > period.to)
    return ctx.Usage("--from phải trước --to — --from is after --to", "stats");
  auto rows = Coverage(**db, period);
  if (!rows) return ctx.Fail(rows.error());
  if (ctx.json()) {
    nlohmann::json villages = nlohmann::json::array();
    for (size_t i = 0; i + 1 < rows->size(); ++i) villages.push_back(ToJson((*rows)[i]));
    return ctx.PrintJson({{"from", period.from},
                          {"to", period.to},
                          {"villages", villages},
                          {"total", ToJson(rows->back())}});
  }
  Table t({"Thôn/Village", "Hộ/Households", "Đã thăm/Visited", "Tỉ lệ/%", "Người/Persons",
           "Được HD/Guided", "Lượt thăm/Visits"},
          {false, true, true, true, true, true, true});
  for (const CoverageRow& r : *rows)
    t.Add({r.village_name, std::to_string(r.households), std::to_string(r.households_visited),
           Percent(r.households_visited, r.households), std::to_string(r.persons),
           std::to_string(r.persons_guided), std::to_string(r.visits)});
  ctx.out() << "Kỳ — period: " << (period.from.empty() ? "…" : period.from) << " → "
            << (period.to.empty() ? "…" : period.to) << "\n";
  t.Print(ctx.out());
  return kExitOk;
}

// Writes `bytes` to `path` through a temporary file renamed over it, so a reader never sees
// half an export.
Status WriteFileAtomically(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(PathFromUtf8(tmp), std::ios::binary | std::ios::trunc);
    if (f) f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (f) f.flush();
    if (!f) {
      const std::string why = std::strerror(errno);
      std::error_code rm;
      std::filesystem::remove(PathFromUtf8(tmp), rm);
      return {ErrorCode::kIo,
              "Không ghi được tệp " + path + " — cannot write " + path + ": " + why};
    }
  }
  std::error_code ec;
  std::filesystem::rename(PathFromUtf8(tmp), PathFromUtf8(path), ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(PathFromUtf8(tmp), ec);
    return {ErrorCode::kIo, "Không ghi được tệp " + path + " — cannot write " + path + ": " + why};
  }
  return Status::Ok();
}

int Export(Context& ctx, const ParsedArgs& a) {
  const bool csv = a.Get("format") == "csv";
  if (!csv && a.Has("table"))
    return ctx.Usage("--table chỉ dùng với --format csv; JSON xuất mọi bảng — --table is for csv",
                     "export");
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto bytes = csv ? ExportCsv(**db, a.Get("table", "households")) : ExportCanonicalJson(**db);
  if (!bytes) return ctx.Fail(bytes.error());
  if (!a.Has("out")) {
    ctx.out().write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
    ctx.out().flush();
    return kExitOk;
  }
  const std::string path = a.Get("out");
  if (Status st = WriteFileAtomically(path, *bytes); !st) return ctx.Fail(st);
  if (ctx.json()) return ctx.PrintJson({{"out", path}, {"bytes", bytes->size()}});
  ctx.out() << "Đã ghi " << bytes->size() << " byte vào " << path << " — wrote " << bytes->size()
            << " bytes to " << path << "\n";
  return kExitOk;
}

// YYYY-MM with a real month.
bool IsMonth(const std::string& m) { return m.size() == 7 && IsDate(m + "-01"); }

int Report(Context& ctx, const ParsedArgs& a) {
  const std::string month = a.Get("month");
  if (!IsMonth(month))
    return ctx.Usage("--month cần dạng YYYY-MM, ví dụ 2026-11 — --month must be YYYY-MM", "report");
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  MonthlyReportRequest r{month, a.Get("out", "."), a.Has("approved-only"), a.Get("today")};
  std::vector<std::string> paths;
  if (a.Get("format", "xlsx") == "xlsx") {
    auto path = WriteMonthlyReportXlsx(**db, r);
    if (!path) return ctx.Fail(path.error());
    paths.push_back(*path);
  } else {
    auto written = WriteMonthlyReportCsv(**db, r);
    if (!written) return ctx.Fail(written.error());
    paths = *written;
  }
  if (ctx.json()) return ctx.PrintJson({{"month", month}, {"files", paths}});
  for (const std::string& p : paths) ctx.out() << p << "\n";
  return kExitOk;
}

int TargetList(Context& ctx, const ParsedArgs&) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto s = LoadIndicatorSettings(**db);
  if (!s) return ctx.Fail(s.error());
  if (ctx.json()) {
    nlohmann::json lines = nlohmann::json::array();
    for (const TargetLine& t : s->online_services)
      lines.push_back({{"year", t.year}, {"percent", t.percent}});
    return ctx.PrintJson({{"online_services", lines},
                          {"working_age_min", s->working_age_min},
                          {"working_age_max", s->working_age_max}});
  }
  Table t({"Năm/Year", "Chỉ tiêu/Target %"}, {true, true});
  for (const TargetLine& line : s->online_services)
    t.Add({std::to_string(line.year), std::to_string(line.percent)});
  t.Print(ctx.out());
  ctx.out() << "Độ tuổi lao động — working age: " << s->working_age_min << "–" << s->working_age_max
            << "\n";
  return kExitOk;
}

int TargetSet(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto s = LoadIndicatorSettings(**db);
  if (!s) return ctx.Fail(s.error());
  IndicatorSettings next = *s;
  if (a.Has("year") != a.Has("percent"))
    return ctx.Usage("--year và --percent đi cùng nhau — give --year with --percent", "target set");
  if (a.Has("year")) {
    const int year = static_cast<int>(a.GetInt("year", 0));
    const int percent = static_cast<int>(a.GetInt("percent", 0));
    bool replaced = false;
    for (TargetLine& t : next.online_services)
      if (t.year == year) {
        t.percent = percent;
        replaced = true;
      }
    if (!replaced) next.online_services.push_back({year, percent});
  }
  next.working_age_min = static_cast<int>(a.GetInt("working-age-min", next.working_age_min));
  next.working_age_max = static_cast<int>(a.GetInt("working-age-max", next.working_age_max));
  if (Status st = SaveIndicatorSettings(**db, next); !st) return ctx.Fail(st);
  return TargetList(ctx, a);
}

}  // namespace

std::vector<CommandSpec> ReportCommands() {
  return {
      {"stats",
       "",
       "độ phủ theo thôn và toàn xã — coverage per village and for the commune",
       {},
       {Date("from", "lượt thăm từ ngày — visits on or after"),
        Date("to", "lượt thăm đến ngày — visits on or before")},
       {"gocua-cli stats --from 2025-09-01 --to 2025-09-30"},
       Stats},
      {"export",
       "",
       "xuất dữ liệu ra JSON (mọi bản ghi) hoặc CSV (một bảng) — export records",
       {},
       {Choice("format", {"json", "csv"},
               "json: mọi bản ghi, giống hệt từng byte — every record, byte-stable; "
               "csv: một bảng cho Excel — one table for Excel",
               true),
        Choice("table", {"households", "persons", "visits"},
               "bảng cần xuất (csv, mặc định households) — table for csv, default households"),
        Text("out", "FILE", "ghi vào tệp thay vì stdout — write to FILE")},
       {"gocua-cli export --format json --out xa.json",
        "gocua-cli export --format csv --table visits > luot-tham.csv"},
       Export},
      {"report",
       "",
       "báo cáo tháng gửi cấp trên (XLSX hoặc CSV) — the monthly report",
       {},
       {Text("month", "YYYY-MM", "tháng báo cáo — the month", true),
        Choice("format", {"xlsx", "csv"},
               "xlsx: một tệp, mỗi nhóm chỉ tiêu một trang (mặc định); csv: mỗi nhóm một tệp "
               "— xlsx (default) or one csv per group"),
        Text("out", "DIR", "thư mục ghi tệp (mặc định thư mục hiện tại) — folder, default ."),
        Flag("approved-only", "chỉ tính lượt thăm đã duyệt — count approved visits only"),
        Date("today", "ngày lập báo cáo (hẹn quá hạn tính đến ngày này) — report date")},
       {"gocua-cli report --month 2026-11",
        "gocua-cli report --month 2026-11 --format csv --out ~/BaoCao"},
       Report},
      {"target",
       "list",
       "chỉ tiêu tỉ lệ người trong độ tuổi lao động dùng được DVC trực tuyến — the targets",
       {},
       {},
       {"gocua-cli target list"},
       TargetList},
      {"target",
       "set",
       "đặt chỉ tiêu của tỉnh cho một năm, hoặc độ tuổi lao động — set a target line",
       {},
       {Int("year", "YYYY", "năm — year", 2000, 2100),
        Int("percent", "P", "chỉ tiêu % — target percent", 1, 100),
        Int("working-age-min", "N", "tuổi lao động từ — working age from", 0, 120),
        Int("working-age-max", "N", "tuổi lao động đến — working age to", 0, 120)},
       {"gocua-cli target set --year 2025 --percent 75"},
       TargetSet},
  };
}

}  // namespace gocua::cli
