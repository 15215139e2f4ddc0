// gocua-hub end to end (issue 15): the hub, not the device, decides who may do a leader's work.
// Each test starts the real hub binary on loopback (tests/sync/hub/hub_http.h) and pushes from
// a device enrolled with a member's or a leader's code, as an attacker with a member's laptop
// would: hand-made ops, any author.
#include <doctest/doctest.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include <algorithm>

#include "storage/device/members.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using namespace hub_http;

const std::string kVisit = "0190f2c4-3b5a-7d6e-8f70-91a2b3c4d5e6";
const std::string kReview = "0190f2c4-3b5a-7d6e-8f70-a1a2b3c4d5e6";
const std::string kNewMember = "0190f2c4-3b5a-7d6e-8f70-b1a2b3c4d5e6";

p::Op Authored(p::Op op, const std::string& author) {
  op.author = author;
  return op;
}

// The push's single answer: "" when applied, else the quarantine reason.
std::string Reason(const p::PushResponse& r, size_t i = 0) {
  REQUIRE(r.results.size() > i);
  return r.results[i].outcome == p::Outcome::kQuarantined ? r.results[i].reason : "";
}

// Pushes `ops` and REQUIREs that every one was quarantined; returns the reasons.
std::vector<std::string> PushQuarantined(Hub& hub, const Device& d, std::vector<p::Op> ops) {
  const size_t n = ops.size();
  p::PushResponse r = Push(hub, d, MakePush(d, std::move(ops)));
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    INFO("op ", i);
    REQUIRE(r.results[i].outcome == p::Outcome::kQuarantined);
    out.push_back(r.results[i].reason);
  }
  return out;
}

// The value of field `field` of member `id` in the hub's export.
std::string ExportedMember(Hub& hub, const std::string& id, const std::string& field) {
  json all = json::parse(hub.Export());
  for (const json& m : all["records"]["member"])
    if (m["id"] == id) return m[field].get<std::string>();
  return "";
}

std::string Sha256Hex(const std::string& s) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), md);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : md) {
    hex.push_back(kHex[c >> 4]);
    hex.push_back(kHex[c & 15]);
  }
  return hex;
}

