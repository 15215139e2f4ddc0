// stats, export: what leaders read and what leaves the device as files.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>

#include "storage/export.h"
#include "storage/stats.h"
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
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (f) f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (f) f.flush();
    if (!f) {
      const std::string why = std::strerror(errno);
      std::remove(tmp.c_str());
      return {ErrorCode::kIo,
              "Không ghi được tệp " + path + " — cannot write " + path + ": " + why};
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
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
  };
}

}  // namespace gocua::cli
