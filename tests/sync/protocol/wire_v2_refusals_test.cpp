// Protocol v2: every malformed push body and pull page is refused with the right code and its
// v2 path.
#include "tests/sync/protocol/wire_v2_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace wire_v2_fixtures;

TEST_CASE("Protocol v2: every malformed push body is refused with its v2 path") {
  const json good = json::parse(Encode(VisitPush(2)));
  REQUIRE(DecodePushRequest(good.dump()).ok());
  struct Case {
    const char* what;
    json body;
    std::string_view code;
    std::string needle;
  };
  auto set = [&](const json::json_pointer& at, json v) {
    json j = good;
    j[at] = std::move(v);
    return j;
  };
  auto drop = [&](const std::string& run_key) {
    json j = good;
    j["runs"][0].erase(run_key);
    return j;
  };
  using P = json::json_pointer;
  json two_runs = good;
  json second = good["runs"][0];
  second["seq"] = 50;  // A's next is 44
  two_runs["runs"].push_back(second);
  json too_many = good;
  too_many["runs"] = json::array();
  json big_run = good["runs"][0];
  big_run["ops"] = json::array();
  for (int i = 0; i <= kMaxOpsPerBatch; ++i) big_run["ops"].push_back(json::array({"note", i}));
  too_many["runs"].push_back(big_run);
  const std::vector<Case> cases = {
      {"runs not an array", set(P("/runs"), "x"), kErrBadRequest, "runs: must be an array"},
      {"no runs",
       [&] {
         json j = good;
         j.erase("runs");
         return j;
       }(),
       kErrBadRequest, "runs: missing"},
      {"a run not an object", set(P("/runs/0"), 5), kErrBadRequest, "runs[0] must be an object"},
      {"no type", drop("type"), kErrBadRequest, "runs[0].type: missing"},
      {"no id", drop("id"), kErrBadRequest, "runs[0].id: missing"},
      {"no hlc", drop("hlc"), kErrBadRequest, "runs[0].hlc: missing"},
      {"no seq on the first run", drop("seq"), kErrBadRequest,
       "runs[0].seq: missing; required on the first run of each origin"},
      {"no ops", drop("ops"), kErrBadRequest, "runs[0].ops: missing"},
      {"empty ops", set(P("/runs/0/ops"), json::array()), kErrBadRequest,
       "runs[0].ops: must hold at least one op"},
      {"hlc as a string", set(P("/runs/0/hlc"), "1"), kErrBadRequest,
       "runs[0].hlc: must be an integer"},
      {"fractional seq", set(P("/runs/0/seq"), 41.5), kErrBadRequest,
       "runs[0].seq: must be an integer"},
      {"seq 0", set(P("/runs/0/seq"), 0), kErrBadRequest, "runs[0].seq: must be at least 1"},
      {"seq at the top of int64", set(P("/runs/0/seq"), std::numeric_limits<int64_t>::max()),
       kErrBadRequest, "runs[0].seq: too large"},
      {"origin not a UUID", set(P("/runs/0/origin"), "ABC"), kErrBadRequest,
       "runs[0].origin: must be a lower-case UUID"},
      {"author a number", set(P("/runs/0/author"), 7), kErrBadRequest,
       "runs[0].author: must be a string"},
      {"an op not an array", set(P("/runs/0/ops/1"), "note"), kErrBadRequest,
       "runs[0].ops[1]: must be [field, value]"},
      {"an op of one element", set(P("/runs/0/ops/1"), json::array({"note"})), kErrBadRequest,
       "runs[0].ops[1]: must be [field, value] or [field, value, {...}], got an array of 1"},
      {"an op of four elements", set(P("/runs/0/ops/1"), json::array({"a", 1, {}, 2})),
       kErrBadRequest, "got an array of 4"},
      {"a field that is not a string", set(P("/runs/0/ops/2/0"), 3), kErrBadRequest,
       "runs[0].ops[2][0]: must be a string"},
      {"extras not an object", set(P("/runs/0/ops/1"), json::array({"note", 1, 2})), kErrBadRequest,
       "runs[0].ops[1][2] must be an object"},
      {"hlc_step a string", set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"hlc_step":"2"}])")),
       kErrBadRequest, "runs[0].ops[1][2].hlc_step: must be an integer"},
      {"hlc_step on the first op",
       set(P("/runs/0/ops/0"), json::parse(R"(["n",1,{"hlc_step":2}])")), kErrBadRequest,
       "runs[0].ops[0][2].hlc_step: not allowed on a run's first op"},
      {"base_device a number", set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"base_device":4}])")),
       kErrBadRequest, "runs[0].ops[1][2].base_device: must be a string"},
      {"seen_hlc fractional", set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"seen_hlc":0.5}])")),
       kErrBadRequest, "runs[0].ops[1][2].seen_hlc: must be an integer"},
      {"a second run skipping seqs", two_runs, kErrBadRequest,
       "runs[1].seq: 50 follows 43 from the same origin"},
      {"more than kMaxOpsPerBatch ops", too_many, kErrTooLarge, "runs[0].ops: 2001 elements"},
      {"device_id not a UUID", set(P("/device_id"), "me"), kErrBadRequest,
       "device_id: must be a lower-case UUID"},
      {"batch_id missing",
       [&] {
         json j = good;
         j.erase("batch_id");
         return j;
       }(),
       kErrBadRequest, "batch_id: missing"},
      {"protocol 3: mismatch wins over the shape", set(P("/protocol"), 3), kErrProtocolMismatch,
       "protocol version 3 is not spoken here (supported: 1, 2)"},
      {"a v1 body that says 2",
       [&] {
         json j = ToJson(VisitPush(1));
         j["protocol"] = 2;
         return j;
       }(),
       kErrBadRequest, "runs: missing"},
      {"a v2 body that says 1", set(P("/protocol"), 1), kErrBadRequest, "ops: missing"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    ExpectError(DecodePushRequest(c.body.dump()), c.code, c.needle);
  }
  SUBCASE("the limits of v1, counted in expanded ops and bytes") {
    PushRequest p = VisitPush(2);
    p.ops.clear();
    for (int i = 0; i < kMaxOpsPerBatch; ++i)
      p.ops.push_back(VisitOp(kDevA, i + 1, "note", std::string(300, 'x')));
    ExpectError(DecodePushRequest(Encode(p)), kErrTooLarge, "more than the limit of 524288");
    p.ops.resize(kMaxOpsPerBatch);
    for (Op& op : p.ops) op.value = 1;
    CHECK(DecodePushRequest(Encode(p)).ok());
  }
  SUBCASE("a hub that speaks only v1 answers a v2 push protocol_mismatch naming 1") {
    const std::vector<int> only_v1 = {1};
    ExpectError(DecodePushRequest(good.dump(), only_v1), kErrProtocolMismatch,
                "protocol version 2 is not spoken here (supported: 1)");
    CHECK(DecodePushRequest(Encode(VisitPush(1)), only_v1).ok());
  }
  SUBCASE("content errors still quarantine the op, not the push") {
    json j = good;
    j["runs"][0]["type"] = "Visit!";
    PushRequest p = MustDecode(DecodePushRequest(j.dump()));
    CHECK_FALSE(CheckOpContent(p.ops[0]).ok());
  }
}

