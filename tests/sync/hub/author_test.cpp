// Ops carry their author, the member signed in on the laptop (Database::SetAuthor), and a
// leader's review carries the leader whoever is signed in; the real hub then accepts the
// leader's approval and every replica agrees. The hub's refusals (a member approving, no
// author, an author of another commune) are in hub_test.cpp.
#include <doctest/doctest.h>

#include <random>

#include "storage/core/change_log.h"
#include "storage/device/households.h"
#include "storage/device/visits.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

TEST_CASE("Sync: change-log entries carry the signed-in member, a review its leader") {
  test::SyncFixture f;
  f.hub.Start();
  test::DeviceOptions as_leader;  // it decides a review: a leader's laptop (issue 15)
  as_leader.role = "leader";
  test::SyncDevice& laptop = f.AddDevice(as_leader);
  laptop.db().SetAuthor(f.member_id);
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Võ Thị Sáu";
  h.members_count = 2;
  auto added = Households(laptop.db()).Add(h);
  REQUIRE_MESSAGE(added.ok(), added.error().message());
  Visit v;
  v.household_id = added->id;
  v.visited_on = "2026-11-21";
  v.minutes = 20;
  v.members = {f.member_id};
  v.topics["vneid"] = "done";
  auto saved = Visits(laptop.db()).Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  const int64_t before_review = laptop.LastSeq();
  auto review = Reviews(laptop.db()).Decide(saved->id, f.leader_id, "approved", "");
  REQUIRE_MESSAGE(review.ok(), review.error().message());
  CHECK(laptop.db().author() == f.member_id);  // the member is still the one signed in

  auto entries = ChangeLog(laptop.db()).Pending(0, 1000);
  REQUIRE(entries.ok());
  REQUIRE(entries->size() > 2);
  for (const ChangeEntry& e : *entries) {
    INFO(e.record_type, ".", e.field);
    CHECK(e.author == (e.seq > before_review ? f.leader_id : f.member_id));
  }

  std::mt19937_64 rng(3);
  f.AddDevice();
  f.SyncUntilQuiet(rng);
  CHECK(f.hub.Json({"quarantine"}).empty());
  f.CheckAllExportsEqualHub();
  auto on_hub = test::ExportRecords(f.hub.Export())["visit"];
  REQUIRE(on_hub.size() == 1);
  CHECK(on_hub[0]["status"] == "approved");
}

}  // namespace
}  // namespace gocua
