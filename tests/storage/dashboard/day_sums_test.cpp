// Migration v5's daily sums (topic_day, member_day), kept by triggers, against a count made by
// hand from the visits themselves, after a random mix of every kind of write: saves, edits,
// resubmissions, reviews, deletes, and pulled ops changing a visit's day, status, tombstone,
// topics and members one field at a time.
#include <doctest/doctest.h>

#include <map>
#include <random>

#include "storage/core/ids.h"
#include "storage/dashboard/indicators.h"
#include "storage/device/replica.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

struct Expected {
  std::map<std::string, std::map<std::string, int64_t>> topics;  // topic → result → visits
  std::map<std::string, int64_t> members;                        // member → visits
};

Expected CountByHand(Database& db, const DashboardQuery& q) {
  Expected e;
  auto all = Visits(db).List({.limit = 100000});  // not deleted
  REQUIRE(all.ok());
  for (const Visit& v : *all) {
    if (v.status == kStatusReturned) continue;
    if (q.approved_only && v.status != kStatusApproved) continue;
    if ((!q.from.empty() && v.visited_on < q.from) || (!q.to.empty() && v.visited_on > q.to))
      continue;
    for (const auto& [topic, result] : v.topics) ++e.topics[topic][result];
    for (const std::string& m : v.members) ++e.members[m];
  }
  return e;
}

void CheckAgainstHand(Database& db, const DashboardQuery& q) {
  CAPTURE(q.from);
  CAPTURE(q.to);
  CAPTURE(q.approved_only);
  auto d = ComputeDashboard(db, q);
  REQUIRE_MESSAGE(d.ok(), d.error().message());
  Expected e = CountByHand(db, q);
  for (const TopicIndicators& t : d->topics) {
    CAPTURE(t.topic_id);
    CHECK(t.guided == e.topics[t.topic_id]["guided"]);
    CHECK(t.done == e.topics[t.topic_id]["done"]);
    CHECK(t.needs_followup == e.topics[t.topic_id]["needs_followup"]);
    CHECK(t.no_conditions == e.topics[t.topic_id]["no_conditions"]);
  }
  for (const MemberIndicators& m : d->members) {
    CAPTURE(m.name);
    CHECK(m.visits_period == e.members[m.member_id]);
  }
}

TEST_CASE("Migrations: v5 daily topic and member sums match a count by hand after any writes") {
  test::LeaderFixture f;
  std::mt19937_64 rng(20261122);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  const std::vector<std::string> members = {f.member.id, f.binh.id, f.leader.id};
  const std::vector<std::string> topics = {"vneid", "dvc", "cashless", "safety", "health"};
  const std::vector<std::string> results = {"guided", "done", "needs_followup", "no_conditions"};
  const std::vector<std::string> days = {"2026-02-20", "2026-02-28", "2026-03-01", "2026-03-10",
                                         "2026-03-14"};
  auto random_topics = [&] {
    std::map<std::string, std::string> t;
    for (int i = 0, n = 1 + pick(3); i < n; ++i) t[topics[pick(5)]] = results[pick(4)];
    return t;
  };
  auto random_members = [&] {
    std::vector<std::string> m = {members[pick(3)]};
    if (pick(2)) m.push_back(members[pick(3)]);
    return m;
  };
  std::vector<std::string> ids;
  for (auto& [key, v] : f.v) ids.push_back(v.id);
  const std::string other_device = "01a00000-0000-7000-8000-0000000000dd";
  int64_t seq = 0;
  Replica replica(*f.db);
  for (int step = 0; step < 200; ++step) {
    f.clock.Advance(1000);
    const std::string id = ids[static_cast<size_t>(pick(static_cast<int>(ids.size())))];
    const int what = pick(8);
    CAPTURE(step);
    CAPTURE(what);
    if (what == 0) {  // a new visit
      Visit v;
      v.household_id = f.h[pick(2) ? "H1" : "H3"].id;
      v.visited_on = days[static_cast<size_t>(pick(5))];
      v.minutes = 10;
      v.members = random_members();
      v.topics = random_topics();
      auto saved = Visits(*f.db).Save(v);
      REQUIRE_MESSAGE(saved.ok(), saved.error().message());
      ids.push_back(saved->id);
    } else if (what == 1) {  // a member's edit (resubmits a returned visit)
      auto v = Visits(*f.db).Get(id);
      if (!v) continue;
      v->topics = random_topics();
      v->members = random_members();
      v->visited_on = days[static_cast<size_t>(pick(5))];
      v->followup_on = "";
      REQUIRE(Visits(*f.db).Save(*v).ok());
    } else if (what == 2) {  // a review
      if (!Visits(*f.db).Get(id)) continue;
      const bool approve = pick(2);
      REQUIRE(Reviews(*f.db)
                  .Decide(id, f.leader.id, approve ? kStatusApproved : kStatusReturned,
                          approve ? "" : "Sửa lại")
                  .ok());
    } else if (what == 3) {  // deleted here
      if (!Visits(*f.db).Get(id)) continue;
      REQUIRE(Visits(*f.db).Remove(id).ok());
    } else {  // one field changed on another laptop, pulled
      RemoteOp op;
      op.origin_device = other_device;
      op.seq = ++seq;
      op.record_type = "visit";
      op.record_id = id;
      op.hlc = MakeHlc(f.clock.NowMs() + 3600000, 0);
      if (what == 4) {
        op.field = "status";
        op.value = std::vector<std::string>{kStatusPending, kStatusApproved,
                                            kStatusReturned}[static_cast<size_t>(pick(3))];
      } else if (what == 5) {
        op.field = "visited_on";
        op.value = days[static_cast<size_t>(pick(5))];
      } else if (what == 6) {
        op.field = pick(3) ? "topics" : "deleted";
        op.value = op.field == "topics" ? nlohmann::json(random_topics()) : nlohmann::json(pick(2));
      } else {
        op.field = "members";
        op.value = random_members();
      }
      REQUIRE(replica.ApplyPulled({op}, "c" + std::to_string(seq)).ok());
    }
    if (step % 25 == 24) {
      CheckAgainstHand(*f.db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
      CheckAgainstHand(*f.db, {"2026-02-01", "2026-02-28", "2026-03-15", true});
    }
  }
  CheckAgainstHand(*f.db, {"", "", "2026-03-15", false});
  CheckAgainstHand(*f.db, {"", "", "2026-03-15", true});
  CheckAgainstHand(*f.db, {"2026-03-10", "2026-03-10", "2026-03-15", false});
}

}  // namespace
}  // namespace gocua
