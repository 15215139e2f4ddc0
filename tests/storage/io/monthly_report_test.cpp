// The monthly report on the hand-computed fixture (tests/support/leader_fixture.h). The XLSX is
// read back by a real reader: Python's zipfile and XML parser, run as a child process.
#include "storage/io/monthly_report.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "storage/io/csv.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

// Prints {"sheets": [{"name": ..., "rows": [[cell, ...], ...]}]}: strings as strings (shared or
// inline), numbers as numbers, rows and cells placed by their numbers and column letters.
constexpr const char* kReader = R"PY(
import json, re, sys, zipfile
import xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si'):
        shared.append(''.join(t.text or '' for t in si.iter(M + 't')))
rels = {r.get('Id'): r.get('Target') for r in ET.fromstring(z.read('xl/_rels/workbook.xml.rels'))}
out = []
for sheet in ET.fromstring(z.read('xl/workbook.xml')).iter(M + 'sheet'):
    target = rels[sheet.get(R + 'id')].lstrip('/')
    path = target if target.startswith('xl/') else 'xl/' + target
    rows = []
    for row in ET.fromstring(z.read(path)).iter(M + 'row'):
        while len(rows) < int(row.get('r')) - 1:
            rows.append([])
        cells = []
        for c in row.iter(M + 'c'):
            col = 0
            for ch in re.match('[A-Z]+', c.get('r')).group(0):
                col = col * 26 + ord(ch) - 64
            while len(cells) < col - 1:
                cells.append(None)
            v = c.find(M + 'v')
            if c.get('t') == 's':
                cells.append(shared[int(v.text)])
            elif c.get('t') == 'inlineStr':
                cells.append(''.join(t.text or '' for t in c.iter(M + 't')))
            else:
                cells.append(float(v.text) if v is not None else None)
        rows.append(cells)
    out.append({'name': sheet.get('name'), 'rows': rows})
print(json.dumps({'sheets': out}, ensure_ascii=False))
)PY";

nlohmann::json ReadXlsx(const test::TempDir& dir, const std::string& xlsx) {
  const std::string script = dir.File("read_xlsx.py");
  std::ofstream(script) << kReader;
  const std::string command = "python3 '" + script + "' '" + xlsx + "'";
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  REQUIRE_MESSAGE(pclose(p) == 0, "python3 could not read " << xlsx);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j["sheets"];
}

// The row whose first cell is `label`.
nlohmann::json RowOf(const nlohmann::json& sheet, const std::string& label) {
  for (const auto& row : sheet["rows"])
    if (!row.empty() && row[0] == label) return row;
  FAIL("no row '" << label << "' in sheet " << sheet["name"]);
  return {};
}

MonthlyReportRequest March(const test::TempDir& dir) {
  return {"2026-03", dir.path().string(), false, "2026-03-15"};
}

