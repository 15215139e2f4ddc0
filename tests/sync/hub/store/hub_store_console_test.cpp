// The conformance suite, the province's web console's side of the hub store
// (hub_store.h): accounts and lockout, sessions, the audit log, settings, the commune's
// villages and members, renames as the hub's own ops (a device pulls them), open conflicts and
// coverage. Every case runs on every store of hub_store_factories.h.
#include <doctest/doctest.h>

#include "storage/device/persons.h"
#include "sync/hub/store/postgresql/pg_schema.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

TEST_CASE_TEMPLATE("HubStore console: accounts, lockout after failures in a row, kept on reopen",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  HubStore& hub = *f.hub;
  CHECK(hub.AddConsoleAdmin(" ", "h").code() == ErrorCode::kInvalidInput);
  REQUIRE(hub.AddConsoleAdmin("tinh", "hash-1").ok());
  CHECK(hub.AddConsoleAdmin("tinh", "hash-2").code() == ErrorCode::kConflict);
  CHECK(hub.FindConsoleAdmin("nobody").error().code() == ErrorCode::kNotFound);
  CHECK(hub.NoteFailedSignIn("nobody", 5, 60000).error().code() == ErrorCode::kNotFound);
  auto a = hub.FindConsoleAdmin("tinh");
  REQUIRE(a.ok());
  CHECK(a->password_hash == "hash-1");  // the second add changed nothing
  CHECK(a->failed == 0);
  CHECK(a->locked_until == 0);

  // Two failures, then a sign-in: the count starts again.
  CHECK(hub.NoteFailedSignIn("tinh", 3, 60000)->failed == 1);
  CHECK(hub.NoteFailedSignIn("tinh", 3, 60000)->failed == 2);
  REQUIRE(hub.NoteSignedIn("tinh").ok());
  CHECK(hub.FindConsoleAdmin("tinh")->failed == 0);

  // Three in a row lock the account for lock_ms from now; the count restarts.
  f.clock.Advance(5000);
  CHECK(hub.NoteFailedSignIn("tinh", 3, 60000)->failed == 1);
  CHECK(hub.NoteFailedSignIn("tinh", 3, 60000)->locked_until == 0);
  auto locked = hub.NoteFailedSignIn("tinh", 3, 60000);
  REQUIRE(locked.ok());
  CHECK(locked->failed == 0);
  CHECK(locked->locked_until == f.clock.NowMs() + 60000);
  auto stored = hub.FindConsoleAdmin("tinh");
  CHECK(stored->failed == 0);
  CHECK(stored->locked_until == f.clock.NowMs() + 60000);

  // The account lives in the database: a store opened again on it finds it.
  f.hub.reset();
  auto again = Store::Open(f.dir.path().string(), f.clock);
  REQUIRE(again.ok());
  CHECK((*again)->FindConsoleAdmin("tinh")->locked_until == f.clock.NowMs() + 60000);
  CHECK((*again)->AddConsoleAdmin("tinh", "x").code() == ErrorCode::kConflict);
}

TEST_CASE_TEMPLATE("HubStore console: sessions are found, touched and deleted", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  HubStore& hub = *f.hub;
  REQUIRE(hub.AddConsoleAdmin("tinh", "hash").ok());
  const int64_t t0 = f.clock.NowMs();
  REQUIRE(hub.CreateConsoleSession({"sid-hash", "tinh", "csrf-1", t0, t0}).ok());
  CHECK_FALSE(hub.CreateConsoleSession({"sid-hash", "tinh", "csrf-2", t0, t0}).ok());
  CHECK_FALSE(hub.CreateConsoleSession({"other", "nobody", "csrf", t0, t0}).ok());  // no account
  auto s = hub.FindConsoleSession("sid-hash");
  REQUIRE(s.ok());
  CHECK(s->admin == "tinh");
  CHECK(s->csrf == "csrf-1");
  CHECK(s->created_at == t0);
  CHECK(s->last_seen == t0);
  CHECK(hub.FindConsoleSession("other").error().code() == ErrorCode::kNotFound);

  f.clock.Advance(90000);
  REQUIRE(hub.TouchConsoleSession("sid-hash").ok());
  s = hub.FindConsoleSession("sid-hash");
  CHECK(s->created_at == t0);
  CHECK(s->last_seen == t0 + 90000);

  REQUIRE(hub.DeleteConsoleSession("sid-hash").ok());
  CHECK(hub.FindConsoleSession("sid-hash").error().code() == ErrorCode::kNotFound);
  CHECK(hub.DeleteConsoleSession("sid-hash").ok());  // gone already: nothing to do
}

