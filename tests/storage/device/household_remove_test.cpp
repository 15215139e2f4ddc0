// Removing a household (a tombstone, Households::Remove): it leaves the list, the search, the
// count, Today's follow-ups and the dashboard's register and coverage figures (their derived
// tables follow the tombstone), while its visits stay in its history.
#include <doctest/doctest.h>

#include "storage/dashboard/indicators.h"
#include "storage/dashboard/stats.h"
#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/today.h"
#include "storage/device/visits.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

TEST_CASE(
    "Households: a removed household leaves lists, search and coverage and keeps its visits") {
  test::CommuneFixture f;
  Households hs(*f.db);
  Household h;
  h.village_id = f.village.id;
  h.head_name = "Nguyễn Văn Đức";
  h.members_count = 3;
  h.working_age_count = 2;
  const Household duc = *hs.Add(h);
  h.head_name = "Trần Thị Hoa";
  h.working_age_count = 1;
  const Household hoa = *hs.Add(h);
  Person p;
  p.household_id = duc.id;
  p.name = "Lê Thị Na";
  p.birth_year = 1950;
  p.sex = "female";
  const Person na = *Persons(*f.db).Add(p);
  Visit v;
  v.household_id = duc.id;
  v.visited_on = "2026-03-14";
  v.minutes = 30;
  v.members = {f.member.id};
  v.persons = {na.id};
  v.topics = {{"vneid", "done"}};
  v.followup_on = "2026-03-16";
  auto visit = Visits(*f.db).Save(v);
  REQUIRE_MESSAGE(visit.ok(), visit.error().message());

  const DashboardQuery q{.from = "2026-03-01", .to = "2026-03-31", .today = "2026-03-15"};
  auto before = ComputeDashboard(*f.db, q);
  REQUIRE(before.ok());
  CHECK(before->commune.households == 2);
  CHECK(before->commune.households_visited == 1);
  CHECK(before->commune.working_age == 3);
  CHECK(Coverage(*f.db)->back().households == 2);
  CHECK(hs.Search("duc")->size() == 1);
  auto today_before = LoadToday(*f.db, {.today = "2026-03-15", .member_id = f.member.id});
  REQUIRE(today_before.ok());
  CHECK(today_before->followups.size() == 1);

  REQUIRE(hs.Remove(duc.id).ok());

  CHECK_FALSE(hs.Get(duc.id).ok());
  CHECK(*hs.Count() == 1);
  auto listed = hs.List({});
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().id == hoa.id);
  CHECK(hs.Search("duc")->empty());
  CHECK(hs.Search("na")->empty());  // nor through a listed person's name
  auto after = ComputeDashboard(*f.db, q);
  REQUIRE(after.ok());
  CHECK(after->commune.households == 1);
  CHECK(after->commune.households_visited == 0);
  CHECK(after->commune.working_age == 1);
  const auto coverage = Coverage(*f.db);
  REQUIRE(coverage.ok());
  CHECK(coverage->back().households == 1);
  CHECK(coverage->back().households_visited == 0);
  auto today = LoadToday(*f.db, {.today = "2026-03-15", .member_id = f.member.id});
  REQUIRE(today.ok());
  CHECK(today->followups.empty());  // its follow-up no longer asks for a visit
  // The history keeps the visit.
  auto history = Visits(*f.db).List({.household_id = duc.id});
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK(history->front().id == visit->id);
  CHECK(Visits(*f.db).Get(visit->id).ok());
}

}  // namespace
}  // namespace gocua
