// A leader's changes to members (storage/device/members.h): a new PIN, deactivate, reactivate —
// each one transaction with its one change-log entry, nothing written when refused.
#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/device/members.h"
#include "tests/support/fixture.h"

namespace gocua::test {
namespace {

std::vector<ChangeEntry> Since(Database& db, int64_t after) {
  auto ops = ChangeLog(db).Pending(after, 100);
  REQUIRE(ops.ok());
  return *ops;
}

TEST_CASE("Members: SetPin writes one op with a new current-scheme hash, a bad PIN none") {
  CommuneFixture f;
  Members members(*f.db);
  f.db->SetAuthor(f.leader.id);
  int64_t before = *ChangeLog(*f.db).LastSeq();
  for (const char* bad : {"", "123", "123456789", "12a4"}) {
    CAPTURE(bad);
    CHECK(members.SetPin(f.member.id, bad).code() == ErrorCode::kInvalidInput);
  }
  CHECK(Since(*f.db, before).empty());
  REQUIRE(members.SetPin(f.member.id, "4321").ok());
  auto ops = Since(*f.db, before);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].record_type == "member");
  CHECK(ops[0].record_id == f.member.id);
  CHECK(ops[0].field == "pin_hash");
  CHECK(ops[0].author == f.leader.id);
  CHECK(IsCurrentPinHash(ops[0].value.get<std::string>()));
  CHECK(*members.CheckPin(f.member.id, "4321"));
  CHECK(members.SetPin("no-such-member", "4321").code() == ErrorCode::kNotFound);
}

TEST_CASE(
    "Members: a deactivated member is one op, out of List and Get, kept by ListAll, and comes "
    "back") {
  CommuneFixture f;
  Members members(*f.db);
  f.db->SetAuthor(f.leader.id);
  const int64_t before = *ChangeLog(*f.db).LastSeq();
  REQUIRE(members.Deactivate(f.member.id).ok());
  auto ops = Since(*f.db, before);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].field == "deleted");
  CHECK(ops[0].value == 1);
  CHECK(*members.IsDeactivated(f.member.id));
  CHECK_FALSE(*members.IsDeactivated(f.leader.id));
  CHECK(members.IsDeactivated("no-such-member").error().code() == ErrorCode::kNotFound);
  CHECK(members.Get(f.member.id).error().code() == ErrorCode::kNotFound);  // cannot sign in
  CHECK(members.List()->size() == 1);
  auto all = members.ListAll();
  REQUIRE(all->size() == 2);
  for (const MemberStatus& s : *all) CHECK(s.active == (s.member.id == f.leader.id));
  CHECK(members.SetPin(f.member.id, "4321").code() == ErrorCode::kNotFound);

  // Again: nothing to write.
  REQUIRE(members.Deactivate(f.member.id).ok());
  CHECK(Since(*f.db, before).size() == 1);

  REQUIRE(members.Reactivate(f.member.id).ok());
  ops = Since(*f.db, before);
  REQUIRE(ops.size() == 2);
  CHECK(ops[1].field == "deleted");
  CHECK(ops[1].value == 0);
  CHECK(members.Get(f.member.id).ok());
  CHECK(*members.CheckPin(f.member.id, "1234"));  // the PIN from before
  CHECK(members.List()->size() == 2);
  REQUIRE(members.Reactivate(f.member.id).ok());
  CHECK(Since(*f.db, before).size() == 2);
}

}  // namespace
}  // namespace gocua::test
