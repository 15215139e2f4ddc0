// The conformance suite, push: the hub store and device replicas together, in-process (no
// HTTP): records reach the commune, dedupe, gaps, forks, quarantine, conflicts. Every case runs
// on every store of hub_store_factories.h.
#include <doctest/doctest.h>

#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

TEST_CASE_TEMPLATE("HubStore: a device's records reach another device of the commune, not another",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  auto c = f.Enroll("c.db", f.other.id);
  // Enrollment pulled the commune's village and members.
  CHECK(Places(*a->db).Villages()->size() == 1);
  CHECK(Members(*a->db).List()->size() == 2);
  CHECK(*Members(*a->db).CheckPin(f.member.id, "1234"));

  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto pushed = f.Push(*a);
  CHECK(pushed.outcomes.size() == 8);
  CHECK(pushed.acked_seq == 8);
  for (const OpOutcome& o : pushed.outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  CHECK(*ChangeLog(*a->db).PendingCount() == 0);
  CHECK(f.Pull(*b) == 8);
  CHECK(Households(*b->db).Get(h.id)->head_name == "Nguyễn Văn Đức");
  CHECK(Households(*b->db).Search("nguyen van duc")->size() == 1);
  f.Pull(*c);
  CHECK(Households(*c->db).Get(h.id).error().code() == ErrorCode::kNotFound);
  // Replicas and hub agree on the commune's records.
  f.Pull(*a);
  CHECK(*ExportCanonicalJson(*a->db) == *ExportCanonicalJson(*b->db));
}

TEST_CASE_TEMPLATE("HubStore: a resent batch gets the same answer and applies nothing twice", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  f.AddHousehold(*a, "Phạm Thị Lan");
  auto ops = Outbox(*a->db);
  auto first = f.hub->Push(a->hub_view, ops);
  auto again = f.hub->Push(a->hub_view, ops);
  REQUIRE(first.ok());
  REQUIRE(again.ok());
  CHECK(again->acked_seq == first->acked_seq);
  REQUIRE(again->outcomes.size() == first->outcomes.size());
  for (size_t i = 0; i < ops.size(); ++i)
    CHECK(again->outcomes[i].outcome == first->outcomes[i].outcome);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*Households(*b->db).Count() == 1);
  // A batch that overlaps what was applied sends only the new tail through.
  f.AddHousehold(*a, "Hà Văn Ba");
  auto more = f.hub->Push(a->hub_view, Outbox(*a->db));
  REQUIRE(more.ok());
  CHECK(more->acked_seq == 16);
  f.Pull(*b);
  CHECK(*Households(*b->db).Count() == 2);
}

TEST_CASE_TEMPLATE("HubStore: a gap is refused with the expected seq, a clone is refused as a fork",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  f.AddHousehold(*a, "Võ Văn Tám");
  auto ops = Outbox(*a->db);
  std::vector<RemoteOp> tail(ops.begin() + 3, ops.end());
  auto gap = f.hub->Push(a->hub_view, tail);
  REQUIRE(gap.ok());
  CHECK(gap->rejection.kind == PushRejection::Kind::kSeqGap);
  CHECK(gap->rejection.expected_seq == 1);
  CHECK(f.hub->Quarantined()->empty());
  REQUIRE(f.hub->Push(a->hub_view, ops)->rejection.kind == PushRejection::Kind::kNone);
  std::vector<RemoteOp> cloned = {ops[0]};
  cloned[0].value = "Giá trị khác";
  auto fork = f.hub->Push(a->hub_view, cloned);
  REQUIRE(fork.ok());
  CHECK(fork->rejection.kind == PushRejection::Kind::kDeviceFork);
}

TEST_CASE_TEMPLATE(
    "HubStore: invalid and out-of-scope ops are quarantined and do not block the rest", Store,
    GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  const std::string dev = a->db->device_id();
  const std::string hh = NewUuidV7(kTestNowMs);
  const std::string rv = NewUuidV7(kTestNowMs);
  std::vector<RemoteOp> ops = {
      {dev, 1, "household", hh, "no_such_field", "x", {}, MakeHlc(kTestNowMs, 1)},
      {dev, 2, "household", hh, "village_id", f.other_village.id, {}, MakeHlc(kTestNowMs, 2)},
      {dev, 3, "household", hh, "head_name", std::string("\xC3"), {}, MakeHlc(kTestNowMs, 3)},
      {dev, 4, "commune", f.commune.id, "name", "Đổi tên", {}, MakeHlc(kTestNowMs, 4)},
      {dev, 5, "review", rv, "leader_id", f.member.id, {}, MakeHlc(kTestNowMs, 5)},
      {dev, 6, "household", hh, "village_id", f.village.id, {}, MakeHlc(kTestNowMs, 6)},
      {dev, 7, "household", hh, "head_name", "Đúng rồi", {}, MakeHlc(kTestNowMs, 7)},
  };
  auto r = f.hub->Push(a->hub_view, ops);
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == 7);
  for (int i = 0; i < 5; ++i) CHECK_MESSAGE(r->outcomes[i].quarantined, i);
  CHECK_FALSE(r->outcomes[5].quarantined);
  CHECK_FALSE(r->outcomes[6].quarantined);
  CHECK(r->acked_seq == 7);
  auto q = f.hub->Quarantined();
  REQUIRE(q->size() == 5);
  CHECK(q->at(1).reason.find("another commune") != std::string::npos);
  CHECK(q->at(4).reason.find("leader") != std::string::npos);
  CHECK(q->at(0).device_id == dev);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(Households(*b->db).Get(hh)->head_name == "Đúng rồi");
}

TEST_CASE_TEMPLATE("HubStore: concurrent edits of one field make one conflict, other fields merge",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Đinh Văn Lợi");
  f.Push(*a);
  f.Pull(*b);
  // Both edit offline: the same field differently, and different fields.
  a->clock.Advance(1000);
  b->clock.Advance(2000);
  Household ha = *Households(*a->db).Get(h.id), hb = *Households(*b->db).Get(h.id);
  ha.phone = "0911111111";
  ha.smartphones = 1;
  hb.phone = "0922222222";
  hb.address = "Xóm Mới";
  REQUIRE(Households(*a->db).Update(ha).ok());
  REQUIRE(Households(*b->db).Update(hb).ok());
  f.Push(*a);
  auto rb = f.Push(*b);
  int conflicts = 0;
  for (const OpOutcome& o : rb.outcomes) conflicts += o.outcome == MergeOutcome::kConflict;
  CHECK(conflicts == 1);
  auto list = f.hub->Conflicts();
  REQUIRE(list->size() == 1);
  CHECK(list->front().field == "phone");
  CHECK(list->front().winner == "b");  // b's stamp is later
  CHECK(list->front().status == "open");
  f.Pull(*a);
  f.Pull(*b);
  auto final_a = Households(*a->db).Get(h.id);
  CHECK(final_a->phone == "0922222222");
  CHECK(final_a->smartphones == 1);
  CHECK(final_a->address == "Xóm Mới");
  CHECK(*ExportCanonicalJson(*a->db) == *ExportCanonicalJson(*b->db));
  // Pushing again changes nothing and makes no new conflict.
  f.Push(*a);
  f.Push(*b);
  CHECK(f.hub->Conflicts()->size() == 1);
}

}  // namespace
}  // namespace gocua::hub_store_test
