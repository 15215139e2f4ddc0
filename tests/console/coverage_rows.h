#pragma once
// Reading the console's coverage table (/console/coverage) in tests: one commune's figures.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace gocua::console_test {

// The row of commune `id` in the coverage page `html`: {households, households visited,
// working-age people, of them able to use online public services}; empty if it has no row.
inline std::vector<std::string> CoverageRow(const std::string& html, const std::string& id) {
  const size_t row = html.find("<tr data-commune=\"" + id + "\">");
  if (row == std::string::npos) return {};
  const size_t end = html.find("</tr>", row);
  std::vector<std::string> nums;  // households, visited, visited %, online, working age, online %
  const std::string open = "<td class=\"num\">";
  for (size_t at = html.find(open, row); at != std::string::npos && at < end;
       at = html.find(open, at + 1)) {
    const size_t start = at + open.size();
    nums.push_back(html.substr(start, html.find('<', start) - start));
  }
  if (nums.size() != 6) return {};
  return {nums[0], nums[1], nums[4], nums[3]};
}

// Reads an XLSX with Python's zipfile and ElementTree (a reader that is not libxlsxwriter):
// prints its first sheet's rows as JSON, numbers as floats.
constexpr const char* kXlsxReader = R"PY(
import json, re, sys, zipfile
import xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si'):
        shared.append(''.join(t.text or '' for t in si.iter(M + 't')))
rows = []
for row in ET.fromstring(z.read('xl/worksheets/sheet1.xml')).iter(M + 'row'):
    cells = []
    for c in row.iter(M + 'c'):
        v = c.find(M + 'v')
        cells.append(shared[int(v.text)] if c.get('t') == 's' else float(v.text))
    rows.append(cells)
print(json.dumps(rows, ensure_ascii=False))
)PY";

// The rows of the XLSX `bytes` (written to `scratch`), as kXlsxReader reads them.
inline nlohmann::json XlsxRows(const std::string& bytes, const std::filesystem::path& scratch) {
  std::ofstream(scratch / "coverage.xlsx", std::ios::binary) << bytes;
  std::ofstream(scratch / "read.py") << kXlsxReader;
  test::ProcessResult read = test::RunProcess(
      {"/usr/bin/python3", (scratch / "read.py").string(), (scratch / "coverage.xlsx").string()},
      scratch);
  INFO(read.err);
  REQUIRE(read.exit_code == 0);
  return nlohmann::json::parse(read.out);
}

}  // namespace gocua::console_test
