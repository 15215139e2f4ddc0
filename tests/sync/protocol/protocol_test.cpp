#include "sync/protocol/protocol.h"

#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

const std::string kDevA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const std::string kDevB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
const std::string kBatch = "0190a1b2-c3d4-7000-8000-000000000001";
const std::string kHousehold = "0190a1b2-c3d4-7111-8222-333344445555";
constexpr int64_t kNow = 1720000000000;  // Unix ms
constexpr int64_t kHlc = kNow << 16;

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// `r` failed with wire code `code` and a message containing `needle`.
template <typename T>
void ExpectError(const Result<T>& r, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(r.ok());
  INFO("message: " << r.error().message());
  CHECK(WireCode(r.error()) == code);
  CHECK(Contains(r.error().message(), needle));
}

void ExpectError(const Status& s, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(s.ok());
  INFO("message: " << s.message());
  CHECK(WireCode(s) == code);
  CHECK(Contains(s.message(), needle));
}

Op MakeOp(const std::string& origin, int64_t seq) {
  Op op;
  op.origin_device = origin;
  op.seq = seq;
  op.record_type = "household";
  op.record_id = kHousehold;
  op.field = "head_name";
  op.value = "Nguyễn Văn Đức";
  op.hlc = kHlc + seq;
  return op;
}

PushRequest MakePush(int n_ops = 3) {
  PushRequest p;
  p.protocol = 1;  // this file is the v1 suite; v2 is tests/sync/protocol/wire_v2_test.cpp
  p.device_id = kDevA;
  p.batch_id = kBatch;
  for (int i = 1; i <= n_ops; ++i) p.ops.push_back(MakeOp(kDevA, 10 + i));
  return p;
}

PullResponse MakePull() {
  PullResponse p;
  p.ops.push_back({101, MakeOp(kDevA, 1)});
  p.ops.push_back({105, MakeOp(kDevB, 7)});
  p.next_cursor = "e1.105";
  p.has_more = true;
  p.server_time = kNow;
  return p;
}

template <typename T>
T MustDecode(const Result<T>& r) {
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r.value();
}

Result<PushRequest> DecodePush(const json& j) { return DecodePushRequest(j.dump()); }

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

TEST_CASE("Protocol: text that is not JSON is a bad request") {
  for (std::string_view text : {"", "   ", "{", "{\"protocol\":1,}", "nul", "{} trailing",
                                "{\"a\":\"\xff\xfe\"}", "{'protocol':1}"}) {
    CAPTURE(text);
    ExpectError(DecodePushRequest(text), kErrBadRequest, "not valid JSON");
    ExpectError(DecodePullResponse(text), kErrBadRequest, "not valid JSON");
    ExpectError(DecodeErrorBody(text), kErrBadRequest, "not valid JSON");
  }
}

