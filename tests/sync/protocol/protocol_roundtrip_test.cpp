// Protocol v1 (sync/protocol/messages.h): the version and limits, every message through its
// JSON text, the documented field names, unknown fields ignored.
#include "tests/sync/protocol/protocol_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace protocol_fixtures;

TEST_CASE("Protocol: version and limits are consistent") {
  CHECK(IsSupportedVersion(kProtocolVersion));
  CHECK_FALSE(IsSupportedVersion(0));
  CHECK_FALSE(IsSupportedVersion(kProtocolVersion + 1));
  CHECK(kStartBatchOps <= kMaxOpsPerBatch);
  CHECK(kStartBatchBytes <= kMaxBatchBytes);
  CHECK(kMaxBatchBytes <= kMaxDecompressedBody);
  CHECK(kMaxPullPageBytes + kMaxValueBytes < kMaxDecompressedBody);
  CHECK(kDefaultPullLimit <= kMaxPullLimit);
  // The biggest valid op fits a starting batch, so an adaptive client can always send one.
  PushRequest p = MakePush(1);
  p.ops[0].value = std::string(kMaxValueBytes - 2, 'x');
  REQUIRE(CheckOpContent(p.ops[0]).ok());
  CHECK(Encode(p).size() < kStartBatchBytes);
}

TEST_CASE("Protocol: every message round-trips through its JSON text") {
  SUBCASE("op with a nested value, a null value and a base stamp") {
    Op op = MakeOp(kDevA, 1);
    op.value = {{"vneid", "done"}, {"payment", "guided"}, {"list", {1, 2.5, nullptr, true}}};
    op.base_hlc = kHlc - 5;
    op.base_device = kDevB;
    CHECK(MustDecode(OpFromJson(json::parse(Encode(op)))) == op);
    op.value = nullptr;
    CHECK(MustDecode(OpFromJson(json::parse(Encode(op)))) == op);
  }
  SUBCASE("op with its optional author, and a delete saying what it had seen") {
    Op op = MakeOp(kDevA, 1);
    op.author = "0190a1b2-0000-7000-8000-00000000beef";
    CHECK(MustDecode(OpFromJson(json::parse(Encode(op)))) == op);
    op.field = "deleted";
    op.value = 1;
    op.seen_hlc = kHlc - 9;
    op.seen_device = kDevB;
    CHECK(MustDecode(OpFromJson(json::parse(Encode(op)))) == op);
    PushRequest p = MakePush();
    op.seq = 14;
    p.ops.push_back(op);
    op.seq = 15;
    op.author.clear();
    p.ops.push_back(op);
    CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
  }
  SUBCASE("push, from one origin and relayed from two") {
    PushRequest p = MakePush();
    CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
    p.ops.push_back(MakeOp(kDevB, 1));
    p.ops.push_back(MakeOp(kDevA, 14));
    p.ops.push_back(MakeOp(kDevB, 2));
    CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
    p.ops.clear();  // asks for acked_seq
    CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
  }
  SUBCASE("push response with every outcome") {
    PushResponse r;
    r.results = {{11, Outcome::kApplied, ""},
                 {12, Outcome::kMerged, ""},
                 {13, Outcome::kConflict, "conflict 7f3a: head_name changed by another device"},
                 {14, Outcome::kQuarantined, "member 0190… is not in this commune"}};
    r.acked_seq = 14;
    r.server_time = kNow;
    CHECK(MustDecode(DecodePushResponse(Encode(r))) == r);
  }
  SUBCASE("pull response") {
    PullResponse p = MakePull();
    CHECK(MustDecode(DecodePullResponse(Encode(p))) == p);
    p.ops.clear();
    p.has_more = false;
    CHECK(MustDecode(DecodePullResponse(Encode(p))) == p);
    // The last page may list the commune's devices; absent means none said.
    CHECK_FALSE(nlohmann::json::parse(Encode(p)).contains("devices"));
    p.devices = {{kDevA, "Laptop tổ 3 — Tân Lập", kNow - 60000}, {kDevB, "Máy văn phòng xã", 0}};
    CHECK(nlohmann::json::parse(Encode(p))["devices"].size() == 2);
    CHECK(MustDecode(DecodePullResponse(Encode(p))) == p);
  }
  SUBCASE("enrollment") {
    EnrollRequest q{kProtocolVersion, "7K2M-9QXP", kDevA, "Laptop tổ 3 — Tân Lập"};
    CHECK(MustDecode(DecodeEnrollRequest(Encode(q))) == q);
    EnrollResponse a{kDevA, std::string(64, 'f'), "0190a1b2-0000-7000-8000-00000000c0de", kNow};
    CHECK(MustDecode(DecodeEnrollResponse(Encode(a))) == a);
  }
  SUBCASE("error bodies, bare and with every optional field") {
    ErrorBody e{std::string(kErrUnauthorized), "Thiết bị chưa đăng ký — enroll again", {}, {}, {}};
    CHECK(MustDecode(DecodeErrorBody(Encode(e))) == e);
    ErrorBody gap{std::string(kErrSeqGap), "expected seq 41", 41, kDevA, {}};
    CHECK(MustDecode(DecodeErrorBody(Encode(gap))) == gap);
    ErrorBody mismatch{std::string(kErrProtocolMismatch), "speak 1", {}, {}, {1}};
    CHECK(MustDecode(DecodeErrorBody(Encode(mismatch))) == mismatch);
  }
  SUBCASE("health") {
    HealthResponse h{{1}, kNow};
    CHECK(MustDecode(DecodeHealthResponse(Encode(h))) == h);
  }
  SUBCASE("pull query") {
    PullRequest q{1, "e1.105", 250};
    CHECK(EncodePullQuery(q) == "after=e1.105&limit=250&protocol=1");
    CHECK(MustDecode(DecodePullQuery("e1.105", "250", "1")) == q);
    PullRequest first{1, "", kDefaultPullLimit};
    CHECK(EncodePullQuery(first) == "after=&limit=500&protocol=1");
    CHECK(MustDecode(DecodePullQuery("", "", "1")) == first);
  }
}

