// Coverage across the province from records that laptops pushed through the real protocol, on
// both stores: the console's coverage page and its XLSX show exactly the pushed counts per
// commune against the target line.
#include <doctest/doctest.h>

#include <ctime>
#include <random>

#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/console/console_http.h"
#include "tests/console/coverage_rows.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua::console_test {
namespace {

int ThisYearInVietnam() {
  const std::time_t t = std::time(nullptr) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// On laptop `d`: households in `village` with working-age counts `wa`; `online` persons of
// working age proficient in public services spread over them (and one too old, one not
// proficient, who do not count); one visit to each of the first `visited` households (two to
// the first).
void Record(test::SyncDevice& d, const std::string& village, const std::string& member,
            const std::vector<int>& wa, int online, int visited) {
  const int born = ThisYearInVietnam() - 30;
  std::vector<std::string> ids;
  for (size_t i = 0; i < wa.size(); ++i) {
    Household h;
    h.village_id = village;
    h.head_name = "Hộ " + std::to_string(i);
    h.members_count = wa[i] + 1;
    h.working_age_count = wa[i];
    auto added = Households(d.db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    ids.push_back(added->id);
  }
  auto person = [&](const std::string& hh, int year, const char* skill) {
    Person p;
    p.household_id = hh;
    p.name = "Người";
    p.birth_year = year;
    p.sex = "male";
    p.skills["public_services"] = skill;
    auto added = Persons(d.db()).Add(p);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
  };
  for (int p = 0; p < online; ++p)
    person(ids[static_cast<size_t>(p) % ids.size()], born, "proficient");
  person(ids[0], born - 50, "proficient");
  person(ids[0], born, "guided");
  for (int i = 0; i < visited; ++i)
    for (int n = 0; n < (i == 0 ? 2 : 1); ++n) {
      Visit v;
      v.household_id = ids[static_cast<size_t>(i)];
      v.visited_on = "2026-02-0" + std::to_string(1 + n);
      v.minutes = 15;
      v.members = {member};
      v.topics["vneid"] = "guided";
      auto saved = Visits(d.db()).Save(v);
      REQUIRE_MESSAGE(saved.ok(), saved.error().message());
    }
}

}  // namespace

TEST_CASE_TEMPLATE("Console: coverage counts exactly what the communes' laptops pushed", Store,
                   GOCUA_HUB_PROCESS_STORES) {
  std::mt19937_64 rng(test::TestSeed("coverage-push"));
  test::SyncFixture f(Store::Make());  // commune A, its village and members
  ConsoleClient console(f.hub);
  REQUIRE(console.AddAdmin(kAdmin, kPassword).exit_code == 0);
  const std::string a = f.commune_id;
  const std::string b =
      f.hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Bình Sơn"})
          .value("id", "");
  REQUIRE_FALSE(b.empty());
  const std::string w = f.hub.Ok({"village", "add", "--commune", b, "Thôn", "Bắc"});
  const std::string b_member = f.hub.Ok({"member", "add", "--commune", b, "--name", "Đỗ Văn Nam",
                                         "--role", "member", "--pin", "2468"});
  f.hub.Start();

  // Before any push: both communes at zero.
  const std::string session = console.SignIn();
  Reply empty = console.Get("/console/coverage", session);
  CHECK(CoverageRow(empty.body, a) == std::vector<std::string>{"0", "0", "0", "0"});

  test::SyncDevice& a1 = f.AddDevice();
  test::SyncDevice& a2 = f.AddDevice();
  auto b1p = std::make_unique<test::SyncDevice>("laptop-b1", f.device_dir);
  b1p->Enroll(f.hub, b);
  test::SyncDevice& b1 = *f.devices.emplace_back(std::move(b1p));
  Record(a1, f.village_id, f.member_id, {2, 3}, 4, 2);  // A: 2 + 2 households
  Record(a2, f.village_id, f.member_id, {3, 2}, 3, 1);
  Record(b1, w, b_member, {3, 2}, 1, 0);
  f.SyncUntilQuiet(rng);

  // The target line: 70 % this year.
  const std::string csrf = console.Csrf(session);
  REQUIRE(console
              .Post("/console/coverage/target", session,
                    "csrf=" + csrf + "&year=" + std::to_string(ThisYearInVietnam()) + "&percent=70")
              .status == 303);
  Reply page = console.Get("/console/coverage", session);
  REQUIRE(page.status == 200);
  // A: 4 households, 3 visited (one twice), 10 of working age, 7 of them online: meets 70 %.
  CHECK(CoverageRow(page.body, a) == std::vector<std::string>{"4", "3", "10", "7"});
  CHECK(CoverageRow(page.body, b) == std::vector<std::string>{"2", "0", "5", "1"});
  CHECK(page.body.find("<strong id=\"target\">70 %</strong>") != std::string::npos);

  Reply xlsx = console.Get("/console/coverage.xlsx", session);
  REQUIRE(xlsx.status == 200);
  const std::filesystem::path scratch = test::MakeTempDir("gocua-coverage-push");
  const nlohmann::json rows = XlsxRows(xlsx.body, scratch);
  CHECK(rows[1][1] == 70.0);  // the target line in force
  nlohmann::json ra, rb;
  for (const nlohmann::json& row : rows) {
    if (row[0] == "Xã Tịnh Sơn") ra = row;
    if (row[0] == "Xã Bình Sơn") rb = row;
  }
  CHECK(ra == nlohmann::json::parse(R"(["Xã Tịnh Sơn", 4.0, 3.0, 75.0, 7.0, 10.0, 70.0, "Đạt"])"));
  CHECK(rb ==
        nlohmann::json::parse(R"(["Xã Bình Sơn", 2.0, 0.0, 0.0, 1.0, 5.0, 20.0, "Chưa đạt"])"));
  std::error_code ec;
  std::filesystem::remove_all(scratch, ec);
}

}  // namespace gocua::console_test