TEST_CASE("Protocol: a body that is not an object is a bad request") {
  for (std::string_view text : {"[]", "1", "\"push\"", "null", "true"}) {
    CAPTURE(text);
    ExpectError(DecodePushRequest(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodePushResponse(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodePullResponse(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodeEnrollRequest(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodeEnrollResponse(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodeErrorBody(text), kErrBadRequest, "body must be an object");
    ExpectError(DecodeHealthResponse(text), kErrBadRequest, "body must be an object");
  }
  ExpectError(DecodePushRequest(R"({"protocol":1,"device_id":")" + kDevA + R"(","batch_id":")" +
                                kBatch + R"(","ops":[5]})"),
              kErrBadRequest, "ops[0] must be an object, got an integer");
  ExpectError(DecodeErrorBody(R"({"error":"boom"})"), kErrBadRequest,
              "error: must be an object, got a string");
}

TEST_CASE("Protocol: a missing field is named in the error") {
  const json push = ToJson(MakePush(2));
  for (const char* key : {"protocol", "device_id", "batch_id", "ops"}) {
    INFO("key: " << key);
    json j = push;
    j.erase(key);
    ExpectError(DecodePush(j), kErrBadRequest, std::string(key) + ": missing");
    j = push;
    j[key] = nullptr;  // null counts as missing
    ExpectError(DecodePush(j), kErrBadRequest, std::string(key) + ": missing");
  }
  for (const char* key : {"origin_device", "seq", "record_type", "record_id", "field", "value",
                          "base_hlc", "base_device", "hlc"}) {
    INFO("key: " << key);
    json j = push;
    j["ops"][1].erase(key);
    ExpectError(DecodePush(j), kErrBadRequest, "ops[1]." + std::string(key) + ": missing");
  }
  const json pull = ToJson(MakePull());
  for (const char* key : {"ops", "next_cursor", "has_more", "server_time"}) {
    INFO("key: " << key);
    json j = pull;
    j.erase(key);
    ExpectError(DecodePullResponse(j.dump()), kErrBadRequest, std::string(key) + ": missing");
  }
  json p = pull;
  p["ops"][0].erase("server_seq");
  ExpectError(DecodePullResponse(p.dump()), kErrBadRequest, "ops[0].server_seq: missing");

  const json res = ToJson(PushResponse{{{11, Outcome::kApplied, ""}}, 11, kNow});
  for (const char* key : {"results", "acked_seq", "server_time"}) {
    json j = res;
    j.erase(key);
    ExpectError(DecodePushResponse(j.dump()), kErrBadRequest, std::string(key) + ": missing");
  }
  json r = res;
  r["results"][0].erase("outcome");
  ExpectError(DecodePushResponse(r.dump()), kErrBadRequest, "results[0].outcome: missing");

  const json enroll = ToJson(EnrollRequest{1, "ABCD-1234", kDevA, "Laptop"});
  for (const char* key : {"protocol", "code", "device_id", "device_name"}) {
    json j = enroll;
    j.erase(key);
    ExpectError(DecodeEnrollRequest(j.dump()), kErrBadRequest, std::string(key) + ": missing");
  }
  const json enrolled = ToJson(EnrollResponse{kDevA, std::string(32, 'a'), "c1", kNow});
  for (const char* key : {"device_id", "token", "commune_id", "server_time"}) {
    json j = enrolled;
    j.erase(key);
    ExpectError(DecodeEnrollResponse(j.dump()), kErrBadRequest, std::string(key) + ": missing");
  }
  ExpectError(DecodeErrorBody(R"({"code":"internal"})"), kErrBadRequest, "error: missing");
  ExpectError(DecodeErrorBody(R"({"error":{"code":"internal"}})"), kErrBadRequest,
              "error.message: missing");
  ExpectError(DecodeHealthResponse(R"({"server_time":1})"), kErrBadRequest,
              "supported_versions: missing");
}

TEST_CASE("Protocol: a field of the wrong type is named with what it should be") {
  const json push = ToJson(MakePush(2));
  struct Case {
    const char* key;
    json value;
    const char* message;
  };
  const std::vector<Case> top = {
      {"protocol", "1", "protocol: must be an integer, got a string"},
      {"protocol", 1.0, "protocol: must be an integer, got a fractional number"},
      {"device_id", 42, "device_id: must be a string, got an integer"},
      {"batch_id", json::array(), "batch_id: must be a string, got an array"},
      {"ops", json::object(), "ops: must be an array, got an object"},
  };
  for (const Case& c : top) {
    INFO("expected: " << c.message);
    json j = push;
    j[c.key] = c.value;
    ExpectError(DecodePush(j), kErrBadRequest, c.message);
  }
  const std::vector<Case> op = {
      {"seq", "12", "ops[1].seq: must be an integer, got a string"},
      {"seq", 12.5, "ops[1].seq: must be an integer, got a fractional number"},
      {"seq", true, "ops[1].seq: must be an integer, got a boolean"},
      {"seq", json::parse("18446744073709551615"), "ops[1].seq: must be an integer"},
      {"seq", json::parse("1e30"), "too large for 64 bits"},
      {"hlc", "now", "ops[1].hlc: must be an integer, got a string"},
      {"record_type", json::object(), "ops[1].record_type: must be a string, got an object"},
      {"base_device", nullptr, "ops[1].base_device: missing"},
      {"origin_device", false, "ops[1].origin_device: must be a string, got a boolean"},
  };
  for (const Case& c : op) {
    INFO("expected: " << c.message);
    json j = push;
    j["ops"][1][c.key] = c.value;
    ExpectError(DecodePush(j), kErrBadRequest, c.message);
  }
  json pull = ToJson(MakePull());
  pull["has_more"] = 1;
  ExpectError(DecodePullResponse(pull.dump()), kErrBadRequest,
              "has_more: must be true or false, got an integer");
  ExpectError(DecodeErrorBody(R"({"error":{"code":"seq_gap","message":"m","expected_seq":"41"}})"),
              kErrBadRequest, "error.expected_seq: must be an integer, got a string");
  ExpectError(DecodeHealthResponse(R"({"supported_versions":["1"],"server_time":1})"),
              kErrBadRequest, "supported_versions[0]: must be a version number, got a string");
}

TEST_CASE("Protocol: seq must be at least 1 and consecutive per origin in a push") {
  PushRequest p = MakePush(3);
  SUBCASE("zero and negative") {
    for (int64_t bad : {0, -1}) {
      p.ops[0].seq = bad;
      ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest,
                  "ops[0].seq: must be at least 1, got " + std::to_string(bad));
    }
  }
  SUBCASE("decreasing") {
    p.ops[2].seq = 11;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest, "ops[2].seq: 11 follows 12");
  }
  SUBCASE("repeated") {
    p.ops[1].seq = 11;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest, "ops[1].seq: 11 follows 11");
  }
  SUBCASE("a gap inside the batch") {
    p.ops[2].seq = 20;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest, "must be consecutive and increasing");
  }
  SUBCASE("per origin: interleaved origins are fine, each is checked on its own") {
    p.ops.insert(p.ops.begin() + 1, MakeOp(kDevB, 500));
    p.ops.push_back(MakeOp(kDevB, 501));
    CHECK(DecodePushRequest(Encode(p)).ok());
    p.ops.push_back(MakeOp(kDevB, 500));
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest, "ops[5].seq: 500 follows 501");
  }
  SUBCASE("results and pulled ops") {
    ExpectError(Validate(PushResponse{{{0, Outcome::kApplied, ""}}, 0, kNow}), kErrBadRequest,
                "results[0].seq: must be at least 1");
    PullResponse pull = MakePull();
    pull.ops[1].server_seq = 101;
    ExpectError(DecodePullResponse(Encode(pull)), kErrBadRequest,
                "ops[1].server_seq: 101 follows 101; must increase");
    pull.ops[0].server_seq = 0;
    ExpectError(DecodePullResponse(Encode(pull)), kErrBadRequest,
                "ops[0].server_seq: must be at least 1");
  }
}

