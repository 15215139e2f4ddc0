// Protocol v1: the checks of a push's content: seqs, device ids, sizes, versions, long strings,
// nesting, and op content errors that quarantine the op instead of refusing the push.
#include "tests/sync/protocol/protocol_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace protocol_fixtures;

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

TEST_CASE("Protocol: a pull page's envelope check leaves out only each op's content") {
  // The hub checks each op's content as it builds a page (dropping a bad op), then the rest.
  PullResponse ok = MakePull();
  CHECK(ValidatePullEnvelope(ok).ok());
  PullResponse content = MakePull();
  content.ops[1].op.record_id = "../../etc";
  CHECK(ValidatePullEnvelope(content).ok());
  ExpectError(Validate(content), kErrBadRequest, "ops[1].record_id:");
  // Everything else is still refused, as Validate refuses it.
  std::vector<std::pair<void (*)(PullResponse&), const char*>> cases = {
      {[](PullResponse& p) { p.ops[1].server_seq = 101; }, "ops[1].server_seq: 101 follows 101"},
      {[](PullResponse& p) { p.ops[0].server_seq = 0; }, "ops[0].server_seq: must be at least 1"},
      {[](PullResponse& p) { p.ops[1].op.origin_device = "someone"; }, "ops[1].origin_device:"},
      {[](PullResponse& p) { p.ops[1].op.seq = 0; }, "ops[1].seq: must be at least 1"},
      {[](PullResponse& p) { p.next_cursor = ""; }, "next_cursor: must be 1 to 64"},
      {[](PullResponse& p) {
         p.ops.clear();
         p.has_more = true;
       },
       "has_more: true with an empty page"},
      {[](PullResponse& p) {
         p.devices.push_back({"someone", "Laptop", 0});
       },
       "devices[0].device_id:"},
      {[](PullResponse& p) { p.server_time = -1; }, "server_time:"},
  };
  for (const auto& [edit, reason] : cases) {
    INFO("reason: " << reason);
    PullResponse p = MakePull();
    edit(p);
    ExpectError(ValidatePullEnvelope(p), kErrBadRequest, reason);
    ExpectError(Validate(p), kErrBadRequest, reason);
  }
}

TEST_CASE("Protocol: an op after one of its run is checked whole, whatever it shares") {
  // CheckOpContent(op, before) and a page's check look again only at texts equal to those of
  // an op that passed: any text that differs is checked, so the answers are CheckOpContent's.
  Op before = MakeOp(kDevA, 1);
  before.author = kHousehold;
  std::vector<std::pair<void (*)(Op&), const char*>> cases = {
      {[](Op& op) { op.record_type = "House Hold"; }, "record_type:"},
      {[](Op& op) { op.record_id = "../../etc"; }, "record_id:"},
      {[](Op& op) { op.author = "Not An Id"; }, "author:"},
      {[](Op& op) { op.field = "head name"; }, "field:"},
      {[](Op& op) { op.base_device = "someone"; }, "base_device:"},
      {[](Op& op) { op.seen_device = kDevB; }, "seen_hlc:"},
      {[](Op& op) { op.hlc = 0; }, "hlc:"},
  };
  for (const auto& [edit, reason] : cases) {
    INFO("reason: " << reason);
    Op op = MakeOp(kDevA, 2);
    op.author = before.author;
    CHECK(CheckOpContent(op, &before).ok());  // the run's op as it was
    edit(op);
    ExpectError(CheckOpContent(op, &before), kErrBadRequest, reason);
    ExpectError(CheckOpContent(op), kErrBadRequest, reason);
    // In a page: ops[0] passed, ops[1] is of its run (same origin) but for the edit.
    PullResponse pull = MakePull();
    pull.ops[0].op = before;
    pull.ops[1].op = op;
    ExpectError(Validate(pull), kErrBadRequest, std::string("ops[1].") + reason);
  }
  // Its origin too, after an op from a good one.
  PullResponse pull = MakePull();
  pull.ops[1].op.origin_device = kDevA.substr(0, 35) + "X";
  ExpectError(ValidatePullEnvelope(pull), kErrBadRequest, "ops[1].origin_device:");
  ExpectError(Validate(pull), kErrBadRequest, "ops[1].origin_device:");
}

}  // namespace
}  // namespace gocua::protocol
