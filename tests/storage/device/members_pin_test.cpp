// PIN hashes (storage/device/members.h): only the current scheme and the legacy one verify; a
// legacy hash is re-hashed at a successful sign-in, as the member's own change; the device's
// role decides whether a leader's is.
#include <doctest/doctest.h>

#include <cctype>

#include "storage/core/change_log.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/device/members.h"
#include "tests/support/fixture.h"

namespace gocua::test {
namespace {

const std::string kSalt = "0123456789abcdef0123456789abcdef";

// Sets member `id`'s stored hash to `hash` (as a local change, like a hash of before).
void StoreHash(Database& db, const std::string& id, const std::string& hash) {
  Database::Impl& d = db.impl();
  REQUIRE(d.Transact([&]() -> Status {
             auto w = WriteLocal(d, *FindRecordDef("member"), id, {{"pin_hash", hash}});
             return w ? Status::Ok() : w.error();
           }).ok());
}

TEST_CASE("PIN hash: the current scheme and the legacy one verify, nothing cheaper does") {
  const std::string current = NewPinHash("2468");
  CHECK(IsCurrentPinHash(current));
  CHECK(current.rfind("pbkdf2-sha256$300000$", 0) == 0);
  CHECK(VerifyPin("2468", current));
  CHECK_FALSE(VerifyPin("2469", current));
  CHECK(NewPinHash("2468") != current);  // a fresh salt each time

  const std::string legacy = HashPin("2468", kSalt, kLegacyPinIterations);
  CHECK(IsLegacyPinHash(legacy));
  CHECK_FALSE(IsCurrentPinHash(legacy));
  CHECK(VerifyPin("2468", legacy));
  CHECK_FALSE(VerifyPin("2469", legacy));

  // Observation 8/1 of issue 15: a 1-iteration hash verified before.
  for (int iterations : {1, 1000, 19999, 20001, 299999, 1000000}) {
    CAPTURE(iterations);
    CHECK_FALSE(VerifyPin("0000", HashPin("0000", kSalt, iterations)));
  }
  // Shapes: a short salt, upper-case hex, a leading zero, another algorithm, empty.
  CHECK_FALSE(VerifyPin("2468", HashPin("2468", "abcd", kPinIterations)));
  std::string upper = current;
  for (size_t i = upper.size() - 64; i < upper.size(); ++i)
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  CHECK_FALSE(IsCurrentPinHash(upper));
  CHECK_FALSE(IsCurrentPinHash("pbkdf2-sha256$0300000$" + current.substr(21)));
  CHECK_FALSE(IsCurrentPinHash("pbkdf2-sha512$300000$" + current.substr(21)));
  CHECK_FALSE(VerifyPin("", ""));
}

TEST_CASE("PIN hash: a legacy hash is re-hashed at sign-in as the member's own change") {
  CommuneFixture f;
  StoreHash(*f.db, f.member.id, HashPin("1234", kSalt, kLegacyPinIterations));
  const int64_t before = *ChangeLog(*f.db).PendingCount();
  CHECK_FALSE(*Members(*f.db).CheckPin(f.member.id, "9999"));
  CHECK(*ChangeLog(*f.db).PendingCount() == before);  // a wrong PIN changes nothing
  CHECK(*Members(*f.db).CheckPin(f.member.id, "1234"));
  const std::string now = Members(*f.db).Get(f.member.id)->pin_hash;
  CHECK(IsCurrentPinHash(now));
  CHECK(VerifyPin("1234", now));
  auto pending = ChangeLog(*f.db).Pending(0, 1000);
  REQUIRE(pending.ok());
  const ChangeEntry& last = pending->back();
  CHECK(last.record_id == f.member.id);
  CHECK(last.field == "pin_hash");
  CHECK(last.author == f.member.id);
  // Current already: nothing more is written.
  CHECK(*Members(*f.db).CheckPin(f.member.id, "1234"));
  CHECK(*ChangeLog(*f.db).PendingCount() == static_cast<int64_t>(pending->size()));
}

TEST_CASE("PIN hash: a leader's legacy hash is re-hashed on a leader's laptop only") {
  CommuneFixture f;
  const std::string legacy = HashPin("5678", kSalt, kLegacyPinIterations);
  StoreHash(*f.db, f.leader.id, legacy);
  REQUIRE(SaveDeviceRole(*f.db, "member").ok());
  CHECK_FALSE(*DeviceMayLead(*f.db));
  CHECK(*Members(*f.db).CheckPin(f.leader.id, "5678"));
  CHECK(Members(*f.db).Get(f.leader.id)->pin_hash == legacy);  // the hub would refuse it
  REQUIRE(SaveDeviceRole(*f.db, "leader").ok());
  CHECK(*DeviceMayLead(*f.db));
  CHECK(*Members(*f.db).CheckPin(f.leader.id, "5678"));
  CHECK(IsCurrentPinHash(Members(*f.db).Get(f.leader.id)->pin_hash));
}

}  // namespace
}  // namespace gocua::test