TEST_CASE("Protocol: device ids must be lower-case UUIDs") {
  CHECK(IsDeviceId(kDevA));
  for (std::string bad : {std::string(""), kDevA.substr(1), kDevA + "0",
                          std::string("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"),
                          std::string("0190a1b2c3d47e5f8a9b0c1d2e3f4a5b0000"),
                          std::string("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5g"),
                          std::string("{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a}")}) {
    CAPTURE(bad);
    CHECK_FALSE(IsDeviceId(bad));
    PushRequest p = MakePush(1);
    p.device_id = bad;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest,
                "device_id: must be a lower-case UUID");
    p = MakePush(1);
    p.batch_id = bad;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest,
                "batch_id: must be a lower-case UUID");
    p = MakePush(1);
    p.ops[0].origin_device = bad;
    ExpectError(DecodePushRequest(Encode(p)), kErrBadRequest, "ops[0].origin_device: must be");
    EnrollRequest e{1, "ABCD-1234", bad, "Laptop"};
    ExpectError(DecodeEnrollRequest(Encode(e)), kErrBadRequest, "device_id: must be");
  }
}

TEST_CASE("Protocol: too many ops or too many bytes is too_large") {
  SUBCASE("more ops than a batch may hold") {
    PushRequest p = MakePush(0);
    for (int i = 1; i <= kMaxOpsPerBatch + 1; ++i) {
      Op op = MakeOp(kDevA, i);
      op.value = i;
      op.record_id = "r";
      p.ops.push_back(op);
    }
    const std::string text = Encode(p);
    REQUIRE(text.size() <= kMaxBatchBytes);  // it is the count that breaks the limit
    ExpectError(DecodePushRequest(text), kErrTooLarge,
                "2001 elements, more than the limit of 2000");
    ExpectError(Validate(p), kErrTooLarge, "more than the limit of 2000");
    p.ops.pop_back();
    CHECK(DecodePushRequest(Encode(p)).ok());
  }
  SUBCASE("a push body over kMaxBatchBytes") {
    PushRequest p = MakePush(0);
    for (int i = 1; i <= 20; ++i) {
      Op op = MakeOp(kDevA, i);
      op.value = std::string(30 * 1024, 'a');
      p.ops.push_back(op);
    }
    ExpectError(DecodePushRequest(Encode(p)), kErrTooLarge, "more than the limit of 524288");
    ExpectError(Validate(p), kErrTooLarge, "send fewer ops");
    CHECK(HttpStatusFor(WireCode(Validate(p))) == 413);
  }
  SUBCASE("any other body over kMaxDecompressedBody") {
    const std::string huge(kMaxDecompressedBody + 1, ' ');
    ExpectError(DecodePullResponse(huge), kErrTooLarge, "more than the limit of 8388608");
    ExpectError(DecodeEnrollRequest(huge), kErrTooLarge, "send less at once");
  }
  SUBCASE("a pull page over kMaxPullLimit") {
    PullResponse p = MakePull();
    p.ops.clear();
    for (int i = 1; i <= kMaxPullLimit + 1; ++i) p.ops.push_back({i, MakeOp(kDevA, i)});
    ExpectError(DecodePullResponse(Encode(p)), kErrTooLarge, "ops: 1001 elements");
  }
}