// Every text value in every table of the SQLite file at `path`, read-only.
std::vector<std::string> AllTextValues(const std::string& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::vector<std::string> tables, out;
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &q, nullptr);
  while (sqlite3_step(q) == SQLITE_ROW)
    tables.push_back(reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
  sqlite3_finalize(q);
  for (const std::string& t : tables) {
    REQUIRE(sqlite3_prepare_v2(db, ("SELECT * FROM \"" + t + "\"").c_str(), -1, &q, nullptr) ==
            SQLITE_OK);
    while (sqlite3_step(q) == SQLITE_ROW)
      for (int c = 0; c < sqlite3_column_count(q); ++c)
        if (sqlite3_column_type(q, c) == SQLITE_TEXT)
          out.push_back(reinterpret_cast<const char*>(sqlite3_column_text(q, c)));
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return out;
}

TEST_CASE("Hub authority: a member's device cannot push a leader, promote or set a leader's PIN") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device member = Enroll(hub, c.a, 1);
  const std::string leader_hash = ExportedMember(hub, c.leader_a, "pin_hash");
  REQUIRE(VerifyPin("9876", leader_hash));

  // A new member with the role leader, and a PIN the attacker knows.
  std::vector<std::string> why = PushQuarantined(
      hub, member,
      {Authored(MakeOp(member, 1, "member", kNewMember, "commune_id", c.a), c.member_a),
       Authored(MakeOp(member, 2, "member", kNewMember, "role", "leader"), c.member_a),
       Authored(MakeOp(member, 3, "member", kNewMember, "pin_hash", NewPinHash("0000")),
                c.member_a)});
  CHECK(Contains(why[0], "may add a member"));
  // The member's own role.
  why = PushQuarantined(
      hub, member,
      {Authored(MakeOp(member, 4, "member", c.member_a, "role", "leader"), c.member_a)});
  CHECK(Contains(why[0], "may change a member's role"));
  // The leader's PIN: a 1-iteration hash (which VerifyPin accepted before) and a current one.
  const std::string weak = HashPin("0000", "0123456789abcdef0123456789abcdef", 1);
  why = PushQuarantined(
      hub, member,
      {Authored(MakeOp(member, 5, "member", c.leader_a, "pin_hash", weak), c.leader_a),
       Authored(MakeOp(member, 6, "member", c.leader_a, "pin_hash", NewPinHash("0000")), "")});
  CHECK(Contains(why[0], "pbkdf2-sha256 with 300000"));
  CHECK(Contains(why[1], "may set a leader's PIN"));
  CHECK_FALSE(VerifyPin("0000", weak));  // the device side refuses it too
  // Another member's PIN.
  why = PushQuarantined(
      hub, member,
      {Authored(MakeOp(member, 7, "member", c.member_a, "pin_hash", NewPinHash("0000")), "")});
  CHECK(Contains(why[0], "may change another member"));

  // Nothing of it reached the hub's records: the leader's PIN is the same.
  CHECK(ExportedMember(hub, c.leader_a, "pin_hash") == leader_hash);
  CHECK(ExportedMember(hub, c.member_a, "role") == "member");
  CHECK_FALSE(Contains(hub.Export(), kNewMember));
  json q = hub.Json({"quarantine"});
  CHECK(q.size() == 7);

  // The member may still set their own PIN (a current hash), and a leader's device may set it.
  p::PushResponse own = Push(
      hub, member,
      MakePush(member,
               {Authored(MakeOp(member, 8, "member", c.member_a, "pin_hash", NewPinHash("2468")),
                         c.member_a)}));
  CHECK(Reason(own) == "");
  Device leader = Enroll(hub, c.a, 2, "leader");
  p::PushResponse set = Push(
      hub, leader,
      MakePush(leader,
               {Authored(MakeOp(leader, 1, "member", kNewMember, "commune_id", c.a), c.leader_a),
                Authored(MakeOp(leader, 2, "member", kNewMember, "role", "leader"), c.leader_a),
                Authored(MakeOp(leader, 3, "member", kNewMember, "pin_hash", weak), c.leader_a)}));
  CHECK(Reason(set, 0) == "");
  CHECK(Reason(set, 1) == "");
  CHECK(Contains(Reason(set, 2), "pbkdf2-sha256 with 300000"));  // from any device
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: a member's device cannot approve, un-approve or touch a review") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device member = Enroll(hub, c.a, 1);
  Device leader = Enroll(hub, c.a, 2, "leader");

  // The member records a household and a visit: theirs to do.
  std::vector<p::Op> ops = HouseholdOps(member, 1, c.village_a);
  ops.push_back(
      Authored(MakeOp(member, 4, "visit", kVisit, "household_id", kHousehold), c.member_a));
  ops.push_back(Authored(MakeOp(member, 5, "visit", kVisit, "status", "pending"), c.member_a));
  p::PushResponse made = Push(hub, member, MakePush(member, ops));
  for (size_t i = 0; i < ops.size(); ++i) CHECK(Reason(made, i) == "");
  const p::Op pending = ops.back();

  // Approving with the real leader as the author, and returning.
  p::Op approve = Authored(MakeOp(member, 6, "visit", kVisit, "status", "approved"), c.leader_a);
  approve.base_hlc = pending.hlc;
  approve.base_device = member.id;
  p::Op ret = Authored(MakeOp(member, 7, "visit", kVisit, "status", "returned"), c.leader_a);
  std::vector<std::string> why = PushQuarantined(hub, member, {approve, ret});
  CHECK(Contains(why[0], "may approve or return a visit"));
  CHECK(Contains(why[1], "may approve or return a visit"));

  // The leader's device approves and reviews.
  p::Op approved = Authored(MakeOp(leader, 1, "visit", kVisit, "status", "approved"), c.leader_a);
  approved.base_hlc = pending.hlc;
  approved.base_device = member.id;
  p::PushResponse decided = Push(
      hub, leader,
      MakePush(
          leader,
          {approved,
           Authored(MakeOp(leader, 2, "review", kReview, "leader_id", c.leader_a), c.leader_a),
           Authored(MakeOp(leader, 3, "review", kReview, "visit_id", kVisit), c.leader_a),
           Authored(MakeOp(leader, 4, "review", kReview, "decision", "approved"), c.leader_a)}));
  for (size_t i = 0; i < 4; ++i) CHECK(Reason(decided, i) == "");

  // Back to pending with no author, a changed review, a deleted review.
  p::Op back = MakeOp(member, 8, "visit", kVisit, "status", "pending");
  back.base_hlc = approved.hlc;
  back.base_device = leader.id;
  why = PushQuarantined(
      hub, member,
      {back, Authored(MakeOp(member, 9, "review", kReview, "decision", "returned"), c.leader_a),
       MakeOp(member, 10, "review", kReview, "deleted", 1)});
  CHECK(Contains(why[0], "status of an approved visit"));
  CHECK(Contains(why[1], "may write a review"));
  CHECK(Contains(why[2], "may write a review"));

  json all = json::parse(hub.Export());
  const json& visits = all["records"]["visit"];
  REQUIRE(visits.size() == 1);
  CHECK(visits[0]["status"] == "approved");
  const json& reviews = all["records"]["review"];
  REQUIRE(reviews.size() == 1);
  CHECK(reviews[0]["decision"] == "approved");
  CHECK(reviews[0]["deleted"] == 0);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: the hub's own device id cannot be enrolled, and the hub stays whole") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  // The hub's id is the origin of its own ops (the commune's village, members).
  Pulled pulled = PullAll(hub, a1);
  std::string hub_id;
  for (const p::PulledOp& op : pulled.ops)
    if (op.op.record_id == c.village_a) hub_id = op.op.origin_device;
  REQUIRE_FALSE(hub_id.empty());

  const std::string code = hub.Ok({"enroll-code", "--commune", c.a});
  HttpReply r = EnrollRequest(hub, code, hub_id);
  CHECK(r.status == 409);
  CHECK(r.Error().code == "device_fork");
  CHECK(Contains(r.Error().message, "hub's own"));
  // The code was not used up.
  CHECK(EnrollRequest(hub, code, DeviceId(7)).status == 200);

  // The admin commands still work for every commune.
  CHECK(hub.Run({"village", "add", "--commune", c.b, "Thôn", "Hai"}).exit_code == 0);
  CHECK(hub.Run({"member", "add", "--commune", c.a, "--name", "Võ Thị Lan", "--role", "member",
                 "--pin", "4321"})
            .exit_code == 0);
  CHECK(hub.Stop() == 0);
}

TEST_CASE(
    "Hub authority: replaying an enrollment after a revoke gives no token and undoes nothing") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  const std::string code = hub.Ok({"enroll-code", "--commune", c.a, "--ttl-minutes", "600"});
  HttpReply first = EnrollRequest(hub, code, DeviceId(1));
  REQUIRE(first.status == 200);
  Result<p::EnrollResponse> e = p::DecodeEnrollResponse(first.body);
  REQUIRE(e.ok());
  Device d{e->device_id, e->token, e->commune_id};

  // A replay while the device is active: refused (no second look at the token).
  HttpReply again = EnrollRequest(hub, code, DeviceId(1));
  CHECK(again.status == 401);
  CHECK_FALSE(Contains(again.body, e->token));

  hub.Ok({"revoke", d.id});
  HttpReply replay = EnrollRequest(hub, code, DeviceId(1));
  CHECK(replay.status == 401);
  CHECK(replay.Error().code == "unauthorized");
  CHECK_FALSE(Contains(replay.body, e->token));
  json devices = hub.Json({"devices"});
  REQUIRE(devices.size() == 1);
  CHECK(devices[0]["revoked"] == true);
  CHECK(PullPage(hub, d, "", 10).status == 401);

  // A fresh code from a leader brings the device back, with a new token; the old one is dead.
  const std::string fresh = hub.Ok({"enroll-code", "--commune", c.a});
  HttpReply back = EnrollRequest(hub, fresh, DeviceId(1));
  REQUIRE(back.status == 200);
  Result<p::EnrollResponse> e2 = p::DecodeEnrollResponse(back.body);
  REQUIRE(e2.ok());
  CHECK(e2->token != e->token);
  CHECK(PullPage(hub, d, "", 10).status == 401);
  CHECK(PullPage(hub, Device{d.id, e2->token, d.commune_id}, "", 10).status == 200);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: a read-only copy of hub.db cannot make a device's token") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  const std::string code = hub.Ok({"enroll-code", "--commune", c.a});
  HttpReply r = EnrollRequest(hub, code, DeviceId(1));
  REQUIRE(r.status == 200);
  const std::string token = p::DecodeEnrollResponse(r.body)->token;
  CHECK(token.size() >= 32);  // 128 bits or more, as hex
  CHECK(hub.Stop() == 0);

  // What hubs before derived the token from: sha256(secret | code hash | device id), with every
  // value of the file as the secret. None gives it; the file holds the token's hash only.
  std::string plain = code;  // the hub hashes the code without its dash
  plain.erase(std::remove(plain.begin(), plain.end(), '-'), plain.end());
  const std::string code_hash = Sha256Hex(plain);
  bool hash_stored = false;
  for (const std::string& v : AllTextValues(hub.db_path())) {
    CHECK_FALSE(Contains(v, token));
    CHECK(Sha256Hex(v + "|" + code_hash + "|" + DeviceId(1)) != token);
    hash_stored = hash_stored || v == Sha256Hex(token);
  }
  CHECK(hash_stored);
  CHECK_FALSE(Contains(hub.Export(), "hub_secret"));
}

