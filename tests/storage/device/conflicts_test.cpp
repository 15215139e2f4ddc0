// Conflicts for a leader (storage/device/conflicts.h) with the hub store in-process: two members
// edit one field offline, the hub records the conflict, the leader keeps one value or writes a
// merged one, and the resolution syncs to every device. Only a leader's resolution passes the hub.
#include "storage/device/conflicts.h"

#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/core/ids.h"
#include "storage/device/households.h"
#include "storage/device/replica.h"
#include "storage/io/export.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

struct Laptop {
  ManualClock clock{test::kTestNowMs};
  std::unique_ptr<Database> db;
  HubDevice hub_view;
};

struct ConflictFixture {
  test::TempDir dir;
  ManualClock clock{test::kTestNowMs};
  std::unique_ptr<HubStore> hub;
  Commune commune;
  Village village;
  Member member, member2, leader;
  std::unique_ptr<Laptop> a, b, l;  // two members' laptops and the leader's

  ConflictFixture() {
    hub = std::move(OpenSqliteHubStore(dir.File("hub.db"), clock)).value();
    commune = *hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn");
    village = *hub->AddVillage(commune.id, "Thôn Đông");
    member = *hub->AddMember(commune.id, "Trần Thị Mai", Role::kMember, "1234");
    member2 = *hub->AddMember(commune.id, "Phạm Văn Nam", Role::kMember, "4321");
    leader = *hub->AddMember(commune.id, "Lê Văn Hùng", Role::kLeader, "5678");
    a = Enroll("a.db");
    b = Enroll("b.db");
    l = Enroll("l.db", Role::kLeader);  // resolving a conflict is a leader's laptop's work
    a->db->SetAuthor(member.id);
    b->db->SetAuthor(member2.id);
    l->db->SetAuthor(leader.id);
  }

  std::unique_ptr<Laptop> Enroll(const std::string& file, Role role = Role::kMember) {
    auto dev = std::make_unique<Laptop>();
    dev->db = test::OpenOrDie(dir.File(file), dev->clock);
    auto e = hub->Enroll(*hub->IssueEnrollmentCode(commune.id, 3600000, role), dev->db->device_id(),
                         file);
    REQUIRE_MESSAGE(e.ok(), e.error().message());
    dev->hub_view = e->first;
    REQUIRE(Replica(*dev->db).SaveEnrollment("http://hub", e->second, commune.id).ok());
    Pull(*dev);
    return dev;
  }

  static std::vector<RemoteOp> Outbox(Database& db) {
    std::vector<RemoteOp> ops;
    auto pending = ChangeLog(db).Pending(0, 100000);
    REQUIRE(pending.ok());
    for (const ChangeEntry& e : *pending)
      ops.push_back({db.device_id(), e.seq, e.record_type, e.record_id, e.field, e.value,
                     Stamp{e.base_hlc, e.base_device}, e.hlc, e.author,
                     Stamp{e.seen_hlc, e.seen_device}});
    return ops;
  }

  HubPushResult Push(Laptop& dev, std::vector<RemoteOp> ops = {}) {
    if (ops.empty()) ops = Outbox(*dev.db);
    auto r = hub->Push(dev.hub_view, ops);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    REQUIRE(r->rejection.kind == PushRejection::Kind::kNone);
    REQUIRE(ChangeLog(*dev.db).Acknowledge(r->acked_seq).ok());
    return *r;
  }

  void Pull(Laptop& dev) {
    for (;;) {
      auto page = hub->Pull(dev.hub_view, Replica(*dev.db).State()->cursor, 500);
      REQUIRE(page.ok());
      std::vector<RemoteOp> ops;
      for (auto& [seq, op] : page->ops) ops.push_back(op);
      REQUIRE(Replica(*dev.db).ApplyPulled(ops, page->next_cursor).ok());
      if (!page->has_more) return;
    }
  }