TEST_CASE("Protocol: an unknown protocol version is protocol_mismatch, listing what is spoken") {
  SUBCASE("push: mismatch wins over errors of a body shaped for another version") {
    json j = {{"protocol", 3}, {"device", kDevA}, {"changes", json::array()}};
    Result<PushRequest> r = DecodePush(j);
    ExpectError(r, kErrProtocolMismatch, "protocol version 3 is not spoken here (supported: 1, 2)");
    ErrorBody body = ToErrorBody(r.error());
    CHECK(body.code == kErrProtocolMismatch);
    CHECK(body.supported_versions == std::vector<int>{1, 2});
    CHECK(Contains(body.message, "update the app or the hub"));
    CHECK_FALSE(Contains(body.message, "protocol_mismatch:"));
    CHECK(HttpStatusFor(body.code) == 400);
    CHECK(MustDecode(DecodeErrorBody(Encode(body))) == body);
  }
  SUBCASE("push: version 0 and a negative version") {
    for (int v : {0, -1}) {
      PushRequest p = MakePush(1);
      p.protocol = v;
      ExpectError(DecodePushRequest(Encode(p)), kErrProtocolMismatch, "is not spoken here");
    }
  }
  SUBCASE("enroll") {
    EnrollRequest e{7, "ABCD-1234", kDevA, "Laptop"};
    ExpectError(DecodeEnrollRequest(Encode(e)), kErrProtocolMismatch, "protocol version 7");
  }
  SUBCASE("pull query") {
    ExpectError(DecodePullQuery("", "", "3"), kErrProtocolMismatch, "protocol version 3");
    CHECK(DecodePullQuery("", "", "2").ok());
    ExpectError(DecodePullQuery("", "", ""), kErrBadRequest, "protocol: missing");
    ExpectError(DecodePullQuery("", "", "v1"), kErrBadRequest, "protocol: must be a version");
    ExpectError(DecodePullQuery("", "", "99999999999999999999"), kErrProtocolMismatch,
                "is not spoken here");
  }
}