TEST_CASE("Protocol: field names on the wire are the documented ones") {
  json push = ToJson(MakePush(1));
  CHECK(push == json::parse(R"({"protocol":1,"device_id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    "batch_id":"0190a1b2-c3d4-7000-8000-000000000001","ops":[{
    "origin_device":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","seq":11,"record_type":"household",
    "record_id":"0190a1b2-c3d4-7111-8222-333344445555","field":"head_name",
    "value":"Nguyễn Văn Đức","base_hlc":0,"base_device":"","hlc":112721920000000011}]})"));
  json err = ToJson(ErrorBody{"seq_gap", "m", 41, kDevA, {}});
  CHECK(err == json::parse(R"({"error":{"code":"seq_gap","message":"m","expected_seq":41,
    "origin_device":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}})"));
  json res = ToJson(PushResponse{{{11, Outcome::kApplied, ""}}, 11, kNow});
  CHECK(res == json::parse(R"({"results":[{"seq":11,"outcome":"applied"}],"acked_seq":11,
    "server_time":1720000000000})"));
  CHECK(ToJson(MakePull())["ops"][0]["server_seq"] == 101);
  // The optional op fields appear only when set, so a v1 hub that predates them reads the op.
  Op op = MakeOp(kDevA, 1);
  CHECK_FALSE(ToJson(op).contains("author"));
  CHECK_FALSE(ToJson(op).contains("seen_hlc"));
  CHECK_FALSE(ToJson(op).contains("seen_device"));
  op.author = "m1";
  op.seen_hlc = 7;
  op.seen_device = kDevB;
  CHECK(ToJson(op)["author"] == "m1");
  CHECK(ToJson(op)["seen_hlc"] == 7);
  CHECK(ToJson(op)["seen_device"] == kDevB);
}

TEST_CASE("Protocol: unknown fields are ignored") {
  json j = ToJson(MakePush(1));
  j["client_build"] = "1.2.3";
  j["ops"][0]["future_field"] = {1, 2};
  CHECK(MustDecode(DecodePush(j)) == MakePush(1));
}

}  // namespace
}  // namespace gocua::protocol
