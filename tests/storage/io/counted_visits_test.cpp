// Which visits count (storage/dashboard/indicators.h: not deleted, not returned) is one rule:
// `gocua-cli stats` (Coverage, storage/dashboard/stats.h), the leader's dashboard
// (ComputeDashboard) and the monthly report (BuildMonthlyReport) give the same activity
// figures on data holding pending, approved, returned and deleted visits.
#include <doctest/doctest.h>

#include "storage/dashboard/indicators.h"
#include "storage/dashboard/stats.h"
#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "storage/io/monthly_report.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

double ReportValue(const std::vector<ReportSheet>& sheets, const std::string& label) {
  for (const auto& row : sheets.at(0).rows)
    if (row.at(0).text == label) return row.at(1).number;
  FAIL("no report row " << label);
  return -1;
}

TEST_CASE("Counted visits: cli stats, the dashboard and the monthly report agree") {
  test::CommuneFixture f;
  std::vector<std::string> visit_ids;
  for (int i = 0; i < 4; ++i) {
    Household h;
    h.village_id = f.village.id;
    h.head_name = "Hộ " + std::to_string(i);
    h.address = std::to_string(i);
    auto added = Households(*f.db).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    Person p;
    p.household_id = added->id;
    p.name = "Người " + std::to_string(i);
    p.birth_year = 1990;
    p.sex = "female";
    auto person = Persons(*f.db).Add(p);
    REQUIRE_MESSAGE(person.ok(), person.error().message());
    Visit v;
    v.household_id = added->id;
    v.visited_on = "2026-03-1" + std::to_string(i);
    v.minutes = 30;
    v.members = {f.member.id};
    v.persons = {person->id};
    v.topics = {{"vneid", "guided"}};
    auto saved = Visits(*f.db).Save(v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
    visit_ids.push_back(saved->id);
  }
  // Visit 0 stays pending, 1 is approved, 2 returned, 3 deleted.
  REQUIRE(Reviews(*f.db).Decide(visit_ids[1], f.leader.id, "approved", "").ok());
  REQUIRE(Reviews(*f.db).Decide(visit_ids[2], f.leader.id, "returned", "thiếu ảnh").ok());
  REQUIRE(Visits(*f.db).Remove(visit_ids[3]).ok());

  auto stats = Coverage(*f.db, {"2026-03-01", "2026-03-31"});
  REQUIRE(stats.ok());
  const CoverageRow& cli = stats->back();
  DashboardQuery q;
  q.from = "2026-03-01";
  q.to = "2026-03-31";
  q.today = "2026-03-31";
  auto dash = ComputeDashboard(*f.db, q);
  REQUIRE_MESSAGE(dash.ok(), dash.error().message());
  test::TempDir out;
  auto report = BuildMonthlyReport(*f.db, {"2026-03", out.path().string(), false, "2026-03-31"});
  REQUIRE_MESSAGE(report.ok(), report.error().message());

  // Pending and approved count; returned and deleted do not.
  CHECK(dash->commune.visits == 2);
  CHECK(cli.visits == dash->commune.visits);
  CHECK(ReportValue(*report, "Số lượt thăm trong kỳ") == 2);
  CHECK(dash->commune.households_visited == 2);
  CHECK(cli.households_visited == dash->commune.households_visited);
  CHECK(ReportValue(*report, "Số hộ đã được thăm trong kỳ") == 2);
  CHECK(dash->commune.persons_guided == 2);
  CHECK(cli.persons_guided == dash->commune.persons_guided);
  CHECK(ReportValue(*report, "Số người được hướng dẫn trong kỳ") == 2);
  // Per village too.
  REQUIRE(stats->size() == 2);  // the fixture's one village, then the total
  REQUIRE(dash->villages.size() == 1);
  CHECK(stats->front().visits == dash->villages.front().visits);
  CHECK(stats->front().persons_guided == dash->villages.front().persons_guided);
}

}  // namespace
}  // namespace gocua