TEST_CASE_TEMPLATE("HubStore console: the audit log is newest first, settings are replaced", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  HubStore& hub = *f.hub;
  CHECK(hub.AuditLog(10)->empty());
  REQUIRE(hub.AppendAudit({100, "tinh", "sign-in", "", "10.0.0.1"}).ok());
  REQUIRE(hub.AppendAudit({100, "tinh", "rename-village", "Thôn Đông → Thôn Đông Mới", "10.0.0.1"})
              .ok());
  REQUIRE(hub.AppendAudit({200, "xa", "sign-out", "", "10.0.0.2"}).ok());
  auto log = hub.AuditLog(2);
  REQUIRE(log.ok());
  REQUIRE(log->size() == 2);
  CHECK(log->at(0).action == "sign-out");
  CHECK(log->at(0).admin == "xa");
  CHECK(log->at(0).at == 200);
  CHECK(log->at(0).remote == "10.0.0.2");
  CHECK(log->at(1).action == "rename-village");  // same time as the first: in order appended
  CHECK(log->at(1).detail == "Thôn Đông → Thôn Đông Mới");
  CHECK(hub.AuditLog(10)->size() == 3);

  CHECK(hub.ConsoleSetting("coverage_target").value() == "");
  REQUIRE(hub.SetConsoleSetting("coverage_target", "70").ok());
  REQUIRE(hub.SetConsoleSetting("coverage_target", "80").ok());
  CHECK(hub.ConsoleSetting("coverage_target").value() == "80");
  CHECK(hub.ConsoleSetting("other").value() == "");
}

TEST_CASE_TEMPLATE("HubStore console: renames are the hub's ops that a device pulls", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  HubStore& hub = *f.hub;
  auto a = f.Enroll("a.db", f.commune.id);
  auto members = hub.CommuneMembers(f.commune.id);
  REQUIRE(members.ok());
  REQUIRE(members->size() == 2);
  CHECK(members->at(0).name == "Lê Văn Hùng");  // by name
  CHECK(members->at(0).role == Role::kLeader);
  CHECK(members->at(1).id == f.member.id);
  CHECK(members->at(1).role == Role::kMember);
  CHECK(hub.CommuneMembers(f.other.id)->empty());

  CHECK(hub.RenameVillage("no-such-village", "Thôn A").code() == ErrorCode::kNotFound);
  CHECK(hub.RenameCommune("no-such-commune", "Xã A").code() == ErrorCode::kNotFound);
  CHECK(hub.RenameVillage(f.village.id, "  ").code() == ErrorCode::kInvalidInput);
  CHECK(hub.RenameCommune(f.commune.id, "").code() == ErrorCode::kInvalidInput);
  CHECK(hub.RenameVillage(f.village.id, std::string("Th\xff")).code() == ErrorCode::kInvalidInput);
  REQUIRE(hub.RenameVillage(f.village.id, "Thôn Đông Mới").ok());
  REQUIRE(hub.RenameCommune(f.commune.id, "Xã Tịnh Sơn Mới").ok());

  auto villages = hub.Villages(f.commune.id);
  REQUIRE(villages.ok());
  REQUIRE(villages->size() == 1);
  CHECK(villages->front().name == "Thôn Đông Mới");
  CHECK(hub.Villages(f.other.id)->front().name == "Thôn Bắc");  // the other commune's: as it was
  auto communes = hub.Communes();
  REQUIRE(communes.ok());
  bool renamed = false;
  for (const Commune& c : *communes) renamed |= c.id == f.commune.id && c.name == "Xã Tịnh Sơn Mới";
  CHECK(renamed);

  // The device pulls both renames as ops of the hub.
  CHECK(f.Pull(*a) == 2);
  auto on_device = Places(*a->db).Villages();
  REQUIRE(on_device.ok());
  REQUIRE(on_device->size() == 1);
  CHECK(on_device->front().name == "Thôn Đông Mới");
  CHECK(Places(*a->db).LocalCommune()->name == "Xã Tịnh Sơn Mới");
  // A device of the other commune gets neither.
  auto b = f.Enroll("b.db", f.other.id);
  CHECK(Places(*b->db).Villages()->front().name == "Thôn Bắc");
}