TEST_CASE("Protocol: huge and over-long strings are rejected, never echoed whole") {
  SUBCASE("device name") {
    EnrollRequest e{1, "ABCD-1234", kDevA, std::string(1 << 20, 'x')};
    Result<EnrollRequest> r = DecodeEnrollRequest(Encode(e));
    ExpectError(r, kErrBadRequest, "device_name: is 1048576 bytes, longer than 200");
    CHECK(r.error().message().size() < 200);
    e.device_name = std::string(kMaxDeviceNameBytes, 'x');
    CHECK(DecodeEnrollRequest(Encode(e)).ok());
    e.device_name = "Laptop\nhai";
    ExpectError(DecodeEnrollRequest(Encode(e)), kErrBadRequest, "control characters");
    e.device_name = "";
    ExpectError(DecodeEnrollRequest(Encode(e)), kErrBadRequest, "device_name: must not be empty");
  }
  SUBCASE("an id of a megabyte") {
    PushRequest p = MakePush(1);
    p.device_id = std::string(1 << 20, 'a');
    Result<PushRequest> r = DecodePushRequest(Encode(p));
    ExpectError(r, kErrTooLarge, "");  // the body itself is over the push limit
    r = PushRequestFromJson(ToJson(p));
    ExpectError(r, kErrBadRequest, "(1048576 bytes)");
    CHECK(r.error().message().size() < 200);
  }
  SUBCASE("enrollment code, token, cursor, reason, error message") {
    ExpectError(DecodeEnrollRequest(Encode(EnrollRequest{1, std::string(65, 'A'), kDevA, "L"})),
                kErrBadRequest, "code: must be the enrollment code");
    ExpectError(DecodeEnrollRequest(Encode(EnrollRequest{1, "AB C-12", kDevA, "L"})),
                kErrBadRequest, "code:");
    ExpectError(
        DecodeEnrollResponse(Encode(EnrollResponse{kDevA, std::string(257, 'a'), "c", kNow})),
        kErrBadRequest, "token: must be 16 to 256");
    ExpectError(
        DecodeEnrollResponse(Encode(EnrollResponse{kDevA, "abc\r\nX-Evil: 1xxxxxx", "c", kNow})),
        kErrBadRequest, "token:");
    PullResponse pull = MakePull();
    pull.next_cursor = std::string(65, 'c');
    ExpectError(DecodePullResponse(Encode(pull)), kErrBadRequest, "next_cursor: must be 1 to 64");
    ExpectError(DecodePullQuery("a/b", "", "1"), kErrBadRequest, "after: must be a cursor");
    PushResponse res{{{1, Outcome::kConflict, std::string(kMaxReasonBytes + 1, 'r')}}, 1, kNow};
    ExpectError(DecodePushResponse(Encode(res)), kErrBadRequest,
                "results[0].reason: longer than 1000 bytes");
    ErrorBody e{"internal", std::string(kMaxMessageBytes + 1, 'm'), {}, {}, {}};
    ExpectError(DecodeErrorBody(Encode(e)), kErrBadRequest, "error.message: longer than 2000");
  }
}

TEST_CASE("Protocol: deep nesting is refused before parsing") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  ExpectError(DecodePushRequest(deep), kErrBadRequest, "deeper than 16 levels");
  ExpectError(DecodePullResponse(deep), kErrBadRequest, "deeper than 16 levels");
  // Brackets inside strings are text, not nesting.
  PushRequest p = MakePush(1);
  p.ops[0].value = std::string(100, '[') + "\"\\";
  CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
}

