// A commune leader's work through the real hub (tests/support/sync_fixture.h): the review round
// trip between a member's laptop and the leader's, and a conflict made by two offline members,
// resolved by the leader and closed everywhere. Each laptop has its own database file, clock
// and sync engine; members sign in (Database::SetAuthor) as the app does.
#include <doctest/doctest.h>

#include <random>

#include "storage/dashboard/indicators.h"
#include "storage/device/conflicts.h"
#include "storage/device/households.h"
#include "storage/device/replica.h"
#include "storage/device/review_queue.h"
#include "storage/device/visits.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {
namespace {

// One sync that must complete with nothing refused by the hub.
// A laptop enrolled with a leader's code: reviews and conflicts are its work (issue 15).
DeviceOptions LeaderLaptop() {
  DeviceOptions o;
  o.role = "leader";
  return o;
}

client::SyncResult SyncOk(SyncDevice& d) {
  client::SyncResult r = d.Sync();
  INFO(d.name(), ": ", client::FailureName(r.failure), " ", r.error.message(), "; last exchange ",
       d.link().last_exchange());
  REQUIRE(r.ok());
  CHECK(r.quarantined == 0);
  CHECK(r.pending == 0);
  return r;
}

Household AddHousehold(SyncDevice& d, const std::string& village_id, const std::string& head) {
  Household h;
  h.village_id = village_id;
  h.head_name = head;
  h.members_count = 3;
  h.working_age_count = 2;
  auto r = Households(d.db()).Add(h);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return *r;
}

TEST_CASE("Leader: review round trip through the real hub, asserted at each step") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& member = f.AddDevice();
  SyncDevice& leader = f.AddDevice(LeaderLaptop());
  member.db().SetAuthor(f.member_id);
  leader.db().SetAuthor(f.leader_id);

  // 1. The member records a visit and syncs.
  const Household h = AddHousehold(member, f.village_id, "Nguyễn Văn Đức");
  Visit v;
  v.household_id = h.id;
  v.visited_on = LocalDate(member.clock().NowMs());
  v.minutes = 20;
  v.members = {f.member_id};
  v.topics = {{"vneid", "done"}};
  auto saved = Visits(member.db()).Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  const std::string id = saved->id;
  SyncOk(member);

  // 2. The leader syncs, finds it in the queue, returns it with a comment, syncs.
  SyncOk(leader);
  ReviewQueue queue(leader.db());
  auto pending = queue.List({});
  REQUIRE(pending.ok());
  REQUIRE(pending->total == 1);
  CHECK(pending->items[0].visit.id == id);
  CHECK(pending->items[0].head_name == "Nguyễn Văn Đức");
  auto returned = queue.DecideMany({id}, f.leader_id, kStatusReturned, "Thiếu thời gian thực tế");
  REQUIRE(returned.ok());
  REQUIRE((*returned)[0].status.ok());
  CHECK(queue.List({})->total == 0);
  SyncOk(leader);

  // 3. The member syncs and sees it returned, with the leader's comment.
  SyncOk(member);
  CHECK(Visits(member.db()).Get(id)->status == kStatusReturned);
  auto to_fix = ReviewQueue(member.db()).ReturnedTo(f.member_id);
  REQUIRE(to_fix.ok());
  REQUIRE(to_fix->items.size() == 1);
  CHECK(to_fix->items[0].last_review.review.comment == "Thiếu thời gian thực tế");
  CHECK(to_fix->items[0].last_review.leader_name == "Lê Văn Hùng");

  // 4. The member fixes it (a resubmission) and syncs.
  Visit fixed = *Visits(member.db()).Get(id);
  fixed.minutes = 45;
  auto resubmitted = Visits(member.db()).Save(fixed);
  REQUIRE_MESSAGE(resubmitted.ok(), resubmitted.error().message());
  CHECK(resubmitted->status == kStatusPending);
  CHECK(ReviewQueue(member.db()).ReturnedTo(f.member_id)->items.empty());
  SyncOk(member);

  // 5. The leader syncs, sees it pending again with its history, approves, syncs.
  SyncOk(leader);
  auto again = queue.List({});
  REQUIRE(again->total == 1);
  CHECK(again->items[0].visit.minutes == 45);
  CHECK(again->items[0].decisions == 1);
  auto approved = queue.DecideMany({id}, f.leader_id, kStatusApproved);
  REQUIRE((*approved)[0].status.ok());
  SyncOk(leader);

  // 6. The member sees it approved, with both decisions.
  SyncOk(member);
  CHECK(Visits(member.db()).Get(id)->status == kStatusApproved);
  auto history = ReviewQueue(member.db()).History(id);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].review.decision == kStatusReturned);
  CHECK((*history)[1].review.decision == kStatusApproved);

  std::mt19937_64 rng(1);
  f.SyncUntilQuiet(rng);
  const nlohmann::json records = ExportRecords(f.CheckAllExportsEqualHub());
  REQUIRE(records["review"].size() == 2);
  CHECK(f.hub.Json({"quarantine"}).empty());
}

TEST_CASE("Leader: a conflict made by two offline members is resolved and converges") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& a = f.AddDevice();
  SyncDevice& b = f.AddDevice();
  SyncDevice& leader = f.AddDevice(LeaderLaptop());
  const std::string member2_id = f.hub.Ok({"member", "add", "--commune", f.commune_id, "--name",
                                           "Phạm Văn Nam", "--role", "member", "--pin", "4321"});
  a.db().SetAuthor(f.member_id);
  b.db().SetAuthor(member2_id);
  leader.db().SetAuthor(f.leader_id);
  Household first = AddHousehold(a, f.village_id, "Trần Văn Sáu");
  first.phone = "0900000000";
  REQUIRE(Households(a.db()).Update(first).ok());
  const Household h = first;
  SyncOk(a);
  SyncOk(b);
  SyncOk(leader);

  // Both members change the household's phone offline; A syncs first, then B.
  Household mine = *Households(a.db()).Get(h.id);
  mine.phone = "0912000111";
  REQUIRE(Households(a.db()).Update(mine).ok());
  Household theirs = *Households(b.db()).Get(h.id);
  theirs.phone = "0988000222";
  REQUIRE(Households(b.db()).Update(theirs).ok());
  SyncOk(a);
  client::SyncResult rb = SyncOk(b);
  CHECK(rb.conflicts == 1);

  // The leader sees the conflict side by side and writes a merged value.
  SyncOk(leader);
  Conflicts conflicts(leader.db());
  auto open = conflicts.ListOpen();
  REQUIRE(open.ok());
  REQUIRE(open->size() == 1);
  const ConflictView c = open->front();
  CHECK(c.field == "phone");
  CHECK(c.record_label == "Hộ Trần Văn Sáu");
  CHECK(c.value_a == "0912000111");
  CHECK(c.value_b == "0988000222");
  CHECK(c.device_a == a.id());
  CHECK(c.device_b == b.id());
  CHECK(c.current == c.value_b);  // B's edit came later and holds meanwhile
  // Who made each side, and what both started from, as the hub's log knew them.
  CHECK(c.author_a_name == "Trần Thị Mai");
  CHECK(c.author_b_name == "Phạm Văn Nam");
  REQUIRE(c.value_base.has_value());
  CHECK(*c.value_base == "0900000000");
  REQUIRE(conflicts.Resolve(c.id, f.leader_id, "0912000111").ok());
  SyncOk(leader);

  // Everyone converges: the merged value, the conflict closed, the same records as the hub.
  std::mt19937_64 rng(2);
  f.SyncUntilQuiet(rng);
  const std::string hub_export = f.CheckAllExportsEqualHub();
  for (SyncDevice* d : {&a, &b, &leader}) {
    CAPTURE(d->name());
    CHECK(*Conflicts(d->db()).CountOpen() == 0);
    CHECK(Households(d->db()).Get(h.id)->phone == "0912000111");
    auto closed = Conflicts(d->db()).Get(c.id);
    REQUIRE(closed.ok());
    CHECK(closed->status == "resolved");
    CHECK(closed->choice == "merged");
    CHECK(closed->resolved_by == f.leader_id);
  }
  const nlohmann::json hub_conflicts = f.hub.Json({"conflicts"});
  REQUIRE(hub_conflicts.size() == 1);
  CHECK(hub_conflicts[0]["status"] == "resolved");
  CHECK(ExportRecords(hub_export)["conflict"][0]["status"] == "resolved");
  CHECK(f.hub.Json({"quarantine"}).empty());
}

TEST_CASE("Leader: the dashboard shows each laptop's last sync as the hub heard it") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& member = f.AddDevice();
  SyncDevice& leader = f.AddDevice(LeaderLaptop());
  SyncOk(member);
  const int64_t member_first = Replica(member.db()).State()->last_sync_ms;
  SyncOk(leader);

  auto seen = [&]() {
    auto d = ComputeDashboard(leader.db(), {});
    REQUIRE_MESSAGE(d.ok(), d.error().message());
    return d->devices;
  };
  std::vector<DeviceSyncInfo> devices = seen();
  REQUIRE(devices.size() == 2);
  CHECK(devices[0].this_device);
  CHECK(devices[0].device_id == leader.id());
  CHECK(devices[0].name == leader.name());  // as enrolled, from the hub's list
  CHECK(devices[0].unsynced == 0);
  CHECK_FALSE(devices[1].this_device);
  CHECK(devices[1].device_id == member.id());
  CHECK(devices[1].name == member.name());
  CHECK(devices[1].unsynced == -1);  // not known for another laptop
  // The hub notes the contact as the member's pull completes, just before the reply's time.
  CHECK(devices[1].last_sync_ms > 0);
  CHECK(devices[1].last_sync_ms <= member_first);
  CHECK(devices[1].last_sync_ms > member_first - 60000);

  // The member syncs again later: the leader sees the newer time after its own next sync.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SyncOk(member);
  SyncOk(leader);
  devices = seen();
  REQUIRE(devices.size() == 2);
  CHECK(devices[1].last_sync_ms > member_first);

  // A revoked laptop is no longer listed.
  f.hub.Ok({"revoke", member.id()});
  SyncOk(leader);
  devices = seen();
  REQUIRE(devices.size() == 1);
  CHECK(devices[0].device_id == leader.id());
}

}  // namespace
}  // namespace gocua::test