TEST_CASE_TEMPLATE("HubStore console: open conflicts carry their commune", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  CHECK(f.hub->OpenConflicts()->empty());
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Đinh Văn Lợi");
  f.Push(*a);
  f.Pull(*b);
  a->clock.Advance(1000);
  b->clock.Advance(2000);
  Household ha = *Households(*a->db).Get(h.id), hb = *Households(*b->db).Get(h.id);
  ha.phone = "0911111111";
  hb.phone = "0922222222";
  REQUIRE(Households(*a->db).Update(ha).ok());
  REQUIRE(Households(*b->db).Update(hb).ok());
  f.Push(*a);
  f.Push(*b);
  auto open = f.hub->OpenConflicts();
  REQUIRE_MESSAGE(open.ok(), open.error().message());
  REQUIRE(open->size() == 1);
  CHECK(open->front().first == f.commune.id);
  CHECK(open->front().second.record_id == h.id);
  CHECK(open->front().second.field == "phone");
  CHECK(open->front().second.status == "open");
}

TEST_CASE_TEMPLATE("HubStore console: coverage by commune from the hub's records", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  // A leader's device: it records and returns visits.
  auto dev = std::make_unique<Device>();
  dev->db = OpenOrDie(f.dir.File("leader.db"), dev->clock);
  auto code = f.hub->IssueEnrollmentCode(f.commune.id, 3600000, Role::kLeader);
  REQUIRE(code.ok());
  auto e = f.hub->Enroll(*code, dev->db->device_id(), "leader.db");
  REQUIRE(e.ok());
  dev->hub_view = e->first;
  REQUIRE(Replica(*dev->db).SaveEnrollment("http://hub", e->second, f.commune.id).ok());
  f.Pull(*dev);
  dev->db->SetAuthor(f.leader.id);  // the leader signed in on it

  auto add = [&](const std::string& head, int working_age) {
    Household h;
    h.village_id = f.village.id;
    h.head_name = head;
    h.members_count = 4;
    h.working_age_count = working_age;
    auto r = Households(*dev->db).Add(h);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    return *r;
  };
  Household h1 = add("Hộ Một", 2), h2 = add("Hộ Hai", 3), h3 = add("Hộ Ba", 4);
  REQUIRE(Households(*dev->db).Remove(h3.id).ok());  // not in the register
  // h1 visited; h2's only visit returned (cần sửa): it does not count.
  Visit v1 = MakeVisit(f, h1);
  v1.members = {f.leader.id};
  REQUIRE(Visits(*dev->db).Save(v1).ok());
  Visit v2 = MakeVisit(f, h2);
  v2.members = {f.leader.id};
  auto saved2 = Visits(*dev->db).Save(v2);
  REQUIRE(saved2.ok());
  REQUIRE(Reviews(*dev->db).Decide(saved2->id, f.leader.id, "returned", "Thiếu ảnh").ok());
  // Persons: one proficient in the band counts; one outside it and one only guided do not.
  auto person = [&](const Household& h, int born, const char* level) {
    Person p;
    p.household_id = h.id;
    p.name = "Người " + std::to_string(born);
    p.birth_year = born;
    p.sex = "female";
    p.skills["public_services"] = level;
    REQUIRE(Persons(*dev->db).Add(p).ok());
  };
  person(h1, 1990, "proficient");
  person(h2, 2001, "proficient");
  person(h1, 1950, "proficient");
  person(h2, 1995, "guided");
  // A return needs the leader as its author: the fixture's Outbox carries it.
  auto pushed = f.hub->Push(dev->hub_view, Outbox(*dev->db));
  REQUIRE(pushed.ok());
  REQUIRE(pushed->rejection.kind == PushRejection::Kind::kNone);
  auto quarantined = f.hub->Quarantined();
  REQUIRE(quarantined.ok());
  std::string why;
  for (const QuarantinedOp& q : *quarantined)
    why += q.op.record_type + "." + q.op.field + ": " + q.reason + "\n";
  CHECK_MESSAGE(quarantined->empty(), why);

  auto cov = f.hub->CoverageByCommune(1960, 2008);
  REQUIRE(cov.ok());
  REQUIRE(cov->size() == 2);
  // By name: "Xã Tịnh Hà" before "Xã Tịnh Sơn".
  CHECK(cov->at(0).commune_id == f.other.id);
  CHECK(cov->at(0).households == 0);
  CHECK(cov->at(0).households_visited == 0);
  CHECK(cov->at(0).working_age == 0);
  CHECK(cov->at(0).working_age_online == 0);
  CHECK(cov->at(1).commune_id == f.commune.id);
  CHECK(cov->at(1).commune_name == "Xã Tịnh Sơn");
  CHECK(cov->at(1).households == 2);
  CHECK(cov->at(1).households_visited == 1);
  CHECK(cov->at(1).working_age == 5);
  CHECK(cov->at(1).working_age_online == 2);
  // The band is inclusive at both ends.
  CHECK(f.hub->CoverageByCommune(1990, 1990)->at(1).working_age_online == 1);
  CHECK(f.hub->CoverageByCommune(1991, 2000)->at(1).working_age_online == 0);
}