TEST_CASE("Protocol: op content errors quarantine the op, not the push") {
  struct Case {
    void (*edit)(Op&);
    const char* reason;
  };
  const std::vector<Case> cases = {
      {[](Op& o) { o.record_type = ""; }, "record_type: must be 1 to 40 characters"},
      {[](Op& o) { o.record_type = std::string(41, 'a'); }, "record_type: must be 1 to 40"},
      {[](Op& o) { o.record_type = "Household"; }, "record_type:"},
      {[](Op& o) { o.field = ""; }, "field: must be 1 to 40"},
      {[](Op& o) { o.field = std::string(41, 'f'); }, "field: must be 1 to 40"},
      {[](Op& o) { o.field = "head name"; }, "field:"},
      {[](Op& o) { o.record_id = ""; }, "record_id: must be 1 to 40"},
      {[](Op& o) { o.record_id = "../../etc"; }, "record_id:"},
      {[](Op& o) { o.value = std::string(kMaxValueBytes, 'v'); }, "value: is 32770 bytes as JSON"},
      {[](Op& o) { o.value = json::parse("[[[[[[[[[1]]]]]]]]]"); }, "value: nests arrays/objects"},
      {[](Op& o) { o.base_hlc = -1; }, "base_hlc: must be at least 0"},
      {[](Op& o) { o.base_hlc = 5; }, "base_hlc: must be 0 exactly when base_device is"},
      {[](Op& o) { o.base_device = kDevB; }, "base_hlc: must be 0 exactly when base_device is"},
      {[](Op& o) {
         o.base_hlc = 5;
         o.base_device = "someone";
       },
       "base_device: must be a lower-case UUID"},
      {[](Op& o) { o.hlc = 0; }, "hlc: must be at least 1"},
      {[](Op& o) { o.author = "Lê Văn Tám"; }, "author:"},
      {[](Op& o) { o.author = std::string(41, 'a'); }, "author: must be 1 to 40"},
      {[](Op& o) { o.seen_hlc = 5; }, "seen_hlc: must be 0 exactly when seen_device is absent"},
      {[](Op& o) { o.seen_device = kDevB; }, "seen_hlc: must be 0 exactly when seen_device"},
      {[](Op& o) { o.seen_hlc = -1; }, "seen_hlc: must be at least 0"},
      {[](Op& o) {
         o.seen_hlc = 5;
         o.seen_device = "someone";
       },
       "seen_device: must be a lower-case UUID"},
  };
  for (const Case& c : cases) {
    INFO("reason: " << c.reason);
    PushRequest p = MakePush(2);
    c.edit(p.ops[1]);
    // The push decodes: the hub answers this op "quarantined" with the reason, and goes on.
    PushRequest got = MustDecode(DecodePushRequest(Encode(p)));
    CHECK(got == p);
    CHECK(CheckOpContent(got.ops[0]).ok());
    ExpectError(CheckOpContent(got.ops[1]), kErrBadRequest, c.reason);
    // A whole op, or a pull page, must be valid throughout.
    ExpectError(Validate(p.ops[1]), kErrBadRequest, c.reason);
    PullResponse pull = MakePull();
    pull.ops[1].op = p.ops[1];
    ExpectError(DecodePullResponse(Encode(pull)), kErrBadRequest,
                std::string("ops[1].") + c.reason);
  }
  CHECK(Validate(Op{}).message().find("origin_device") != std::string::npos);
  Op nan_op = MakeOp(kDevA, 1);
  nan_op.value = std::numeric_limits<double>::quiet_NaN();
  ExpectError(CheckOpContent(nan_op), kErrBadRequest, "value: holds a number that is not finite");
}

TEST_CASE("Protocol: outcomes are the four known words") {
  for (Outcome o : {Outcome::kApplied, Outcome::kMerged, Outcome::kConflict, Outcome::kQuarantined})
    CHECK(ParseOutcome(OutcomeName(o)) == o);
  CHECK_FALSE(ParseOutcome("Applied").has_value());
  const json base = ToJson(PushResponse{{{11, Outcome::kApplied, ""}}, 11, kNow});
  for (json bad : {json("accepted"), json(""), json("APPLIED")}) {
    json j = base;
    j["results"][0]["outcome"] = bad;
    ExpectError(DecodePushResponse(j.dump()), kErrBadRequest,
                "results[0].outcome: unknown outcome \"" + bad.get<std::string>() +
                    "\" (expected applied, merged, conflict or quarantined)");
  }
  json j = base;
  j["results"][0]["outcome"] = 1;
  ExpectError(DecodePushResponse(j.dump()), kErrBadRequest,
              "results[0].outcome: must be a string, got an integer");
  PushResponse q{{{11, Outcome::kQuarantined, ""}}, 11, kNow};
  ExpectError(DecodePushResponse(Encode(q)), kErrBadRequest,
              "results[0].reason: missing; a quarantined op must say why");
}

