// Protocol v1: bodies that are not JSON, not objects, miss a field or have one of the wrong type
// are bad requests that name the field.
#include "tests/sync/protocol/protocol_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace protocol_fixtures;

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

}  // namespace
}  // namespace gocua::protocol
