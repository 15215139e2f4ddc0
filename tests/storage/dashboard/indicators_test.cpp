#include "storage/dashboard/indicators.h"

#include <doctest/doctest.h>

#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

const VillageIndicators& Row(const Dashboard& d, const std::string& village_id) {
  for (const VillageIndicators& r : d.villages)
    if (r.village_id == village_id) return r;
  FAIL("no row for village " << village_id);
  return d.commune;
}

const TopicIndicators& TopicRow(const Dashboard& d, const std::string& id) {
  for (const TopicIndicators& t : d.topics)
    if (t.topic_id == id) return t;
  FAIL("no row for topic " << id);
  return d.topics.front();
}

const MemberIndicators& MemberRow(const Dashboard& d, const std::string& id) {
  for (const MemberIndicators& m : d.members)
    if (m.member_id == id) return m;
  FAIL("no row for member " << id);
  return d.members.front();
}

DashboardQuery March() { return {"2026-03-01", "2026-03-31", "2026-03-15", false}; }

TEST_CASE("Indicators: hand-computed fixture, per village and for the commune") {
  test::LeaderFixture f;
  auto d = ComputeDashboard(*f.db, March());
  REQUIRE_MESSAGE(d.ok(), d.error().message());
  REQUIRE(d->villages.size() == 2);

  const VillageIndicators& dong = Row(*d, f.village.id);
  CHECK(dong.households == 2);
  CHECK(dong.working_age == 2);
  CHECK(dong.working_age_online == 1);      // P1; P3 (78) is proficient but not of working age
  CHECK(dong.households_five_skills == 2);  // H2 has no working-age person and still counts
  CHECK(dong.visits == 3);                  // V6 was deleted
  CHECK(dong.households_visited == 2);
  CHECK(dong.persons_guided == 3);  // P1 guided twice counts once
  CHECK(dong.guidance_sessions == 4);

  const VillageIndicators& tay = Row(*d, f.tay.id);
  CHECK(tay.households == 2);
  CHECK(tay.working_age == 3);
  CHECK(tay.working_age_online == 1);  // P4; P5 is 14
  CHECK(tay.households_five_skills == 0);
  CHECK(tay.visits == 1);  // V4 returned then approved; V7 still returned; V5 in February
  CHECK(tay.households_visited == 1);
  CHECK(tay.persons_guided == 1);
  CHECK(tay.guidance_sessions == 1);

  CHECK(d->commune.village_name == "Toàn xã");
  CHECK(d->commune.households == 4);
  CHECK(d->commune.working_age == 5);
  CHECK(d->commune.working_age_online == 2);
  CHECK(d->commune.households_five_skills == 2);
  CHECK(d->commune.visits == 4);
  CHECK(d->commune.households_visited == 3);
  CHECK(d->commune.persons_guided == 4);
  CHECK(d->commune.guidance_sessions == 5);
  CHECK(PercentOf(d->commune.working_age_online, d->commune.working_age) == doctest::Approx(40.0));

  // The default target lines; 2026 falls under the 2030 line.
  CHECK(d->target == TargetLine{2030, 90});
  CHECK(d->settings.online_services.size() == 2);
}

TEST_CASE("Indicators: per topic, per member, follow-ups, review queue and sync") {
  test::LeaderFixture f;
  auto d = ComputeDashboard(*f.db, March());
  REQUIRE_MESSAGE(d.ok(), d.error().message());
  CHECK(d->week_from == "2026-03-09");
  CHECK(d->week_to == "2026-03-15");
  CHECK(d->month_from == "2026-03-01");
  CHECK(d->month_to == "2026-03-31");

  CHECK(TopicRow(*d, "dvc").done == 3);
  CHECK(TopicRow(*d, "dvc").guided == 0);
  for (const char* t : {"cashless", "ecommerce", "safety", "smartphone"}) {
    CAPTURE(t);
    CHECK(TopicRow(*d, t).done == 2);
    CHECK(TopicRow(*d, t).needs_followup == 0);  // V5's is in February
  }
  CHECK(TopicRow(*d, "vneid").guided == 1);  // V6's "done" was deleted
  CHECK(TopicRow(*d, "vneid").done == 0);
  CHECK(TopicRow(*d, "health").guided == 0);     // V7 is returned
  CHECK(d->topics.front().topic_id == "vneid");  // catalog order

  const MemberIndicators& mai = MemberRow(*d, f.member.id);
  CHECK(mai.visits_week == 2);
  CHECK(mai.visits_month == 3);
  CHECK(mai.visits_period == 3);
  CHECK(mai.overdue_followups == 0);
  const MemberIndicators& binh = MemberRow(*d, f.binh.id);
  CHECK(binh.visits_week == 1);
  CHECK(binh.visits_month == 2);
  CHECK(binh.visits_period == 2);
  CHECK(binh.overdue_followups == 2);
  const MemberIndicators& hung = MemberRow(*d, f.leader.id);
  CHECK(hung.leader);
  CHECK(hung.visits_month == 0);

  CHECK(d->overdue_followups == 2);
  CHECK(d->pending_reviews == 3);
  CHECK(d->returned_visits == 1);
  CHECK(d->open_conflicts == 0);
  REQUIRE(d->devices.size() == 1);
  CHECK(d->devices[0].this_device);
  CHECK(d->devices[0].device_id == f.db->device_id());
  CHECK(d->devices[0].last_sync_ms == 0);
  CHECK(d->devices[0].unsynced > 0);  // never synced: every change is waiting
}