TEST_CASE("Protocol: responses with impossible values are refused") {
  ExpectError(Validate(PushResponse{{}, -1, kNow}), kErrBadRequest,
              "acked_seq: must be at least 0");
  ExpectError(Validate(PushResponse{{}, 0, 0}), kErrBadRequest, "server_time: must be at least 1");
  PullResponse p = MakePull();
  p.ops.clear();
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "has_more: true with an empty page");
  p.has_more = false;
  p.next_cursor = "";
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "next_cursor: must be 1 to 64");
  p.next_cursor = "e1.5";
  p.devices = {{kDevA, "Laptop", 0}, {"LAPTOP-1", "Laptop", 0}};
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "devices[1].device_id:");
  p.devices = {{kDevA, "", 0}};
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "devices[0].name: must not be empty");
  p.devices = {{kDevA, "Laptop\n2", 0}};
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "devices[0].name: must not contain");
  p.devices = {{kDevA, "Laptop", -5}};
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest, "devices[0].last_seen: must be at least 0");
  ExpectError(DecodePullResponse(R"({"ops":[],"next_cursor":"e1.5","has_more":false,"server_time":1,)"
                                 R"("devices":[{"device_id":"0190a1b2-0000-7000-8000-00000000000a",)"
                                 R"("name":"x","last_seen":"yesterday"}]})"),
              kErrBadRequest, "devices[0].last_seen:");
  p.devices.assign(kMaxDevicesListed + 1, {kDevA, "Laptop", 0});
  ExpectError(DecodePullResponse(Encode(p)), kErrTooLarge, "devices: 1001 elements");
  p.devices.clear();
  ExpectError(
      DecodeEnrollResponse(Encode(EnrollResponse{kDevA, std::string(32, 'a'), "Xã 1", kNow})),
      kErrBadRequest, "commune_id:");
  ExpectError(DecodeErrorBody(R"({"error":{"code":"Bad Code","message":"m"}})"), kErrBadRequest,
              "error.code:");
  ExpectError(DecodeErrorBody(R"({"error":{"code":"seq_gap","message":"m","expected_seq":0}})"),
              kErrBadRequest, "error.expected_seq: must be at least 1");
  ExpectError(DecodeHealthResponse(R"({"supported_versions":[],"server_time":1})"), kErrBadRequest,
              "supported_versions: must not be empty");
  // An error code this build does not know is kept: a newer hub may send one.
  ErrorBody future = MustDecode(DecodeErrorBody(R"({"error":{"code":"slow_down","message":"m"}})"));
  CHECK(future.code == "slow_down");
  CHECK(HttpStatusFor(future.code) == 400);
}

TEST_CASE("Protocol: the pull query has defaults and bounds") {
  CHECK(MustDecode(DecodePullQuery("", "", "1")).limit == kDefaultPullLimit);
  CHECK(MustDecode(DecodePullQuery("", "1", "1")).limit == 1);
  CHECK(MustDecode(DecodePullQuery("", "5000", "1")).limit == kMaxPullLimit);
  CHECK(MustDecode(DecodePullQuery("", "99999999999999999999", "1")).limit == kMaxPullLimit);
  for (std::string_view bad : {"0", "-1", "+5", "abc", "5x", " 5", "1.5"}) {
    CAPTURE(bad);
    ExpectError(DecodePullQuery("", bad, "1"), kErrBadRequest, "limit: must be a whole number");
  }
  CHECK(MustDecode(DecodePullQuery("AbZ09._-", "", "1")).after == "AbZ09._-");
  ExpectError(DecodePullQuery(std::string(65, 'c'), "", "1"), kErrBadRequest, "after:");
  ExpectError(Validate(PullRequest{1, "", 0}), kErrBadRequest, "limit: must be 1 to 1000");
}

TEST_CASE("Protocol: errors map to wire codes, messages and HTTP statuses") {
  struct Case {
    std::string_view code;
    int http;
  };
  for (Case c :
       {Case{kErrBadRequest, 400}, Case{kErrUnauthorized, 401}, Case{kErrProtocolMismatch, 400},
        Case{kErrSeqGap, 409}, Case{kErrDeviceFork, 409}, Case{kErrCursorExpired, 410},
        Case{kErrNotFound, 404}, Case{kErrTooLarge, 413}, Case{kErrInternal, 500}}) {
    CAPTURE(c.code);
    Status s = ProtocolError(c.code, "what to do next");
    CHECK_FALSE(s.ok());
    CHECK(WireCode(s) == c.code);
    CHECK(WireMessage(s) == "what to do next");
    CHECK(HttpStatusFor(c.code) == c.http);
    ErrorBody body = ToErrorBody(s);
    CHECK(body.code == c.code);
    CHECK(Validate(body).ok());
  }
  CHECK(ProtocolError(kErrInternal, "x").code() == ErrorCode::kInternal);
  CHECK(ProtocolError(kErrSeqGap, "x").code() == ErrorCode::kInvalidInput);
  // Statuses from elsewhere (no prefix) map by their ErrorCode.
  CHECK(WireCode(InvalidInput("seq_gap is a word here")) == kErrBadRequest);
  CHECK(WireMessage(InvalidInput("seq_gap is a word here")) == "seq_gap is a word here");
  CHECK(WireCode(NotFound("no such device")) == kErrNotFound);
  CHECK(WireCode(Status{ErrorCode::kIo, "disk full"}) == kErrInternal);
  // A message cut to the limit stays valid UTF-8 and valid as a body.
  std::string long_vi;
  while (long_vi.size() < kMaxMessageBytes + 10) long_vi += "Đức ";
  ErrorBody cut = ToErrorBody(ProtocolError(kErrBadRequest, long_vi));
  CHECK(cut.message.size() <= kMaxMessageBytes);
  CHECK(MustDecode(DecodeErrorBody(Encode(cut))) == cut);
}

