// Protocol v1: replies and errors: outcomes, impossible responses refused, the pull query's
// bounds, error codes on the wire, and a push response checked against its push.
#include "tests/sync/protocol/protocol_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace protocol_fixtures;

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
  ExpectError(DecodePullResponse(Encode(p)), kErrBadRequest,
              "devices[0].last_seen: must be at least 0");
  ExpectError(
      DecodePullResponse(R"({"ops":[],"next_cursor":"e1.5","has_more":false,"server_time":1,)"
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

}  // namespace
}  // namespace gocua::protocol