TEST_CASE("Protocol v2: malformed pull pages are refused with their v2 path") {
  PullResponse page;
  page.ops = {{10, VisitOp(kDevB, 1, "note", "a")}, {11, VisitOp(kDevB, 2, "note", "b")}};
  page.next_cursor = "e1.11";
  page.has_more = true;
  page.server_time = 1720000000000;
  const json good = json::parse(EncodePullResponseV2(page));
  auto set = [&](const std::string& at, json v) {
    json j = good;
    j[json::json_pointer(at)] = std::move(v);
    return j.dump();
  };
  json second = good["runs"][0];
  second.erase("origin");
  second.erase("server_seq");
  second["seq"] = 3;
  json two = good;
  two["runs"].push_back(second);
  REQUIRE(DecodePullResponseV2(two.dump()).ok());  // origin and server_seq follow the run before
  json backwards = two;
  backwards["runs"][1]["server_seq"] = 11;
  ExpectError(DecodePullResponseV2(set("/runs/0/origin", nullptr)), kErrBadRequest,
              "runs[0].origin: missing; the first run of a page says it");
  ExpectError(DecodePullResponseV2(set("/runs/0/server_seq", nullptr)), kErrBadRequest,
              "runs[0].server_seq: missing; required on the first run of a page");
  ExpectError(DecodePullResponseV2(backwards.dump()), kErrBadRequest,
              "runs[1].server_seq: 11 follows 11; must increase");
  ExpectError(DecodePullResponseV2(set("/runs/0/server_seq", 0)), kErrBadRequest,
              "runs[0].server_seq: must be at least 1");
  // Content is checked in pages, named by the op's v2 path.
  ExpectError(DecodePullResponseV2(set("/runs/0/type", "Visit!")), kErrBadRequest,
              "runs[0].ops[0].record_type: must be 1 to 40 characters");
  ExpectError(
      DecodePullResponseV2(set("/runs/0/ops/1", json::parse(R"(["note","b",{"base_hlc":5}])"))),
      kErrBadRequest, "runs[0].ops[1].base_hlc: must be 0 exactly when base_device");
  ExpectError(DecodePullResponseV2(set("/has_more", "yes")), kErrBadRequest,
              "has_more: must be true or false");
  ExpectError(DecodePullResponseV2(set("/runs", json::array())), kErrBadRequest,
              "has_more: true with an empty page");
  json over = good;
  over["runs"][0]["ops"] = json::array();
  for (int i = 0; i <= kMaxPullLimit; ++i) over["runs"][0]["ops"].push_back(json::array({"n", i}));
  ExpectError(DecodePullResponseV2(over.dump()), kErrTooLarge, "runs[0].ops: 1001 elements");
}

}  // namespace
}  // namespace gocua::protocol