TEST_CASE("Protocol: the client checks that a push response answers its push") {
  PushRequest req = MakePush(3);  // seqs 11..13
  PushResponse res{{{11, Outcome::kApplied, ""},
                    {12, Outcome::kMerged, ""},
                    {13, Outcome::kQuarantined, "not in scope"}},
                   13,
                   kNow};
  CHECK(CheckAnswers(req, res).ok());
  res.acked_seq = 20;  // the hub already had more: fine
  CHECK(CheckAnswers(req, res).ok());
  res.acked_seq = 12;
  ExpectError(CheckAnswers(req, res), kErrBadRequest, "acked_seq: 12 is below seq 13");
  res.acked_seq = 13;
  res.results.pop_back();
  ExpectError(CheckAnswers(req, res), kErrBadRequest, "results: 2 results for 3 ops");
  res.results.push_back({14, Outcome::kApplied, ""});
  ExpectError(CheckAnswers(req, res), kErrBadRequest, "results[2].seq: 14 answers op seq 13");
  // Relayed ops of another origin do not move the pushing device's acked_seq.
  req.ops.push_back(MakeOp(kDevB, 900));
  res.results.back() = {13, Outcome::kApplied, ""};
  res.results.push_back({900, Outcome::kApplied, ""});
  CHECK(CheckAnswers(req, res).ok());
}

TEST_CASE("Protocol: encoding never throws, even on strings that are not UTF-8") {
  PushRequest p = MakePush(1);
  p.ops[0].value = std::string("bad \xff\xfe bytes");
  std::string text;
  CHECK_NOTHROW(text = Encode(p));
  PushRequest back = MustDecode(DecodePushRequest(text));
  CHECK(back.ops[0].value == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");  // U+FFFD each
}

TEST_CASE("Protocol: no decoder throws on any prefix or corruption of a valid body") {
  using Decoder = bool (*)(std::string_view);
  struct Body {
    std::string text;
    Decoder decode;
  };
  const std::vector<Body> bodies = {
      {Encode(MakePush(2)), [](std::string_view t) { return DecodePushRequest(t).ok(); }},
      {Encode(MakePull()), [](std::string_view t) { return DecodePullResponse(t).ok(); }},
      {Encode(PushResponse{{{11, Outcome::kConflict, "c"}}, 11, kNow}),
       [](std::string_view t) { return DecodePushResponse(t).ok(); }},
      {Encode(EnrollRequest{1, "ABCD-1234", kDevA, "Máy tính"}),
       [](std::string_view t) { return DecodeEnrollRequest(t).ok(); }},
      {Encode(EnrollResponse{kDevA, std::string(20, 'k'), "c1", kNow}),
       [](std::string_view t) { return DecodeEnrollResponse(t).ok(); }},
      {Encode(ErrorBody{"seq_gap", "m", 4, kDevA, {1}}),
       [](std::string_view t) { return DecodeErrorBody(t).ok(); }},
      {Encode(HealthResponse{{1}, kNow}),
       [](std::string_view t) { return DecodeHealthResponse(t).ok(); }},
  };
  const char kJunk[] = {'"', '}', '1', '\xc3'};
  int decoded = 0, variants = 0, threw = 0;
  for (const Body& b : bodies) {
    for (size_t i = 0; i <= b.text.size(); ++i) {
      std::vector<std::string> cases = {b.text.substr(0, i)};
      if (i < b.text.size())
        for (char junk : kJunk) cases.push_back(b.text.substr(0, i) + junk + b.text.substr(i + 1));
      for (const std::string& v : cases) {
        ++variants;
        try {
          decoded += b.decode(v);
        } catch (...) {
          ++threw;
        }
      }
    }
  }
  CHECK(threw == 0);
  CHECK(decoded >= static_cast<int>(bodies.size()));  // the untouched bodies, at least
  CHECK(decoded < variants);
}

}  // namespace
}  // namespace gocua::protocol