TEST_CASE("Hub authority: refused enrollments are rate-limited per address with a 429") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  for (int i = 0; i < 10; ++i) {
    CAPTURE(i);
    CHECK(EnrollRequest(hub, "ABCD-EFG" + std::string(1, static_cast<char>('A' + i)),
                        DeviceId(100 + i))
              .status == 401);
  }
  // The 11th guess, and then even a valid code, wait.
  HttpReply guess = EnrollRequest(hub, "ZZZZ-ZZZZ", DeviceId(120));
  CHECK(guess.status == 429);
  CHECK(guess.Error().code == "rate_limited");
  CHECK(Contains(guess.Error().message, "chờ"));
  const std::string code = hub.Ok({"enroll-code", "--commune", c.a});
  const HttpReply valid = EnrollRequest(hub, code, DeviceId(121));
  CHECK(valid.status == 429);
  // The valid code was not looked at: the person is told it still works (not "a valid code").
  CHECK(Contains(valid.Error().message, "mã của bạn chưa bị dùng"));
  CHECK(Contains(valid.Error().message, "--trusted-proxy"));
  CHECK(hub.Json({"devices"}).empty());
  CheckHealthy(hub);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: refused enrollments with one commune's codes are rate-limited") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  const std::string used = hub.Ok({"enroll-code", "--commune", c.a});
  REQUIRE(EnrollRequest(hub, used, DeviceId(1)).status == 200);
  for (int i = 0; i < 5; ++i) CHECK(EnrollRequest(hub, used, DeviceId(10 + i)).status == 401);
  HttpReply limited = EnrollRequest(hub, used, DeviceId(20));
  CHECK(limited.status == 429);
  CHECK(limited.Error().code == "rate_limited");
  CHECK(Contains(limited.Error().message, "với mã mới của trưởng nhóm"));
  // The address itself is not yet limited: another commune's valid code works, and so does a
  // valid code of the limited commune (only refusals are counted).
  CHECK(EnrollRequest(hub, hub.Ok({"enroll-code", "--commune", c.b}), DeviceId(21)).status == 200);
  CHECK(EnrollRequest(hub, hub.Ok({"enroll-code", "--commune", c.a}), DeviceId(22)).status == 200);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: leaders' PIN hashes are pulled only by leaders' devices") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device member = Enroll(hub, c.a, 1);
  Device leader = Enroll(hub, c.a, 2, "leader");
  auto pin_ops = [&](const Device& d, const std::string& id) {
    int n = 0;
    for (const p::Op& op : OpsOf(PullAll(hub, d), id)) n += op.field == "pin_hash";
    return n;
  };
  CHECK(pin_ops(member, c.member_a) == 1);
  CHECK(pin_ops(member, c.leader_a) == 0);
  CHECK(OpsOf(PullAll(hub, member), c.leader_a).size() == 3);  // the rest of the leader's record
  CHECK(pin_ops(leader, c.member_a) == 1);
  CHECK(pin_ops(leader, c.leader_a) == 1);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub authority: a household without a village of the commune is quarantined") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device d = Enroll(hub, c.a, 1);
  std::vector<std::string> why =
      PushQuarantined(hub, d,
                      {MakeOp(d, 1, "household", kHousehold, "head_name", "Nguyễn Văn Đức"),
                       MakeOp(d, 2, "household", kHousehold, "village_id", ""),
                       MakeOp(d, 3, "household", kHousehold, "village_id", c.village_b)});
  CHECK(Contains(why[0], "name its village first"));
  CHECK(Contains(why[1], "village_id is empty"));
  CHECK(Contains(why[2], "of another commune"));
  // With its village first, the same household is taken.
  p::PushResponse ok = Push(hub, d, MakePush(d, HouseholdOps(d, 4, c.village_a)));
  for (size_t i = 0; i < 3; ++i) CHECK(Reason(ok, i) == "");
  CHECK(hub.Json({"quarantine"}).size() == 3);
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua
