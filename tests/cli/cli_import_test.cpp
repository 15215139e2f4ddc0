// gocua-cli end to end (cli_fixture.h): CSV import with a BOM, semicolons and CRLF, bad lines
// reported each and nothing imported, and progress on a big import.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

namespace gocua {
namespace {

using namespace cli_fixture;

TEST_CASE("Cli: import a CSV with a BOM, semicolons and CRLF") {
  Cli cli;
  SetUp(cli);
  const std::string csv = std::string(kBom) +
                          "STT;Thôn;Chủ hộ;Số nhà;SĐT;Số nhân khẩu;Trong độ tuổi lao động;"
                          "Điện thoại thông minh;Internet tại nhà\r\n"
                          "1;Thôn An Phú;Phạm Văn Bình;5;0905 111 222;3;2;1;Có\r\n"
                          "2;thon an phu;Võ Thị Cúc;\"7; hẻm 2\";;2;1;0;Không\r\n"
                          "3;THÔN 2;Hồ Văn Dũng;;;1;1;1;x\r\n";
  const fs::path file = cli.Write("ho-gia-dinh.csv", csv);
  CliResult r = cli.Run({"household", "import", file.string()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.out, "imported 3"));
  CHECK(r.err.empty());

  json hs = cli.Json({"household", "list", "--village", "Thôn An Phú"});
  REQUIRE(hs.size() == 2);
  CHECK(hs[0]["head_name"] == "Phạm Văn Bình");
  CHECK(hs[0]["phone"] == "0905111222");
  CHECK(hs[0]["members_count"] == 3);
  CHECK(hs[0]["working_age_count"] == 2);
  CHECK(hs[0]["home_internet"] == true);
  CHECK(hs[1]["address"] == "7; hẻm 2");
  CHECK(hs[1]["home_internet"] == false);
  CHECK(cli.Json({"household", "list", "--village", "Thôn 2"}).size() == 1);
  CHECK(cli.Json({"search", "vo thi cuc"}).size() == 1);
}

TEST_CASE("Cli: import with bad lines reports each line and imports nothing") {
  Cli cli;
  SetUp(cli);
  const fs::path file = cli.Write("bad.csv",
                                  "Thôn,Chủ hộ,Số nhân khẩu\n"     // line 1
                                  "Thôn 2,Lý Văn An,4\n"           // 2: good
                                  "Thôn Không Có,Mai Văn Bảo,2\n"  // 3: unknown village
                                  "Thôn 2,Đặng Thị Chi,3\n"        // 4: good
                                  "Thôn 2,,1\n"                    // 5: no head
                                  "Thôn 2,Lê Văn Dần,nhiều\n"      // 6: not a number
                                  "Thôn 2,Lý Văn An,4\n");         // 7: repeated
  CliResult r = cli.Run({"household", "import", file.string()});
  CHECK(r.exit_code == 1);
  for (const char* line : {"line 3: ", "line 5: ", "line 6: ", "line 7: "})
    CHECK_MESSAGE(Contains(r.err, line), line, " missing from:\n", r.err);
  CHECK_FALSE(Contains(r.err, "line 2: "));
  CHECK_FALSE(Contains(r.err, "line 4: "));
  CHECK(Contains(r.err, "--skip-bad-lines"));
  CHECK(cli.Json({"household", "list"}).empty());

  // The same report as JSON, still exit 1.
  CliResult j = cli.Run({"household", "import", file.string(), "--json"});
  CHECK(j.exit_code == 1);
  json report = json::parse(j.out, nullptr, false);
  REQUIRE_FALSE(report.is_discarded());
  CHECK(report["problems"].size() == 4);
  CHECK(report["problems"][0]["line"] == 3);
  CHECK(report["imported"] == 0);
  CHECK(report["stopped"] == true);

  // --skip-bad-lines imports the good lines and still lists the bad ones.
  CliResult skip = cli.Run({"household", "import", file.string(), "--skip-bad-lines"});
  CHECK(skip.exit_code == 0);
  CHECK(Contains(skip.out, "imported 2"));
  CHECK(Contains(skip.err, "line 3: "));
  CHECK(cli.Json({"household", "list"}).size() == 2);

  // Importing the same file again adds nothing, with or without --skip-bad-lines.
  CHECK(cli.Run({"household", "import", file.string()}).exit_code == 1);
  json again = cli.Json({"household", "import", file.string(), "--skip-bad-lines"});
  CHECK(again["imported"] == 0);
  CHECK(cli.Json({"household", "list"}).size() == 2);

  // A file without the required columns is refused as a whole.
  const fs::path no_head = cli.Write("no-head.csv", "Thôn,Địa chỉ\nThôn 2,5\n");
  CliResult refused = cli.Run({"household", "import", no_head.string()});
  CHECK(refused.exit_code == 1);
  CHECK(Contains(refused.err, "Chủ hộ"));
}

TEST_CASE("Cli: a big import reports progress on stderr") {
  Cli cli;
  SetUp(cli);
  std::string csv = "Thôn,Chủ hộ,Địa chỉ\n";
  for (int i = 0; i < 2500; ++i)
    csv += "Thôn 2,Hộ số " + std::to_string(i) + ",Số " + std::to_string(i) + "\n";
  const fs::path file = cli.Write("big.csv", csv);
  CliResult r = cli.Run({"household", "import", file.string()});
  REQUIRE(r.exit_code == 0);
  CHECK(Contains(r.err, "1000/2500"));
  CHECK(Contains(r.err, "2500/2500"));
  CHECK(Contains(r.out, "imported 2500"));
  CHECK(cli.Json({"household", "list", "--limit", "10000"}).size() == 2500);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