  // Both members change `field` of the household offline, B a minute after A; A syncs first.
  void EditConcurrently(const Household& h, const std::string& field, const std::string& va,
                        const std::string& vb) {
    Household x = *Households(*a->db).Get(h.id);
    Household y = *Households(*b->db).Get(h.id);
    (field == "phone" ? x.phone : x.head_name) = va;
    (field == "phone" ? y.phone : y.head_name) = vb;
    a->clock.Advance(60000);
    REQUIRE(Households(*a->db).Update(x).ok());
    b->clock.Advance(120000);
    REQUIRE(Households(*b->db).Update(y).ok());
    Push(*a);
    auto r = Push(*b);
    REQUIRE(r.outcomes.size() == 1);
    REQUIRE(r.outcomes[0].outcome == MergeOutcome::kConflict);
  }

  // Every laptop holds what the hub holds; the members' laptops all but the leader's PIN hash,
  // which the hub sends only to leaders' laptops (docs/security.md).
  void CheckConverged() {
    const std::string hub_export = *hub->ExportCanonicalJson();
    std::string without_leader_pin = hub_export;
    const std::string leader_hash = "\"pin_hash\":\"" + leader.pin_hash + "\"";
    const size_t at = without_leader_pin.find(leader_hash);
    REQUIRE(at != std::string::npos);
    without_leader_pin.replace(at, leader_hash.size(), "\"pin_hash\":\"\"");
    for (Laptop* dev : {a.get(), b.get(), l.get()}) {
      Pull(*dev);
      CHECK(*ExportCanonicalJson(*dev->db) == (dev == l.get() ? hub_export : without_leader_pin));
    }
  }
};

