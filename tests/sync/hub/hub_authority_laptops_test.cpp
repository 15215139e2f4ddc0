// Issue 15 with real laptops (tests/support/sync_fixture.h: the real hub, device databases,
// libcurl and the sync engine): a member's laptop that rewrites a leader's PIN in its own
// database cannot make that PIN everyone's; a device learns its role at enrollment; a
// rate-limited enrollment says so in Vietnamese.
#include <doctest/doctest.h>

#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/device/members.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Writes `fields` of member `id` on `laptop` as its own change, as a tampered app would.
void Tamper(SyncDevice& laptop, const std::string& id, const nlohmann::json& fields,
            const std::string& author) {
  Database::Impl& d = laptop.db().impl();
  Status st = d.Transact([&]() -> Status {
    AuthorScope as(d, author);
    auto w = WriteLocal(d, *FindRecordDef("member"), id, fields);
    return w ? Status::Ok() : w.error();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
}

TEST_CASE("Hub authority laptops: a member's laptop cannot change the leader's PIN anywhere") {
  SyncFixture f;
  f.hub.Start();
  DeviceOptions as_leader;
  as_leader.role = "leader";
  SyncDevice& attacker = f.AddDevice();
  SyncDevice& office = f.AddDevice(as_leader);
  CHECK(*DeviceRole(attacker.db()) == "member");
  CHECK(*DeviceRole(office.db()) == "leader");
  CHECK_FALSE(*DeviceMayLead(attacker.db()));
  CHECK(*DeviceMayLead(office.db()));
  REQUIRE(attacker.Sync().ok());
  REQUIRE(office.Sync().ok());
  // The member's laptop never received the leader's PIN hash; the leader's laptop did.
  CHECK(Members(attacker.db()).Get(f.leader_id)->pin_hash.empty());
  CHECK(*Members(office.db()).CheckPin(f.leader_id, "5678"));

  const std::string weak = HashPin("0000", "0123456789abcdef0123456789abcdef", 1);
  Tamper(attacker, f.leader_id, {{"pin_hash", weak}}, f.leader_id);
  Tamper(attacker, f.member_id, {{"role", "leader"}}, f.member_id);
  client::SyncResult pushed = attacker.Sync();
  CHECK(pushed.ok());  // pushed and acknowledged: quarantined, not applied
  CHECK(f.hub.Json({"quarantine"}).size() == 2);

  REQUIRE(office.Sync().ok());
  CHECK(*Members(office.db()).CheckPin(f.leader_id, "5678"));
  CHECK_FALSE(*Members(office.db()).CheckPin(f.leader_id, "0000"));
  CHECK(Members(office.db()).Get(f.member_id)->role == Role::kMember);
  // A new laptop gets the same.
  SyncDevice& fresh = f.AddDevice(as_leader);
  REQUIRE(fresh.Sync().ok());
  CHECK(*Members(fresh.db()).CheckPin(f.leader_id, "5678"));
  CHECK(f.hub.Stop() == 0);
}

TEST_CASE("Hub authority laptops: a rate-limited enrollment tells the person to wait") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice laptop("laptop-1", f.device_dir);
  client::EnrollResult r;
  for (int i = 0; i < 11; ++i) {
    r = laptop.engine().Enroll(f.hub.url(), "ABCD-EFG" + std::string(1, static_cast<char>('A' + i)),
                               "Máy 1");
    REQUIRE_FALSE(r.ok());
  }
  INFO(r.sync.error.message());
  CHECK(Contains(r.sync.error.message(), "quá nhiều lần"));
  CHECK(Contains(r.sync.error.message(), "Chờ vài phút"));
  CHECK(f.hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua::test
