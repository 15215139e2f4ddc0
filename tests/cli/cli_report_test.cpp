// gocua-cli end to end (cli_fixture.h): report writes the monthly XLSX or CSV files, and
// target set moves the target.
#include "tests/cli/cli_fixture.h"

#ifdef GOCUA_CLI_PATH

namespace gocua {
namespace {

using namespace cli_fixture;

TEST_CASE("Cli: report writes the monthly XLSX or CSV files, target set moves the target") {
  Cli cli;
  const Commune c = SetUp(cli);
  const std::string h = cli.Ok({"household", "add", "--village", "Thôn 2", "--head",
                                "Nguyễn Văn Đức", "--members", "3", "--working-age", "2"});
  cli.Ok({"household", "add", "--village", "Thôn 2", "--head", "Phạm Thị Mai"});
  cli.Ok({"visit", "add", "--household", h, "--member", c.member, "--topic", "dvc=done",
          "--minutes", "30", "--date", "2025-03-10"});
  const std::string out = (cli.dir() / "reports").string();
  fs::create_directories(out);

  json xlsx = cli.Json({"report", "--month", "2025-03", "--out", out, "--today", "2025-03-31"});
  const fs::path file = fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03.xlsx";
  CHECK(xlsx["files"] == json({file.string()}));
  CHECK(ReadFile(file).substr(0, 2) == "PK");  // a zip: tests/storage reads the sheets

  cli.Ok({"target", "set", "--year", "2025", "--percent", "75"});
  CHECK(Contains(cli.Ok({"target", "list"}), "75"));
  const std::string listed =
      cli.Ok({"report", "--month", "2025-03", "--format", "csv", "--out", out});
  CHECK(Contains(listed, "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoThon.csv"));
  const std::string villages =
      ReadFile(fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoThon.csv");
  CHECK(villages.rfind(kBom, 0) == 0);
  CHECK(Contains(villages, "THÁNG 03/2025"));
  CHECK(Contains(villages, "Thôn 2,2,1,50.0,1,0,0,2,0,0.0,75,0,0.0\r\n"));
  CHECK(Contains(villages, "Toàn xã,2,1,50.0,1,0,0,2,0,0.0,75,0,0.0\r\n"));
  CHECK(
      Contains(ReadFile(fs::path(out) / "BaoCao_ToCNSCD_TinhKhe_2025-03_TheoNoiDung.csv"), "dvc,"));

  CHECK(cli.Run({"report", "--month", "2025-3"}).exit_code == 2);
  CHECK(cli.Run({"report", "--month", "2025-03", "--format", "pdf"}).exit_code == 2);
  CliResult missing = cli.Run({"report", "--month", "2025-03", "--out", out + "/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.err, "Không có thư mục"));
  CHECK(cli.Run({"target", "set", "--year", "2025"}).exit_code == 2);
}

}  // namespace
}  // namespace gocua

#endif  // GOCUA_CLI_PATH