TEST_CASE("MonthlyReport: the XLSX opens with a real reader and holds the fixture's numbers") {
  test::LeaderFixture f;
  test::TempDir out;
  auto path = WriteMonthlyReportXlsx(*f.db, March(out));
  REQUIRE_MESSAGE(path.ok(), path.error().message());
  CHECK(*path == out.File("BaoCao_ToCNSCD_XaTinhSon_2026-03.xlsx"));
  CHECK_FALSE(std::filesystem::exists(*path + ".tmp"));

  const nlohmann::json sheets = ReadXlsx(out, *path);
  REQUIRE(sheets.size() == 4);
  CHECK(sheets[0]["name"] == "Tổng hợp");
  CHECK(sheets[1]["name"] == "Theo thôn");
  CHECK(sheets[2]["name"] == "Theo nội dung");
  CHECK(sheets[3]["name"] == "Theo thành viên");
  for (const auto& sheet : sheets) {
    const std::string title = sheet["rows"][0][0];
    CHECK(title.find("Xã Tịnh Sơn") != std::string::npos);
    CHECK(title.find("THÁNG 03/2026") != std::string::npos);
    CHECK(sheet["rows"][1][0].get<std::string>().find("01/03/2026 – 31/03/2026") !=
          std::string::npos);
  }

  const nlohmann::json& villages = sheets[1];
  CHECK(villages["rows"][3][0] == "Thôn/Ấp/Bản");  // two title lines, a blank, the header
  const nlohmann::json dong = RowOf(villages, "Thôn Đông");
  CHECK(dong == nlohmann::json{"Thôn Đông", 2, 2, 100, 3, 3, 4, 2, 1, 50, 90, 2, 100});
  nlohmann::json tay = RowOf(villages, "Thôn Tây");
  CHECK(tay[9].get<double>() == doctest::Approx(100.0 / 3));
  tay[9] = 0;
  CHECK(tay == nlohmann::json{"Thôn Tây", 2, 1, 50, 1, 1, 1, 3, 1, 0, 90, 0, 0});
  const nlohmann::json all = RowOf(villages, "Toàn xã");
  CHECK(all == nlohmann::json{"Toàn xã", 4, 3, 75, 4, 4, 5, 5, 2, 40, 90, 2, 50});

  const nlohmann::json& summary = sheets[0];
  CHECK(RowOf(summary, "Số lượt thăm trong kỳ")[1] == 4);
  CHECK(RowOf(summary, "Chỉ tiêu đến năm 2030 (%)")[1] == 90);
  CHECK(RowOf(summary, "Đánh giá so với chỉ tiêu")[1] == "Chưa đạt");
  CHECK(RowOf(summary, "Lượt thăm chờ duyệt")[1] == 3);
  CHECK(RowOf(summary, "Hẹn quay lại đã quá hạn (đến ngày lập báo cáo)")[1] == 2);

  const nlohmann::json dvc = RowOf(sheets[2], "dvc");
  CHECK(dvc[2] == 0);
  CHECK(dvc[3] == 3);
  CHECK(dvc[6] == 3);
  CHECK(RowOf(sheets[2], "vneid")[2] == 1);
  const nlohmann::json binh = RowOf(sheets[3], "Phạm Văn Bình");
  CHECK(binh == nlohmann::json{"Phạm Văn Bình", "Thành viên", 2, 2});
  CHECK(RowOf(sheets[3], "Lê Văn Hùng")[1] == "Tổ trưởng/lãnh đạo");
}

TEST_CASE("MonthlyReport: CSV files per group, approved only, bad input") {
  test::LeaderFixture f;
  test::TempDir out;
  MonthlyReportRequest r = March(out);
  r.approved_only = true;
  auto paths = WriteMonthlyReportCsv(*f.db, r);
  REQUIRE_MESSAGE(paths.ok(), paths.error().message());
  REQUIRE(paths->size() == 4);
  CHECK((*paths)[1] == out.File("BaoCao_ToCNSCD_XaTinhSon_2026-03_TheoThon.csv"));
  std::ifstream in((*paths)[1], std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.rfind("\xEF\xBB\xBF", 0) == 0);
  auto table = ParseCsv(text);
  REQUIRE(table.ok());
  bool found = false;
  for (const CsvRow& row : table->rows)
    if (!row.cells.empty() && row.cells[0] == "Toàn xã") {
      found = true;
      // Approved only: V1 and V4.
      CHECK(row.cells == std::vector<std::string>{"Toàn xã", "4", "2", "50.0", "2", "2", "2", "5",
                                                  "2", "40.0", "90", "2", "50.0"});
    }
  CHECK(found);

  r.month = "2026-13";
  CHECK(WriteMonthlyReportXlsx(*f.db, r).error().code() == ErrorCode::kInvalidInput);
  r.month = "2026-03";
  r.dir = out.File("no-such-folder");
  CHECK(WriteMonthlyReportXlsx(*f.db, r).error().code() == ErrorCode::kIo);
  CHECK(ReportFileStem("Phường Đống Đa", "2026-11") == "BaoCao_ToCNSCD_PhuongDongDa_2026-11");
}

}  // namespace
}  // namespace gocua