TEST_CASE("Indicators: a returned visit does not count until resubmitted, approved-only option") {
  test::LeaderFixture f(/*return_v4_only=*/true);
  auto d = ComputeDashboard(*f.db, March());
  REQUIRE(d.ok());
  CHECK(Row(*d, f.tay.id).visits == 0);
  CHECK(Row(*d, f.tay.id).persons_guided == 0);
  CHECK(TopicRow(*d, "dvc").done == 2);
  CHECK(d->returned_visits == 2);

  f.FixAndResubmitV4();
  d = ComputeDashboard(*f.db, March());
  CHECK(Row(*d, f.tay.id).visits == 1);  // pending again: counted
  CHECK(d->pending_reviews == 4);
  CHECK(d->returned_visits == 1);
  DashboardQuery approved = March();
  approved.approved_only = true;
  d = ComputeDashboard(*f.db, approved);
  CHECK(Row(*d, f.tay.id).visits == 0);
  CHECK(Row(*d, f.village.id).visits == 1);  // V1 only

  f.Decide("V4", "approved", "");
  d = ComputeDashboard(*f.db, approved);
  CHECK(Row(*d, f.tay.id).visits == 1);
  CHECK(d->commune.visits == 2);
  CHECK(MemberRow(*d, f.member.id).visits_period == 2);  // V1, V4
  d = ComputeDashboard(*f.db, March());
  CHECK(d->commune.visits == 4);  // once, whatever its history
}

TEST_CASE(
    "Indicators: an open period counts every visit, the working-age band moves with the year") {
  test::LeaderFixture f;
  auto d = ComputeDashboard(*f.db, {"", "", "2026-03-15", false});
  REQUIRE(d.ok());
  CHECK(d->commune.visits == 5);  // V5 in February now counts
  CHECK(Row(*d, f.tay.id).persons_guided == 2);
  CHECK(TopicRow(*d, "safety").needs_followup == 1);
  // In 2040 P1 (1980) is 60 and still of working age, P4 (1995) 45.
  d = ComputeDashboard(*f.db, {"2040-01-01", "2040-12-31", "2026-03-15", false});
  REQUIRE(d.ok());
  CHECK(d->commune.working_age_online == 2);
  CHECK(d->commune.visits == 0);
  // In 2041 P1 is 61.
  d = ComputeDashboard(*f.db, {"2041-01-01", "2041-12-31", "2026-03-15", false});
  CHECK(d->commune.working_age_online == 1);
  // In 2009 P3 (1948) is 61 and P4 (1995) 14.
  d = ComputeDashboard(*f.db, {"2009-01-01", "2009-12-31", "2026-03-15", false});
  CHECK(d->commune.working_age_online == 1);
}

TEST_CASE("Indicators: target settings are the province's, saved on the laptop") {
  test::LeaderFixture f;
  auto s = LoadIndicatorSettings(*f.db);
  REQUIRE(s.ok());
  CHECK(*s == IndicatorSettings{});
  IndicatorSettings mine;
  mine.online_services = {{2030, 95}, {2026, 80}};
  mine.working_age_max = 45;
  REQUIRE(SaveIndicatorSettings(*f.db, mine).ok());
  auto d = ComputeDashboard(*f.db, March());
  REQUIRE(d.ok());
  CHECK(d->target == TargetLine{2026, 80});
  CHECK(d->settings.online_services.front().year == 2026);  // stored sorted
  CHECK(d->commune.working_age_online == 1);                // P1 is 46: outside a 15-45 band
  d = ComputeDashboard(*f.db, {"2031-01-01", "2031-01-31", "2026-03-15", false});
  CHECK(d->target == TargetLine{2030, 95});  // after the last line, the last line

  IndicatorSettings bad;
  bad.online_services = {{2025, 70}, {2025, 80}};
  CHECK(SaveIndicatorSettings(*f.db, bad).code() == ErrorCode::kInvalidInput);
  bad.online_services = {{2025, 170}};
  CHECK(SaveIndicatorSettings(*f.db, bad).code() == ErrorCode::kInvalidInput);
  bad.online_services.clear();
  CHECK(SaveIndicatorSettings(*f.db, bad).code() == ErrorCode::kInvalidInput);
  CHECK(LoadIndicatorSettings(*f.db)->online_services.size() == 2);  // unchanged
}

TEST_CASE("Indicators: bad dates are refused, week and month edges") {
  test::LeaderFixture f;
  CHECK(ComputeDashboard(*f.db, {"2026-03-31", "2026-03-01", "", false}).error().code() ==
        ErrorCode::kInvalidInput);
  CHECK(ComputeDashboard(*f.db, {"2026-02-30", "", "", false}).error().code() ==
        ErrorCode::kInvalidInput);
  CHECK(WeekOf("2026-03-01") == std::pair<std::string, std::string>{"2026-02-23", "2026-03-01"});
  CHECK(WeekOf("2026-12-31") == std::pair<std::string, std::string>{"2026-12-28", "2027-01-03"});
  CHECK(MonthOf("2028-02-10") == std::pair<std::string, std::string>{"2028-02-01", "2028-02-29"});
  CHECK(MonthOf("2026-13-01").first.empty());
}

}  // namespace
}  // namespace gocua