// PostgreSQL only: a database of PG hub schema 1 (before the console) gets the console's tables
// at the next open, its records kept.
TEST_CASE("PgHubStore: a schema 1 database gains the console's tables at open") {
  test::PgCluster& cluster = test::PgCluster::Shared();
  const std::string db = cluster.NewDatabase();
  ManualClock clock{kTestNowMs};
  std::string commune_id;
  {
    auto hub = OpenPostgresHubStore(cluster.Uri(db), clock);
    REQUIRE(hub.ok());
    commune_id = (*hub)->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn")->id;
  }
  auto c = pg::Conn::Open(cluster.Uri(db));
  REQUIRE(c.ok());
  // Back to schema 1: what the steps after it made is dropped, so that each runs again.
  REQUIRE((*c)->Simple("DROP TABLE console_sessions, console_admins, console_audit, "
                       "console_settings; ALTER TABLE hub_devices DROP COLUMN IF EXISTS "
                       "replaced_by; UPDATE hub_meta SET value = '1' WHERE key = 'hub_schema'",
                       "back to schema 1")
              .ok());
  auto hub = OpenPostgresHubStore(cluster.Uri(db), clock);
  REQUIRE_MESSAGE(hub.ok(), hub.error().message());
  REQUIRE((*hub)->AddConsoleAdmin("tinh", "hash").ok());
  CHECK((*hub)->FindConsoleAdmin("tinh")->password_hash == "hash");
  REQUIRE((*hub)->SetConsoleSetting("coverage_target", "70").ok());
  CHECK((*hub)->Communes()->front().id == commune_id);
  auto v = (*c)->Query("SELECT value FROM hub_meta WHERE key = 'hub_schema'", {}, "schema");
  REQUIRE(v.ok());
  CHECK(v->Text(0, 0) == std::to_string(pg::kPgHubSchema));
}

}  // namespace
}  // namespace gocua::hub_store_test
