// The conformance suite, authors: an op carries the member signed in on its device
// (Database::SetAuthor) through a push, as the sync engine sends it (the fixture's Outbox goes
// through sync/ops like a real push), and the store keeps it, serves it in pulls and checks it
// (sync/hub/store/authorise.h). Every case runs on every store of hub_store_factories.h.
#include <doctest/doctest.h>

#include <string>

#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

TEST_CASE_TEMPLATE("HubStore: a pushed op keeps its author, and another device pulls it with it",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  a->db->SetAuthor(f.member.id);
  f.AddHousehold(*a, "Đinh Thị Hoa");
  const std::vector<RemoteOp> sent = Outbox(*a->db);
  REQUIRE_FALSE(sent.empty());
  for (const RemoteOp& op : sent) CHECK(op.author == f.member.id);

  const HubPushResult pushed = f.Push(*a);
  REQUIRE(pushed.outcomes.size() == sent.size());
  for (const OpOutcome& o : pushed.outcomes) CHECK_FALSE(o.quarantined);
  auto page = f.hub->Pull(b->hub_view, Replica(*b->db).State()->cursor, 1000);
  REQUIRE(page.ok());
  size_t from_a = 0;
  for (const auto& [seq, op] : page->ops) {
    if (op.origin_device != a->db->device_id()) continue;
    ++from_a;
    CAPTURE(op.field);
    CHECK(op.author == f.member.id);
  }
  CHECK(from_a == sent.size());
}

TEST_CASE_TEMPLATE("HubStore: an op whose author is a member of another commune is quarantined",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto stranger = f.hub->AddMember(f.other.id, "Hồ Văn Lạ", Role::kMember, "4321");
  REQUIRE(stranger.ok());
  a->db->SetAuthor(stranger->id);
  f.AddHousehold(*a, "Đinh Văn Khánh");

  const HubPushResult pushed = f.Push(*a);
  REQUIRE_FALSE(pushed.outcomes.empty());
  for (const OpOutcome& o : pushed.outcomes) CHECK(o.quarantined);
  auto quarantined = f.hub->Quarantined();
  REQUIRE(quarantined.ok());
  REQUIRE(quarantined->size() == pushed.outcomes.size());
  for (const QuarantinedOp& q : *quarantined) {
    CAPTURE(q.reason);
    CHECK(q.op.author == stranger->id);
    CHECK(q.reason.find("is not a member of this commune") != std::string::npos);
  }
}

}  // namespace
}  // namespace gocua::hub_store_test