TEST_CASE("Conflicts: the leader sees both values, keeps one, and it closes everywhere") {
  ConflictFixture f;
  Household h;
  h.village_id = f.village.id;
  h.head_name = "Nguyễn Văn Đức";
  h = *Households(*f.a->db).Add(h);
  f.Push(*f.a);
  for (Laptop* dev : {f.b.get(), f.l.get()}) f.Pull(*dev);
  f.EditConcurrently(h, "phone", "0912000111", "0988000222");

  f.Pull(*f.l);
  Conflicts conflicts(*f.l->db);
  CHECK(*conflicts.CountOpen() == 1);
  auto open = conflicts.ListOpen();
  REQUIRE(open->size() == 1);
  const ConflictView c = open->front();
  CHECK(c.record_label == "Hộ Nguyễn Văn Đức");
  CHECK(c.record_type == "household");
  CHECK(c.field == "phone");
  CHECK(c.value_a == "0912000111");
  CHECK(c.value_b == "0988000222");
  CHECK(c.device_a == f.a->db->device_id());
  CHECK(c.device_b == f.b->db->device_id());
  CHECK(c.time_a_ms == test::kTestNowMs + 60000);
  CHECK(c.time_b_ms == test::kTestNowMs + 120000);
  CHECK(c.winner == "b");
  CHECK(c.current == "0988000222");
  // Who made each side, and what B started from: the phone as the household was added.
  CHECK(c.author_a == f.member.id);
  CHECK(c.author_b == f.member2.id);
  CHECK(c.author_a_name == "Trần Thị Mai");
  CHECK(c.author_b_name == "Phạm Văn Nam");
  REQUIRE(c.value_base.has_value());
  CHECK(*c.value_base == "");
  CHECK(c.status == "open");

  // Only a leader resolves, on the laptop and on the hub.
  f.Pull(*f.a);
  CHECK(Conflicts(*f.a->db).Keep(c.id, f.member.id, "a").code() == ErrorCode::kInvalidInput);
  CHECK(conflicts.Keep(c.id, f.leader.id, "c").code() == ErrorCode::kInvalidInput);
  const int64_t next = *ChangeLog(*f.a->db).LastSeq() + 1;
  RemoteOp forged{f.a->db->device_id(),
                  next,
                  "conflict",
                  c.id,
                  "status",
                  "resolved",
                  Stamp{},
                  MakeHlc(test::kTestNowMs + 300000, 0),
                  f.member.id,
                  Stamp{}};
  RemoteOp by_leader_wrong_field = forged;
  by_leader_wrong_field.seq = next + 1;
  by_leader_wrong_field.field = "winner";
  by_leader_wrong_field.value = "a";
  by_leader_wrong_field.author = f.leader.id;
  RemoteOp made_up = forged;
  made_up.seq = next + 2;
  made_up.record_id = "0123456789abcdef0123456789abcdef";
  made_up.author = f.leader.id;
  auto refused = f.hub->Push(f.a->hub_view, {forged, by_leader_wrong_field, made_up});
  REQUIRE(refused.ok());
  REQUIRE(refused->outcomes.size() == 3);
  for (const OpOutcome& o : refused->outcomes) CHECK(o.quarantined);
  CHECK(refused->outcomes[0].reason.find("leader") != std::string::npos);

  REQUIRE(conflicts.Keep(c.id, f.leader.id, "a").ok());
  CHECK(conflicts.Keep(c.id, f.leader.id, "b").code() == ErrorCode::kConflict);
  auto closed = conflicts.Get(c.id);
  CHECK(closed->status == "resolved");
  CHECK(closed->choice == "a");
  CHECK(closed->resolved_value == "0912000111");
  CHECK(closed->resolved_by == f.leader.id);
  CHECK(Households(*f.l->db).Get(h.id)->phone == "0912000111");
  for (const OpOutcome& o : f.Push(*f.l).outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  f.CheckConverged();
  for (Laptop* dev : {f.a.get(), f.b.get(), f.l.get()}) {
    CHECK(*Conflicts(*dev->db).CountOpen() == 0);
    CHECK(Households(*dev->db).Get(h.id)->phone == "0912000111");
  }
  CHECK(f.hub->Conflicts()->front().status == "resolved");
}

TEST_CASE("Conflicts: a merged value, and keeping the value that already holds") {
  ConflictFixture f;
  Household h;
  h.village_id = f.village.id;
  h.head_name = "Nguyễn Văn Đức";
  h.phone = "0912000111";
  h = *Households(*f.a->db).Add(h);
  f.Push(*f.a);
  for (Laptop* dev : {f.b.get(), f.l.get()}) f.Pull(*dev);
  f.EditConcurrently(h, "head_name", "Nguyễn Văn Đức (Tư)", "Nguyễn Văn Đức Tư");
  f.EditConcurrently(h, "phone", "0912000333", "0912000444");
  f.Pull(*f.l);
  Conflicts conflicts(*f.l->db);
  auto open = conflicts.ListOpen();
  REQUIRE(open->size() == 2);
  CHECK(open->front().field == "phone");  // newest first
  const std::string name_conflict = (*open)[1].id;
  const std::string phone_conflict = (*open)[0].id;

  CHECK(conflicts.Resolve(name_conflict, f.leader.id, 12).code() == ErrorCode::kInvalidInput);
  REQUIRE(conflicts.Resolve(name_conflict, f.leader.id, "Nguyễn Văn Tư").ok());
  // Keeping b, the value sync already applied, writes only the conflict.
  const int64_t before = *ChangeLog(*f.l->db).LastSeq();
  REQUIRE(conflicts.Keep(phone_conflict, f.leader.id, "b").ok());
  CHECK(*ChangeLog(*f.l->db).LastSeq() - before == 2);  // status, resolution
  CHECK(conflicts.Get(name_conflict)->choice == "merged");
  // The base is the value both edits started from, read from the hub's log.
  CHECK(*conflicts.Get(name_conflict)->value_base == "Nguyễn Văn Đức");
  CHECK(*conflicts.Get(phone_conflict)->value_base == "0912000111");
  f.Push(*f.l);
  f.CheckConverged();
  for (Laptop* dev : {f.a.get(), f.b.get()}) {
    auto mine = Households(*dev->db).Get(h.id);
    CHECK(mine->head_name == "Nguyễn Văn Tư");
    CHECK(mine->phone == "0912000444");
    CHECK(*Conflicts(*dev->db).CountOpen() == 0);
  }
}

}  // namespace
}  // namespace gocua
