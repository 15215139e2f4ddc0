#include "storage/io/csv.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace gocua {
namespace {

using Cells = std::vector<std::string>;

CsvTable MustParse(std::string_view text) {
  Result<CsvTable> r = ParseCsv(text);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return std::move(r).value();
}

// The message of a parse that must fail with kInvalidInput.
std::string MustFail(std::string_view text) {
  Result<CsvTable> r = ParseCsv(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == ErrorCode::kInvalidInput);
  return r.error().message();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("Csv: empty input gives an empty table") {
  for (std::string_view text : {std::string_view(""), std::string_view("\xEF\xBB\xBF"),
                                std::string_view("\r\n\r\n"), std::string_view("  \n;;\n")}) {
    CAPTURE(text);
    CsvTable t = MustParse(text);
    CHECK(t.header.empty());
    CHECK(t.rows.empty());
  }
  CHECK(MustParse("").delimiter == ',');
}

TEST_CASE("Csv: a UTF-8 BOM is stripped, and files without one read the same") {
  const std::string body = "Họ tên,Xã\r\nNguyễn Văn An,Tân Lập\r\n";
  CsvTable with = MustParse("\xEF\xBB\xBF" + body);
  CsvTable without = MustParse(body);
  CHECK(with.header == Cells{"Họ tên", "Xã"});
  CHECK(without.header == with.header);
  REQUIRE(with.rows.size() == 1);
  CHECK(with.rows[0].line == 2);
  CHECK(with.rows[0].cells == without.rows[0].cells);
}

TEST_CASE("Csv: the delimiter is detected from the header line") {
  SUBCASE("semicolon, as Vietnamese Excel exports it") {
    CsvTable t = MustParse("Họ tên;Địa chỉ;Số điện thoại\nTrần Thị Bình;Số 5, ngõ 12;0912345678\n");
    CHECK(t.delimiter == ';');
    CHECK(t.header == Cells{"Họ tên", "Địa chỉ", "Số điện thoại"});
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].cells == Cells{"Trần Thị Bình", "Số 5, ngõ 12", "0912345678"});
  }
  SUBCASE("comma") {
    CsvTable t = MustParse("a,b,c\n1;2,3,4\n");
    CHECK(t.delimiter == ',');
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].cells == Cells{"1;2", "3", "4"});
  }
  SUBCASE("a tie, or no delimiter at all, means comma") {
    CHECK(MustParse("a;b,c\n").delimiter == ',');
    CHECK(MustParse("only\n").delimiter == ',');
  }
  SUBCASE("delimiters inside quotes do not count") {
    CsvTable t = MustParse("\"a,b,c\";d;e\n1;2;3\n");
    CHECK(t.delimiter == ';');
    CHECK(t.header == Cells{"a,b,c", "d", "e"});
  }
  SUBCASE("only the header line counts") { CHECK(MustParse("a;b\n1,2,3,4,5\n").delimiter == ';'); }
  SUBCASE("leading blank lines are not the header") {
    CsvTable t = MustParse("\r\n  \r\na;b\r\n1;2\r\n");
    CHECK(t.delimiter == ';');
    CHECK(t.header == Cells{"a", "b"});
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].line == 4);
  }
}

TEST_CASE("Csv: quoted fields hold delimiters, escaped quotes and newlines") {
  const std::string text =
      "id,ghi chú,xã\r\n"                                // line 1
      "1,\"Số 5, ngõ 12\",Tân Lập\r\n"                   // line 2
      "2,\"Ông nói \"\"chào\"\"\",Đồng Tâm\r\n"          // line 3
      "3,\"dòng một\r\ndòng hai\ndòng ba\",Yên Hòa\r\n"  // lines 4-6
      "4,\"\",\"\"\"\"\r\n";                             // line 7
  CsvTable t = MustParse(text);
  REQUIRE(t.rows.size() == 4);
  CHECK(t.rows[0].line == 2);
  CHECK(t.rows[0].cells == Cells{"1", "Số 5, ngõ 12", "Tân Lập"});
  CHECK(t.rows[1].line == 3);
  CHECK(t.rows[1].cells == Cells{"2", "Ông nói \"chào\"", "Đồng Tâm"});
  CHECK(t.rows[2].line == 4);
  CHECK(t.rows[2].cells == Cells{"3", "dòng một\r\ndòng hai\ndòng ba", "Yên Hòa"});
  CHECK(t.rows[3].line == 7);
  CHECK(t.rows[3].cells == Cells{"4", "", "\""});
}

TEST_CASE("Csv: a quoted header cell may span lines too") {
  CsvTable t = MustParse("\"họ\ntên\",tuổi\n\"An\",30\n");
  CHECK(t.header == Cells{"họ\ntên", "tuổi"});
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].line == 3);
}

TEST_CASE("Csv: CRLF, LF and lone CR line endings") {
  SUBCASE("CRLF") {
    CsvTable t = MustParse("a,b\r\n1,2\r\n3,4\r\n");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[1].cells == Cells{"3", "4"});
    CHECK(t.rows[1].line == 3);
  }
  SUBCASE("LF, no newline at the end") {
    CsvTable t = MustParse("a,b\n1,2\n3,4");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[1].cells == Cells{"3", "4"});
    CHECK(t.rows[1].line == 3);
  }
  SUBCASE("a lone CR at the end") {
    CsvTable t = MustParse("a,b\r\n1,2\r");
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].cells == Cells{"1", "2"});
  }
  SUBCASE("lone CRs as the only line breaks") {
    CsvTable t = MustParse("a,b\r1,2\r3,4\r");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[1].cells == Cells{"3", "4"});
    CHECK(t.rows[1].line == 3);
  }
  SUBCASE("a trailing delimiter is an empty last cell") {
    CsvTable t = MustParse("a,b\r\n1,\r\n");
    REQUIRE(t.rows.size() == 1);
    CHECK(t.rows[0].cells == Cells{"1", ""});
  }
}

TEST_CASE("Csv: blank lines are skipped but still counted") {
  CsvTable t = MustParse("a;b\r\n\r\n1;2\r\n   \r\n;\r\n\"\";  \r\n3;4\r\n\r\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].line == 3);
  CHECK(t.rows[0].cells == Cells{"1", "2"});
  CHECK(t.rows[1].line == 7);
  CHECK(t.rows[1].cells == Cells{"3", "4"});
}

TEST_CASE("Csv: unquoted cells are trimmed, quoted cells keep their spaces") {
  CsvTable t = MustParse("  Họ tên ,\" Xã \"\n  An  ,  \"  Tân Lập \"  \n");
  CHECK(t.header == Cells{"Họ tên", "Xã"});  // header cells are always trimmed
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].cells == Cells{"An", "  Tân Lập "});
}

TEST_CASE("Csv: stray quotes are kept literally, as Excel does") {
  CsvTable t = MustParse("a,b,c\nmàn 5\" inch,x\"y\"\"z,\"q\" sau\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].cells == Cells{"màn 5\" inch", "x\"y\"\"z", "q sau"});
}

TEST_CASE("Csv: rows keep their own number of cells") {
  CsvTable t = MustParse("a,b,c\n1\n1,2,3,4\n");
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0].cells == Cells{"1"});
  CHECK(t.rows[1].cells == Cells{"1", "2", "3", "4"});
}

TEST_CASE("Csv: valid multi-byte UTF-8 is accepted, NFD included") {
  // "Nguyễn" in NFD (e + combining circumflex + combining tilde), an emoji, and U+10FFFF.
  const std::string nfd = "Nguye\xCC\x82\xCC\x83n";
  CsvTable t = MustParse("tên,ghi chú\n" + nfd + ",\xF0\x9F\x8F\xA0 \xF4\x8F\xBF\xBF\n");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0].cells[0] == nfd);
}

