// household import: a commune's existing household spreadsheet, saved as CSV.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "platform/utf8_path.h"
#include "storage/io/household_import.h"
#include "tools/cli/commands.h"

namespace gocua::cli {
namespace {

// The whole of `path` ("-" = standard input), as bytes.
Result<std::string> ReadAll(const std::string& path) {
  if (path == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    return s.str();
  }
  std::ifstream in(PathFromUtf8(path), std::ios::binary);
  if (!in)
    return Status{ErrorCode::kIo, "Không mở được tệp " + path + " — cannot open " + path + ": " +
                                      std::strerror(errno)};
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad())
    return Status{ErrorCode::kIo, "Không đọc được tệp " + path + " — cannot read " + path};
  return text;
}

int Import(Context& ctx, const ParsedArgs& a) {
  const std::string path = a.positionals.at(0);
  auto text = ReadAll(path);
  if (!text) return ctx.Fail(text.error());
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  ImportOptions options;
  options.skip_bad_lines = a.Has("skip-bad-lines");
  std::ostream& err = ctx.err();
  options.progress = [&err](size_t done, size_t total) {
    if (total >= 1000)
      err << "Đang ghi " << done << "/" << total << " hộ — writing " << done << "/" << total
          << " households\n"
          << std::flush;
  };
  auto report = ImportHouseholdsCsv(**db, *text, options);
  if (!report) return ctx.Fail(report.error());
  for (const ImportProblem& p : report->problems) {
    if (p.line > 0)
      err << "line " << p.line << ": " << p.reason << "\n";
    else
      err << path << ": " << p.reason << "\n";
  }
  const size_t bad = report->problems.size();
  const bool stopped = bad > 0 && !options.skip_bad_lines;
  if (ctx.json()) {
    nlohmann::json problems = nlohmann::json::array();
    for (const ImportProblem& p : report->problems)
      problems.push_back({{"line", p.line}, {"reason", p.reason}});
    ctx.PrintJson({{"rows", report->rows},
                   {"imported", report->imported},
                   {"problems", problems},
                   {"stopped", stopped}});
  }
  if (stopped) {
    err << "gocua-cli: Không nhập hộ nào: " << bad
        << " dòng có lỗi. Sửa các dòng trên rồi nhập lại, hoặc thêm --skip-bad-lines để bỏ qua "
           "chúng — nothing imported: "
        << bad << " bad line(s); fix them, or add --skip-bad-lines to import the rest\n";
    return kExitFailed;
  }
  if (!ctx.json()) {
    ctx.out() << "Đã nhập " << report->imported << " hộ — imported " << report->imported
              << " household(s)";
    if (bad) ctx.out() << " (bỏ qua " << bad << " dòng lỗi — skipped " << bad << " bad line(s))";
    ctx.out() << "\n";
  }
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> ImportCommands() {
  return {
      {"household",
       "import",
       "nhập danh sách hộ từ tệp CSV (Excel: Lưu thành CSV UTF-8) — import households from CSV",
       {{"FILE", "tệp .csv, hoặc - để đọc từ stdin — the CSV file, or - for stdin", true}},
       {Flag("skip-bad-lines",
             "nhập các dòng tốt, bỏ qua dòng lỗi — import the good lines, skip the bad ones")},
       {"gocua-cli household import ho-gia-dinh.csv",
        "gocua-cli household import ho-gia-dinh.csv --skip-bad-lines"},
       Import},
  };
}

}  // namespace gocua::cli
