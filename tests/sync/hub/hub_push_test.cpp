// gocua-hub end to end: each test starts the real hub binary (build/sync/hub/gocua-hub, found
// beside this test binary; tests/support/hub_process.h) on loopback in a fresh data folder, sets it
// up with its own admin commands and talks HTTP/1.1 to it (tests/sync/hub/hub_http.h).
// This file: pushes reaching the commune, bad requests, resends, gaps, forks, conflicts.
#include <doctest/doctest.h>

#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using namespace hub_http;

TEST_CASE("Hub: ops pushed by one device reach the devices of its commune, and only them") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2), b1 = Enroll(hub, c.b, 3);

  p::PushRequest push = MakePush(a1, HouseholdOps(a1, 1, c.village_a));
  p::PushResponse resp = Push(hub, a1, push, /*gzip=*/true);
  REQUIRE(resp.results.size() == 3);
  for (const p::OpResult& r : resp.results) CHECK(r.outcome == p::Outcome::kApplied);
  CHECK(resp.acked_seq == 3);
  CHECK(std::llabs(resp.server_time - NowMs()) < 60000);

  // Another device of the commune gets them, in order, over several pages.
  Pulled a2_all = PullAll(hub, a2, "", 2);
  CHECK(a2_all.pages > 2);
  std::vector<p::Op> got = OpsOf(a2_all, kHousehold);
  REQUIRE(got.size() == 3);
  CHECK(got == push.ops);
  CHECK(OpsOf(a2_all, c.village_a).size() == 2);  // commune_id, name
  CHECK(OpsOf(a2_all, c.village_b).empty());
  CHECK(OpsOf(a2_all, c.member_a).size() == 4);

  // A device of another commune does not.
  Pulled b1_all = PullAll(hub, b1);
  CHECK(OpsOf(b1_all, kHousehold).empty());
  CHECK(OpsOf(b1_all, c.village_a).empty());
  CHECK(OpsOf(b1_all, c.member_a).empty());
  CHECK(OpsOf(b1_all, c.village_b).size() == 2);

  // ... nor may it write to the first commune's records: quarantined, kept, never served.
  p::PushResponse cross =
      Push(hub, b1, MakePush(b1, {MakeOp(b1, 1, "household", kHousehold, "head_name", "Kẻ Lạ")}));
  REQUIRE(cross.results.size() == 1);
  CHECK(cross.results[0].outcome == p::Outcome::kQuarantined);
  CHECK_FALSE(cross.results[0].reason.empty());
  CHECK(cross.acked_seq == 1);
  CHECK(PullAll(hub, a2, a2_all.cursor).ops.empty());
  json quarantine = hub.Json({"quarantine"});
  REQUIRE(quarantine.size() == 1);
  CHECK(quarantine[0]["device_id"] == b1.id);
  CHECK(quarantine[0]["op"]["value"] == "Kẻ Lạ");
  CHECK_FALSE(quarantine[0]["reason"].get<std::string>().empty());

  const std::string exported = hub.Export();
  CHECK(Contains(exported, "Nguyễn Văn Đức"));
  CHECK_FALSE(Contains(exported, "Kẻ Lạ"));

  // A pull from a cursor this hub never gave: 410.
  HttpReply stale = PullPage(hub, a2, "0000.5", 10);
  CHECK(stale.status == 410);
  CHECK(stale.Error().code == "cursor_expired");
  CHECK(hub.Stop() == 0);
}

struct BadCase {
  std::string name, method, target, body;
  Headers headers;
  int status;
  std::string code;
};

