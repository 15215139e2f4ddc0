// A commune worker's data folder under an account with Vietnamese letters ("Nguyễn Thị Hoà"
// in %APPDATA% on Windows): the database, a backup and the monthly report all land in that very
// folder (names read back by listing it), and the backup opens again. On Windows this fails
// wherever a std::filesystem::path or a file stream is made from UTF-8 text without
// platform/utf8_path.h.
#include <doctest/doctest.h>

#include <set>

#include "platform/utf8_path.h"
#include "storage/device/backup.h"
#include "storage/io/monthly_report.h"
#include "tests/support/leader_fixture.h"

namespace gocua::test {
namespace {

std::set<std::string> Names(const std::string& dir_utf8) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(PathFromUtf8(dir_utf8)))
    out.insert(PathToUtf8(e.path().filename()));
  return out;
}

}  // namespace

TEST_CASE("Vietnamese folder: database, backup and report live in Nguyễn Thị Hoà/Dữ liệu") {
  TempDir base;
  const std::string dir = JoinPathUtf8(PathToUtf8(base.path()), "Nguyễn Thị Hoà/Dữ liệu");
  REQUIRE(std::filesystem::create_directories(PathFromUtf8(dir)));
  ManualClock clock{kTestNowMs};
  {
    auto db = OpenOrDie(JoinPathUtf8(dir, "gocua.db"), clock);
    REQUIRE(Places(*db).SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
    REQUIRE(Members(*db).Add("Nguyễn Thị Hoà", Role::kLeader, "2468").ok());

    auto backup = BackupNow(*db, JoinPathUtf8(dir, "sao lưu"));
    REQUIRE_MESSAGE(backup.ok(), backup.error().message());
    CHECK(backup->rfind(JoinPathUtf8(dir, "sao lưu"), 0) == 0);
    CHECK(Names(JoinPathUtf8(dir, "sao lưu")).size() == 1);
    auto copy = OpenOrDie(*backup, clock);
    auto members = Members(*copy).List();
    REQUIRE(members.ok());
    REQUIRE(members->size() == 1);
    CHECK((*members)[0].name == "Nguyễn Thị Hoà");

    const std::string reports = JoinPathUtf8(dir, "báo cáo");
    REQUIRE(std::filesystem::create_directories(PathFromUtf8(reports)));
    MonthlyReportRequest request{"2026-03", reports, false, "2026-03-15"};
    auto xlsx = WriteMonthlyReportXlsx(*db, request);
    REQUIRE_MESSAGE(xlsx.ok(), xlsx.error().message());
    auto csv = WriteMonthlyReportCsv(*db, request);
    REQUIRE_MESSAGE(csv.ok(), csv.error().message());
    const std::set<std::string> written = Names(reports);
    CHECK(written.count("BaoCao_ToCNSCD_XaTinhSon_2026-03.xlsx") == 1);
    CHECK(written.size() == 1 + csv->size());  // no .tmp left
    CHECK(std::filesystem::file_size(PathFromUtf8(*xlsx)) > 1000);
  }
  // Listed from the ASCII temp folder down: the letters on disk are the letters typed.
  CHECK(Names(PathToUtf8(base.path())) == std::set<std::string>{"Nguyễn Thị Hoà"});
  CHECK(Names(dir).count("gocua.db") == 1);
  CHECK(Names(dir).count("sao lưu") == 1);
  CHECK(Names(dir).count("báo cáo") == 1);
}

}  // namespace gocua::test
