#include "storage/io/household_import.h"

#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/device/households.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

const char kBom[] = "\xEF\xBB\xBF";

TEST_CASE("Import: a commune spreadsheet with BOM and semicolons imports every row") {
  test::CommuneFixture f;
  REQUIRE(Places(*f.db).AddVillage("Thôn Tây").ok());
  std::string csv = std::string(kBom) +
                    "STT;Thôn/Ấp;Số nhà;Chủ hộ;Số điện thoại;Số nhân khẩu;"
                    "Số người trong độ tuổi lao động;Số điện thoại thông minh;Internet tại nhà\r\n"
                    "1;Thôn Đông;12;Nguyễn Văn Đức;0912.345.678;4;2;2;Có\r\n"
                    "2;thon tay;\"Ngõ 3; số 5\";Phạm Thị Lan;;1;0;0;Không\r\n"
                    "3;THÔN ĐÔNG;;Hà Văn Ba;0388111222;;;;\r\n";
  auto r = ImportHouseholdsCsv(*f.db, csv, {});
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  CHECK(r->problems.empty());
  CHECK(r->rows == 3);
  CHECK(r->imported == 3);
  auto found = Households(*f.db).Search("nguyen van duc");
  REQUIRE(found->size() == 1);
  CHECK(found->front().phone == "0912345678");
  CHECK(found->front().home_internet);
  CHECK(Households(*f.db).Search("ngo 3")->front().head_name == "Phạm Thị Lan");

  // The same file again adds nothing: every line is a duplicate.
  auto again = ImportHouseholdsCsv(*f.db, csv, {});
  REQUIRE(again.ok());
  CHECK(again->imported == 0);
  CHECK(again->problems.size() == 3);
  CHECK(*Households(*f.db).Count() == 3);
}

TEST_CASE("Import: every bad line is reported with its number, nothing is imported") {
  test::CommuneFixture f;
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  std::string csv =
      "Thôn,Chủ hộ,Số điện thoại,Số nhân khẩu,Số người trong độ tuổi lao động,Internet\n"
      "Thôn Đông,Người Tốt,,3,2,có\n"    // line 2: fine
      "Thôn Không Có,Người A,,1,1,có\n"  // line 3: unknown village
      "Thôn Đông,,,1,1,có\n"             // line 4: no head
      "Thôn Đông,Người B,abc,1,1,có\n"   // line 5: bad phone
      "Thôn Đông,Người C,,hai,1,có\n"    // line 6: not a number
      "Thôn Đông,Người D,,1,1,có lẽ\n"   // line 7: not yes/no
      "Thôn Đông,Người E\n"              // line 8: missing cells
      "\n"                               // line 9: blank, skipped
      "Thôn Đông,\"" +
      std::string(150, 'x') + "\",,1,1,có\n";  // line 10: too long
  auto r = ImportHouseholdsCsv(*f.db, csv, {});
  REQUIRE(r.ok());
  CHECK(r->imported == 0);
  std::vector<int> lines;
  for (const ImportProblem& p : r->problems) lines.push_back(p.line);
  CHECK(lines == std::vector<int>{3, 4, 5, 6, 7, 8, 10});
  CHECK(r->problems[0].reason.find("Thôn Không Có") != std::string::npos);
  CHECK(*log.LastSeq() == before);
  CHECK(*Households(*f.db).Count() == 0);

  // Told to skip them, the good line goes in.
  auto skipped = ImportHouseholdsCsv(*f.db, csv, {.skip_bad_lines = true});
  REQUIRE(skipped.ok());
  CHECK(skipped->imported == 1);
  CHECK(*Households(*f.db).Count() == 1);
}

TEST_CASE("Import: a file without the required columns, or not UTF-8, is refused whole") {
  test::CommuneFixture f;
  auto no_head = ImportHouseholdsCsv(*f.db, "Thôn,Số nhà\nThôn Đông,5\n", {});
  REQUIRE_FALSE(no_head.ok());
  CHECK(no_head.error().message().find("Chủ hộ") != std::string::npos);
  auto latin1 = ImportHouseholdsCsv(*f.db, "Thôn,Chủ hộ\nThôn Đông,Nguy\xC5n\n", {});
  REQUIRE_FALSE(latin1.ok());
  CHECK(latin1.error().message().find("dòng 2") != std::string::npos);
  CHECK(*Households(*f.db).Count() == 0);
}

TEST_CASE("Import: reports progress on a large file") {
  test::CommuneFixture f;
  std::string csv = "Thôn,Chủ hộ,Số nhà\n";
  for (int i = 0; i < 2500; ++i)
    csv += "Thôn Đông,Nguyễn Văn " + std::to_string(i) + "," + std::to_string(i) + "\n";
  size_t calls = 0, last = 0;
  auto r = ImportHouseholdsCsv(*f.db, csv, {.progress = [&](size_t done, size_t total) {
    ++calls;
    last = done;
    CHECK(total == 2500);
  }});
  REQUIRE(r.ok());
  CHECK(r->imported == 2500);
  CHECK(calls >= 3);
  CHECK(last == 2500);
}

}  // namespace
}  // namespace gocua