TEST_CASE("Hub: bad requests get a 4xx error body, apply nothing, and the hub keeps serving") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  const std::string before = hub.Export();
  const size_t pulled_before = PullAll(hub, a2).ops.size();

  const json good = p::ToJson(MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
  auto with = [&](const std::string& key, json value) {
    json j = good;
    j[key] = std::move(value);
    return j.dump();
  };
  auto without = [&](const std::string& key) {
    json j = good;
    j.erase(key);
    return j.dump();
  };
  json bad_seq = good;
  bad_seq["ops"][1]["seq"] = 1.5;
  json bad_hlc = good;
  bad_hlc["ops"][0]["hlc"] = "12";
  json no_origin = good;
  no_origin["ops"][2].erase("origin_device");
  // Valid JSON past kMaxBatchBytes: small gzip, too large once inflated.
  json padded = good;
  padded["padding"] = std::string(p::kMaxBatchBytes, 'x');
  const std::string bomb = Filter("head -c 104857600 /dev/zero | gzip -c", "");
  REQUIRE(bomb.size() < 1024 * 1024);

  Headers auth = a1.Auth();
  auto auth_and = [&](Headers more) {
    Headers h = auth;
    h.insert(h.end(), more.begin(), more.end());
    return h;
  };
  const Headers gz = auth_and({{"Content-Encoding", "gzip"}});
  std::vector<BadCase> cases = {
      {"not JSON", "POST", "/v1/push", "{\"protocol\": 1,", auth, 400, "bad_request"},
      {"not an object", "POST", "/v1/push", "[1, 2]", auth, 400, "bad_request"},
      {"empty body", "POST", "/v1/push", "", auth, 400, "bad_request"},
      {"protocol as a string", "POST", "/v1/push", with("protocol", "1"), auth, 400, "bad_request"},
      {"ops not an array", "POST", "/v1/push", with("ops", "x"), auth, 400, "bad_request"},
      {"fractional seq", "POST", "/v1/push", bad_seq.dump(), auth, 400, "bad_request"},
      {"hlc as a string", "POST", "/v1/push", bad_hlc.dump(), auth, 400, "bad_request"},
      {"no batch_id", "POST", "/v1/push", without("batch_id"), auth, 400, "bad_request"},
      {"no device_id", "POST", "/v1/push", without("device_id"), auth, 400, "bad_request"},
      {"an op without origin", "POST", "/v1/push", no_origin.dump(), auth, 400, "bad_request"},
      {"another device's id", "POST", "/v1/push", with("device_id", a2.id), auth, 400,
       "bad_request"},
      {"protocol 3", "POST", "/v1/push", with("protocol", 3), auth, 400, "protocol_mismatch"},
      {"no token", "POST", "/v1/push", good.dump(), {}, 401, "unauthorized"},
      {"wrong token",
       "POST",
       "/v1/push",
       good.dump(),
       {{"Authorization", "Bearer " + std::string(64, 'a')}},
       401,
       "unauthorized"},
      {"not a bearer",
       "POST",
       "/v1/push",
       good.dump(),
       {{"Authorization", "Basic eDp5"}},
       401,
       "unauthorized"},
      {"body over the wire limit", "POST", "/v1/push", std::string(3 * 1024 * 1024, ' '), auth, 413,
       "too_large"},
      {"batch over kMaxBatchBytes", "POST", "/v1/push", Gzip(padded.dump()), gz, 413, "too_large"},
      {"gzip bomb", "POST", "/v1/push", bomb, gz, 413, "too_large"},
      {"not gzip", "POST", "/v1/push", good.dump(), gz, 400, "bad_request"},
      {"gzip cut short", "POST", "/v1/push", Gzip(good.dump()).substr(0, 40), gz, 400,
       "bad_request"},
      {"brotli", "POST", "/v1/push", good.dump(), auth_and({{"Content-Encoding", "br"}}), 400,
       "bad_request"},
      {"enroll: not JSON", "POST", "/v1/enroll", "nope", {}, 400, "bad_request"},
      {"enroll: protocol 7",
       "POST",
       "/v1/enroll",
       R"({"protocol": 7, "code": "ABCD", "device_id": ")" + DeviceId(9) +
           R"(", "device_name": "x"})",
       {},
       400,
       "protocol_mismatch"},
      {"enroll: bomb",
       "POST",
       "/v1/enroll",
       bomb,
       {{"Content-Encoding", "gzip"}},
       413,
       "too_large"},
      {"pull: no protocol", "GET", "/v1/pull?limit=5", "", auth, 400, "bad_request"},
      {"pull: protocol 3", "GET", "/v1/pull?protocol=3", "", auth, 400, "protocol_mismatch"},
      {"pull: limit 0", "GET", "/v1/pull?protocol=1&limit=0", "", auth, 400, "bad_request"},
      {"pull: limit -3", "GET", "/v1/pull?protocol=1&limit=-3", "", auth, 400, "bad_request"},
      {"pull: limit x", "GET", "/v1/pull?protocol=1&limit=x", "", auth, 400, "bad_request"},
      {"pull: bad cursor", "GET", "/v1/pull?protocol=1&after=%2F..%2Fx", "", auth, 400,
       "bad_request"},
      {"pull: no token", "GET", "/v1/pull?protocol=1", "", {}, 401, "unauthorized"},
      {"a path that is not UTF-8", "GET", "/v1/%FF%FE", "", auth, 404, "not_found"},
      {"an encoding that is not UTF-8", "POST", "/v1/push", good.dump(),
       auth_and({{"Content-Encoding", "\xFF\xFE"}}), 400, "bad_request"},
  };
  for (const BadCase& bad : cases) {
    CAPTURE(bad.name);
    HttpReply r = Http(hub.port(), bad.method, bad.target, bad.body, bad.headers);
    CHECK(r.status == bad.status);
    p::ErrorBody e = r.Error();
    CHECK(e.code == bad.code);
    CHECK_FALSE(e.message.empty());
    if (bad.code == "protocol_mismatch") CHECK(e.supported_versions == std::vector<int>{1, 2});
    CheckHealthy(hub);
  }
  // Field errors name the field.
  HttpReply seq = Http(hub.port(), "POST", "/v1/push", bad_seq.dump(), auth);
  CHECK(Contains(seq.Error().message, "ops[1].seq"));

  // Nothing was applied: the same records, nothing new to pull, nothing acknowledged.
  CHECK(hub.Export() == before);
  CHECK(PullAll(hub, a2).ops.size() == pulled_before);
  CHECK(Push(hub, a1, MakePush(a1, {})).acked_seq == 0);
  // ... and the hub takes the good batch after all that.
  CHECK(Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a))).acked_seq == 3);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a resent batch gets the same answer and applies nothing twice") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  const p::PushRequest push = MakePush(a1, HouseholdOps(a1, 1, c.village_a));
  const p::PushResponse first = Push(hub, a1, push);
  const std::string exported = hub.Export();
  const size_t pulled = PullAll(hub, a2).ops.size();

  const p::PushResponse again = Push(hub, a1, push, /*gzip=*/true);
  CHECK(again.results == first.results);
  CHECK(again.acked_seq == first.acked_seq);
  CHECK(hub.Export() == exported);
  CHECK(PullAll(hub, a2).ops.size() == pulled);

  // A resend that overlaps new ops: the old ones as before, the new one applied.
  std::vector<p::Op> ops = push.ops;
  ops.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 2));
  const p::PushResponse overlap = Push(hub, a1, MakePush(a1, ops));
  REQUIRE(overlap.results.size() == 4);
  CHECK(std::vector<p::OpResult>(overlap.results.begin(), overlap.results.begin() + 3) ==
        first.results);
  CHECK(overlap.results[3].outcome == p::Outcome::kApplied);
  CHECK(overlap.acked_seq == 4);
  CHECK(PullAll(hub, a2).ops.size() == pulled + 1);

  // A quarantined op is answered the same way again too.
  p::PushRequest bad = MakePush(a1, {MakeOp(a1, 5, "household", kHousehold, "nonsense", 1)});
  const p::PushResponse q1 = Push(hub, a1, bad), q2 = Push(hub, a1, bad);
  REQUIRE(q1.results.size() == 1);
  CHECK(q1.results[0].outcome == p::Outcome::kQuarantined);
  CHECK(q2.results == q1.results);
  CHECK(hub.Json({"quarantine"}).size() == 1);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: a seq gap answers 409 with expected_seq and applies nothing") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  ops.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 2));
  ops.push_back(MakeOp(a1, 5, "household", kHousehold, "members_count", 4));
  Push(hub, a1, MakePush(a1, {ops[0], ops[1]}));
  const std::string exported = hub.Export();

  HttpReply gap = PushRaw(hub, a1, MakePush(a1, {ops[3], ops[4]}));
  CHECK(gap.status == 409);
  p::ErrorBody e = gap.Error();
  CHECK(e.code == "seq_gap");
  CHECK(e.expected_seq == 3);
  CHECK(e.origin_device == a1.id);
  CHECK(hub.Export() == exported);

  // A new device must start at 1.
  HttpReply late =
      PushRaw(hub, a2, MakePush(a2, {MakeOp(a2, 2, "household", kHousehold, "address", "Số 5")}));
  CHECK(late.status == 409);
  CHECK(late.Error().expected_seq == 1);

  // Pushing from expected_seq works.
  const p::PushResponse fill = Push(hub, a1, MakePush(a1, {ops[2], ops[3], ops[4]}));
  CHECK(fill.acked_seq == 5);
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: the same seq with different content is a device fork") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1);
  std::vector<p::Op> ops = HouseholdOps(a1, 1, c.village_a);
  Push(hub, a1, MakePush(a1, ops));
  const std::string exported = hub.Export();

  std::vector<p::Op> clone = ops;
  clone[1].value = "Phạm Thị Lan";
  clone.push_back(MakeOp(a1, 4, "household", kHousehold, "smartphones", 1));
  HttpReply r = PushRaw(hub, a1, MakePush(a1, clone));
  CHECK(r.status == 409);
  p::ErrorBody e = r.Error();
  CHECK(e.code == "device_fork");
  CHECK(e.origin_device == a1.id);
  CHECK(hub.Export() == exported);  // not even the new seq 4
  CHECK(hub.Stop() == 0);
}

TEST_CASE("Hub: concurrent edits of one field are answered conflict and listed") {
  Hub hub;
  Communes c = SetUp(hub);
  hub.Start();
  Device a1 = Enroll(hub, c.a, 1), a2 = Enroll(hub, c.a, 2);
  Push(hub, a1, MakePush(a1, HouseholdOps(a1, 1, c.village_a)));
  // a2 never saw a1's head_name (its base is "never written") and writes another one.
  p::PushResponse r =
      Push(hub, a2,
           MakePush(a2, {MakeOp(a2, 1, "household", kHousehold, "head_name", "Nguyễn Văn Đông")}));
  REQUIRE(r.results.size() == 1);
  CHECK(r.results[0].outcome == p::Outcome::kConflict);
  json conflicts = hub.Json({"conflicts"});
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0]["record_id"] == kHousehold);
  CHECK(conflicts[0]["field"] == "head_name");
  CHECK(conflicts[0]["status"] == "open");
  CHECK(hub.Stop() == 0);
}

}  // namespace
}  // namespace gocua