TEST_CASE("Csv: malformed UTF-8 fails naming its line") {
  struct Case {
    std::string name;
    std::string bytes;
  };
  const std::vector<Case> cases = {
      {"Windows-1258 / Latin-1 byte", "\xE0"}, {"lone continuation byte", "\x80"},
      {"overlong two-byte form", "\xC0\xAF"},  {"overlong three-byte form", "\xE0\x80\xAF"},
      {"UTF-16 surrogate", "\xED\xA0\x80"},    {"past U+10FFFF", "\xF4\x90\x80\x80"},
      {"F5 lead byte", "\xF5\x80\x80\x80"},    {"sequence cut short", "\xE1\xBB"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    // Line 7: a quoted cell spanning lines 3-4 and a blank line come before it.
    const std::string text =
        "a,b\r\n1,2\r\n3,\"x\r\ny\"\r\n\r\n5,6\r\nAn," + c.bytes + " Lập\r\n9,10\r\n";
    const std::string m = MustFail(text);
    CHECK(Contains(m, "dòng 7:"));
    CHECK(Contains(m, "line 7:"));
    CHECK(Contains(m, "UTF-8"));
  }
  // In the header after a BOM, and at the very end after lone CRs.
  CHECK(Contains(MustFail("\xEF\xBB\xBFH\xC3 t\xC3\xAAn,x\n"), "dòng 1:"));
  CHECK(Contains(MustFail("a,b\r1,2\r\xC3"), "line 3:"));
}

TEST_CASE("Csv: an unterminated quote fails naming the line where the cell began") {
  const std::string m = MustFail("a,b\n1,2\n3,\"chưa đóng\nvẫn tiếp\nhết\n");
  CHECK(Contains(m, "dòng 3:"));
  CHECK(Contains(m, "line 3:"));
  CHECK(Contains(m, "quote"));

  CHECK(Contains(MustFail("\"a,b\n"), "line 1:"));
  CHECK(Contains(MustFail("a,b\r\n\"x\"\"\r\n"), "line 2:"));  // "" is an escape, not a close
}

TEST_CASE("Csv: CsvLine quotes only the cells that need it") {
  CHECK(CsvLine({}) == "\r\n");
  CHECK(CsvLine({"a", "b c", ""}) == "a,b c,\r\n");
  CHECK(CsvLine({"a,b", "say \"hi\"", "x;y"}) == "\"a,b\",\"say \"\"hi\"\"\",x;y\r\n");
  CHECK(CsvLine({"a,b", "x;y"}, ';') == "a,b;\"x;y\"\r\n");
  CHECK(CsvLine({"dòng một\ndòng hai", "cr\r"}) == "\"dòng một\ndòng hai\",\"cr\r\"\r\n");
  CHECK(CsvLine({" lề trái", "lề phải ", "\ttab"}) == "\" lề trái\",\"lề phải \",\"\ttab\"\r\n");
}

TEST_CASE("Csv: CsvLine then ParseCsv gives the same cells back") {
  const std::vector<Cells> rows = {
      {"Nguyễn Thị Ánh Tuyết", "Số 5; ngõ 12, Phường Đống Đa", "0912 345 678"},
      {"Ông \"Tư\" Hùng", "\"", "\"\""},
      {"dòng một\r\ndòng hai", "a\nb\nc", "kết thúc bằng CR\r"},
      {"  giữ khoảng trắng  ", "", ";;;"},
      {"Đặng Văn Lâm", "ghi chú: \"đã thăm\"; hẹn lại", "tiếng Việt NFD: Nguye\xCC\x82\xCC\x83n"},
  };
  for (char delimiter : {';', ','}) {
    CAPTURE(delimiter);
    std::string text = "\xEF\xBB\xBF" + CsvLine({"Họ tên", "Địa chỉ", "Ghi chú"}, delimiter);
    for (const Cells& r : rows) text += CsvLine(r, delimiter);
    CsvTable t = MustParse(text);
    CHECK(t.delimiter == delimiter);
    CHECK(t.header == Cells{"Họ tên", "Địa chỉ", "Ghi chú"});
    REQUIRE(t.rows.size() == rows.size());
    for (size_t i = 0; i < rows.size(); ++i) CHECK(t.rows[i].cells == rows[i]);
    CHECK(t.rows[0].line == 2);
    CHECK(t.rows[2].line == 4);
    CHECK(t.rows[3].line == 9);  // row 2 spans lines 4-8: CRLF, LF, LF and a lone CR inside
  }
}

TEST_CASE("Csv: a large file parses completely") {
  std::string text = "Họ tên;Địa chỉ;Số điện thoại;Ghi chú\r\n";
  constexpr int kRows = 50000;
  for (int i = 0; i < kRows; ++i) {
    text += CsvLine({"Nguyễn Văn " + std::to_string(i), "Thôn Đông, xã Tân Lập",
                     "09" + std::to_string(10000000 + i), "đã thăm \"lần 2\""},
                    ';');
  }
  CsvTable t = MustParse(text);
  CHECK(t.delimiter == ';');
  REQUIRE(t.rows.size() == kRows);
  CHECK(t.rows.back().line == kRows + 1);
  CHECK(t.rows.back().cells[0] == "Nguyễn Văn 49999");
  CHECK(t.rows.back().cells[3] == "đã thăm \"lần 2\"");
}

}  // namespace
}  // namespace gocua
