// The conformance suite, push as the hub reads it from the wire (PushOps, hub_store.h): an op
// after the first of its run holds none of the run's strings and is applied as the whole op —
// same outcomes, same log (a resend is a repeat, not a fork), same records. Every case runs on
// every store of hub_store_factories.h.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// `whole` as HubApi hands a wire push on: an op with the op before's origin, record and author
// follows it and holds none of them.
PushOps Runs(const std::vector<RemoteOp>& whole) {
  PushOps out(whole, std::vector<bool>(whole.size(), false));
  for (size_t i = 1; i < whole.size(); ++i) {
    const RemoteOp& before = whole[i - 1];
    RemoteOp& op = out.ops[i];
    if (before.origin_device != op.origin_device || before.record_type != op.record_type ||
        before.record_id != op.record_id || before.author != op.author)
      continue;
    out.follows[i] = true;
    op.origin_device.clear();
    op.record_type.clear();
    op.record_id.clear();
    op.author.clear();
  }
  return out;
}

size_t Following(const PushOps& ops) {
  return static_cast<size_t>(std::count(ops.follows.begin(), ops.follows.end(), true));
}

void CheckSameOutcomes(const HubPushResult& a, const HubPushResult& b) {
  CHECK(a.rejection.kind == b.rejection.kind);
  CHECK(a.acked_seq == b.acked_seq);
  REQUIRE(a.outcomes.size() == b.outcomes.size());
  for (size_t i = 0; i < a.outcomes.size(); ++i) {
    CAPTURE(i);
    CHECK(a.outcomes[i].seq == b.outcomes[i].seq);
    CHECK(a.outcomes[i].quarantined == b.outcomes[i].quarantined);
    CHECK(a.outcomes[i].reason == b.outcomes[i].reason);
    if (!a.outcomes[i].quarantined) CHECK(a.outcomes[i].outcome == b.outcomes[i].outcome);
  }
}

TEST_CASE_TEMPLATE("HubStore: ops that follow their run's first op are applied as the whole ops",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Nguyễn Thị Hoa");
  f.AddHousehold(*a, "Đỗ Văn Nam");
  const std::vector<RemoteOp> ops = Outbox(*a->db);
  const PushOps runs = Runs(ops);
  REQUIRE(Following(runs) + 2 <= ops.size());
  REQUIRE(Following(runs) > 0);
  auto first = f.hub->Push(a->hub_view, runs);
  REQUIRE_MESSAGE(first.ok(), first.error().message());
  CHECK(first->rejection.kind == PushRejection::Kind::kNone);
  CHECK(first->acked_seq == static_cast<int64_t>(ops.size()));
  for (const OpOutcome& o : first->outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  // The log holds the whole ops: resent whole or as runs, every op is a repeat with its first
  // answer (a stored payload that differed would be refused as a fork).
  for (const PushOps& again : {PushOps(ops), Runs(ops)}) {
    auto r = f.hub->Push(a->hub_view, again);
    REQUIRE(r.ok());
    CheckSameOutcomes(*r, *first);
  }
  REQUIRE(ChangeLog(*a->db).Acknowledge(first->acked_seq).ok());
  CHECK(f.Pull(*b) == static_cast<int>(ops.size()));
  CHECK(Households(*b->db).Get(h.id)->head_name == "Nguyễn Thị Hoa");
  f.Pull(*a);
  CHECK(*ExportCanonicalJson(*a->db) == *ExportCanonicalJson(*b->db));
}

TEST_CASE_TEMPLATE("HubStore: a quarantined op in a run answers as it does whole", Store,
                   GOCUA_HUB_STORES) {
  // The same ops, whole on one hub and as runs on another: the same answers and reasons.
  HubPushResult answers[2];
  size_t quarantined[2] = {};
  for (int as_runs = 0; as_runs < 2; ++as_runs) {
    HubFixture f(&Store::Open);
    auto a = f.Enroll("a.db", f.commune.id);
    const std::string dev = a->db->device_id();
    const std::string hh = NewUuidV7(kTestNowMs);
    const std::vector<RemoteOp> ops = {
        {dev, 1, "household", hh, "no_such_field", "x", {}, MakeHlc(kTestNowMs, 1)},
        {dev, 2, "household", hh, "village_id", f.other_village.id, {}, MakeHlc(kTestNowMs, 2)},
        {dev, 3, "household", hh, "head_name", std::string("\xC3"), {}, MakeHlc(kTestNowMs, 3)},
        {dev, 4, "household", hh, "village_id", f.village.id, {}, MakeHlc(kTestNowMs, 4)},
        {dev, 5, "household", hh, "head_name", "Đúng rồi", {}, MakeHlc(kTestNowMs, 5)},
        {dev, 6, "household", hh, "phone", "0912345678", {}, MakeHlc(kTestNowMs, 6), f.member.id},
        {dev, 7, "household", hh, "address", "Xóm Chợ", {}, MakeHlc(kTestNowMs, 7), f.member.id},
    };
    const PushOps runs = Runs(ops);
    CHECK(Following(runs) == 5);
    auto r = f.hub->Push(a->hub_view, as_runs ? runs : PushOps(ops));
    REQUIRE(r.ok());
    answers[as_runs] = *r;
    quarantined[as_runs] = f.hub->Quarantined()->size();
    auto b = f.Enroll("b.db", f.commune.id);
    CHECK(Households(*b->db).Get(hh)->head_name == "Đúng rồi");
    CHECK(Households(*b->db).Get(hh)->address == "Xóm Chợ");
  }
  CheckSameOutcomes(answers[1], answers[0]);
  CHECK(quarantined[0] == 3);
  CHECK(quarantined[1] == quarantined[0]);
}

}  // namespace
}  // namespace gocua::hub_store_test
