// The province's console end to end in real browsers, the same scenario in each: Debian's
// Chromium headless through chromedriver's WebDriver API (tests/support/chromedriver.h) and
// Debian's Firefox ESR headless through its Marionette protocol (tests/support/marionette.h),
// against the real gocua-hub on loopback, with a laptop enrolled and refused through the real
// gocua-cli. Screenshots of every page go to a scratch folder, or to docs/screenshots/console/
// (Firefox's to its firefox/ folder) with GOCUA_SCREENSHOTS=1.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <ctime>

#include "tests/console/console_http.h"
#include "tests/console/coverage_rows.h"
#include "tests/support/chromedriver.h"
#include "tests/support/marionette.h"

namespace gocua::console_test {
namespace {

using nlohmann::json;

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::filesystem::path ShotDir(const std::filesystem::path& scratch) {
  const char* write = std::getenv("GOCUA_SCREENSHOTS");
  if (write && std::string(write) == "1") return GOCUA_CONSOLE_SCREENSHOTS;
  return scratch / "screenshots";
}

int ThisYearInVietnam() {
  const std::time_t t = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// Writes records straight into the hub's tables (as pushes would have left them): households,
// persons and visits, for the coverage figures.
void Seed(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 10000);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  INFO(sql, "\n", err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// `n` households in `village`, with working-age counts `wa`, `online` persons of working age
// proficient in public services spread over them, visits to the first `visited` (and a
// returned visit to the next, which does not count).
std::string Households(const std::string& prefix, const std::string& village,
                       const std::vector<int>& wa, int online, int visited) {
  const int born = ThisYearInVietnam() - 30;
  std::string sql;
  for (size_t i = 0; i < wa.size(); ++i) {
    const std::string h = prefix + "-h" + std::to_string(i);
    sql += "INSERT INTO households(id, village_id, head_name, working_age_count) VALUES('" + h +
           "', '" + village + "', 'Hộ " + std::to_string(i) + "', " + std::to_string(wa[i]) + ");";
    if (static_cast<int>(i) < visited)
      sql += "INSERT INTO visits(id, household_id, visited_on, status) VALUES('" + h + "-v', '" +
             h + "', '2026-01-10', 'approved');";
    else if (static_cast<int>(i) == visited)
      sql += "INSERT INTO visits(id, household_id, visited_on, status) VALUES('" + h + "-r', '" +
             h + "', '2026-01-10', 'returned');";
  }
  for (int p = 0; p < online; ++p)
    sql += "INSERT INTO persons(id, household_id, birth_year, skill_public_services) VALUES('" +
           prefix + "-p" + std::to_string(p) + "', '" + prefix + "-h" +
           std::to_string(p % wa.size()) + "', " + std::to_string(born) + ", 'proficient');";
  // Proficient but too old, and of working age but not proficient: neither counts.
  sql += "INSERT INTO persons(id, household_id, birth_year, skill_public_services) VALUES('" +
         prefix + "-old', '" + prefix + "-h0', " + std::to_string(born - 50) + ", 'proficient');";
  sql += "INSERT INTO persons(id, household_id, birth_year, skill_public_services) VALUES('" +
         prefix + "-no', '" + prefix + "-h0', " + std::to_string(born) + ", 'basic');";
  return sql;
}

// Sign in, set up a commune, enroll and revoke a laptop, read coverage and its XLSX, in `b`.
void MainScenario(test::Browser& b, ConsoleHub& hub, const std::filesystem::path& scratch,
                  const std::filesystem::path& shots) {
  // Nothing without signing in: the browser is sent to the sign-in page.
  b.Go(hub.url("/console/coverage"));
  CHECK(Has(b.Url(), "/console/signin"));
  b.Screenshot(shots / "signin.png");
  b.Type("#name", kAdmin);
  b.Type("#password", "not-the-password");
  b.Click("#signin");
  CHECK(Has(b.Text("#error"), "Sai tên tài khoản hoặc mật khẩu"));
  b.Type("#name", kAdmin);
  b.Type("#password", kPassword);
  b.Click("#signin");
  REQUIRE(Has(b.Url(), "/console/communes"));
  CHECK(b.Cookie("gocua_session").size() == 64);

  // A commune and a village.
  b.Type("#province", "Kon Tum");
  b.Type("#commune-name", "Xã Đăk Hà");
  b.Click("#create-commune");
  CHECK(Has(b.Text("#notice"), "Đã lưu"));
  CHECK(Has(b.Text("#communes"), "Xã Đăk Hà"));
  b.Type("form[action='/console/communes/village-add'] input[name='name']", "Thôn Kon Braih");
  b.Click("form[action='/console/communes/village-add'] button");
  CHECK(b.Count("ul.villages input[value='Thôn Kon Braih']") == 1);
  b.Screenshot(shots / "communes.png");
  b.Click("#lang-en");
  CHECK(Has(b.Text("h1"), "Communes and villages"));
  b.Screenshot(shots / "communes_en.png");
  b.Click("#lang-vi");
  CHECK(Has(b.Text("h1"), "Xã và thôn"));

  // A leader and a leader-device code, shown once and large.
  b.Go(hub.url("/console/leaders"));
  b.Type("#leader-name", "Trần Thị Lan");
  b.Type("#leader-pin", "4826");
  b.Click("#add-leader");
  CHECK(Has(b.Text("#leaders"), "Trần Thị Lan"));
  b.Click("#issue-code");
  const std::string code = b.Text("#code");
  REQUIRE(code.size() == 9);
  b.Screenshot(shots / "leader_code.png");

  // The leader's laptop enrolls with it through gocua-cli, and the console lists it.
  const std::string laptop = (scratch / "laptop").string();
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {GOCUA_CLI_PATH, "--data", laptop});
    return test::RunProcess(args, scratch);
  };
  test::ProcessResult enrolled =
      cli({"enroll", "--hub", hub.hub().url(), "--code", code, "--name", "Laptop chị Lan"});
  INFO(enrolled.out, enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  b.Go(hub.url("/console/devices"));
  CHECK(Has(b.Text("#devices"), "Laptop chị Lan"));
  CHECK(Has(b.Text("#devices"), "Lãnh đạo"));
  CHECK(Has(b.Text("#devices td.state"), "Đang dùng"));
  b.Screenshot(shots / "devices.png");
  REQUIRE(cli({"sync"}).exit_code == 0);

  // Revoked from the console (after the browser's confirm()), its sync is refused at once.
  b.ClickAndConfirm("button.revoke");
  CHECK(Has(b.Text("#notice"), "Đã thu hồi"));
  CHECK(Has(b.Text("#devices td.state"), "Đã thu hồi"));
  b.Screenshot(shots / "devices_revoked.png");
  test::ProcessResult refused = cli({"sync"});
  INFO(refused.out, refused.err);
  CHECK(refused.exit_code != 0);
  CHECK(Has(refused.out + refused.err, "thu hồi"));

  // Coverage: records as the communes' pushes leave them; a second commune.
  const std::string village =
      test::SqliteReader(hub.hub().db_path())
          .Rows("SELECT id FROM villages WHERE name = 'Thôn Kon Braih'")[0][0];
  const std::string other =
      hub.hub().Ok({"commune", "create", "--province", "Kon Tum", "--commune", "Xã Ngọc Hồi"});
  const std::string other_village =
      hub.hub().Ok({"village", "add", "--commune", other, "Thôn Một"});
  Seed(hub.hub().db_path(), "BEGIN;" + Households("a", village, {2, 3, 3, 2}, 7, 3) +
                                Households("b", other_village, {3, 2}, 1, 0) + "COMMIT;");
  b.Go(hub.url("/console/coverage"));
  CHECK(Has(b.Text("#target"), "90 %"));  // the default line: 90 % by 2030
  b.Type("#target-percent", "70");
  b.Type("input[name='year']", std::to_string(ThisYearInVietnam()));
  b.Click("#save-target");
  CHECK(Has(b.Text("#target"), "70 %"));
  const std::string table = b.Text("#coverage");
  CHECK(Has(table, "Xã Đăk Hà 4 3 75.0 % 7 10 70.0 % Đạt"));
  CHECK(Has(table, "Xã Ngọc Hồi 2 0 0.0 % 1 5 20.0 % Chưa đạt"));
  CHECK(b.Count("#chart rect.bar-online") == 2);
  CHECK(b.Count("#chart #target-line") == 1);
  b.Click("#sort-online_pct");  // ascending
  CHECK(b.Text("#coverage tbody tr:first-child td.name") == "Xã Ngọc Hồi");
  b.Click("#sort-online_pct");  // descending
  CHECK(b.Text("#coverage tbody tr:first-child td.name") == "Xã Đăk Hà");
  b.Screenshot(shots / "coverage.png");
  b.Click("#lang-en");
  CHECK(Has(b.Text("#coverage"), "Meets target"));
  b.Screenshot(shots / "coverage_en.png");
  b.Click("#lang-vi");

  // The XLSX, fetched with the browser's own session cookie, read by a real reader.
  const std::string cookie = b.Cookie("gocua_session");
  Reply xlsx = Request(hub.url("/console/coverage.xlsx"), "GET", "",
                       {"Cookie: gocua_session=" + cookie, "Cookie: gocua_lang=vi"});
  REQUIRE(xlsx.status == 200);
  CHECK(Has(xlsx.Header("content-disposition"), ".xlsx"));
  const json rows = XlsxRows(xlsx.body, scratch);
  CHECK(rows[1][1] == 70.0);  // the target line in force
  CHECK(rows[2][0] == "Xã");  // the headers
  json a, b2;
  for (const json& row : rows) {
    if (row[0] == "Xã Đăk Hà") a = row;
    if (row[0] == "Xã Ngọc Hồi") b2 = row;
  }
  CHECK(a == json::parse(R"(["Xã Đăk Hà", 4.0, 3.0, 75.0, 7.0, 10.0, 70.0, "Đạt"])"));
  CHECK(b2 == json::parse(R"(["Xã Ngọc Hồi", 2.0, 0.0, 0.0, 1.0, 5.0, 20.0, "Chưa đạt"])"));

  // The pages that only read, each looked at.
  b.Go(hub.url("/console/quarantine"));
  CHECK(Has(b.Text("h1"), "Thao tác bị giữ lại"));
  b.Screenshot(shots / "quarantine.png");
  b.Go(hub.url("/console/conflicts"));
  CHECK(Has(b.Text("h1"), "Xung đột"));
  b.Screenshot(shots / "conflicts.png");
  b.Go(hub.url("/console/audit"));
  const std::string audit = b.Text("#audit");
  for (const char* action :
       {"signin.refused", "signin", "communes.create", "communes.village-add", "leaders.add",
        "leaders.code", "devices.revoke", "coverage.target", "coverage.xlsx"})
    CHECK_MESSAGE(Has(audit, action), action);
  b.Screenshot(shots / "audit.png");

  // With two communes, each village can move to the other; the accounts page.
  b.Go(hub.url("/console/communes"));
  CHECK(b.Count("form.move select[name='to'] option") == 2);  // each village, to the other
  b.Screenshot(shots / "communes_move.png");
  b.Go(hub.url("/console/accounts"));
  CHECK(Has(b.Text("#accounts"), kAdmin));
  CHECK(b.Count("#change-password") == 1);
  b.Screenshot(shots / "accounts.png");

  // Sign out: the session is gone, and the browser is sent back to sign in.
  b.Click("#signout");
  CHECK(Has(b.Url(), "/console/signin"));
  b.Go(hub.url("/console/communes"));
  CHECK(Has(b.Url(), "/console/signin"));
}

}  // namespace

TEST_CASE(
    "Console in Chromium: sign in, set up a commune, enroll and revoke a laptop, read coverage") {
  ConsoleHub hub;
  const std::filesystem::path scratch = test::MakeTempDir("gocua-console-browser");
  {
    test::ChromeBrowser b;
    MainScenario(b, hub, scratch, ShotDir(scratch));
  }
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
}

TEST_CASE(
    "Console in Firefox: sign in, set up a commune, enroll and revoke a laptop, read coverage") {
  ConsoleHub hub;
  const std::filesystem::path scratch = test::MakeTempDir("gocua-console-firefox");
  {
    test::FirefoxBrowser b(scratch / "firefox");
    MainScenario(b, hub, scratch, ShotDir(scratch) / "firefox");
  }
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
}

}  // namespace gocua::console_test
