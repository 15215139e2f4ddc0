// Protocol v2 codec (sync/protocol/wire_v2.h): round trips, exact expansion to the v1 ops on
// random batches, and every malformed v2 body refused with the right code and its v2 path.
#include "sync/protocol/wire_v2.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

const std::string kDevA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const std::string kDevB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
const std::string kBatch = "0190a1b2-c3d4-7000-8000-000000000001";
const std::string kVisit = "0190a1b2-c3d4-7111-8222-333344445555";
const std::string kMember = "0190a1b2-0000-7000-8000-00000000beef";
constexpr int64_t kHlc = int64_t{1720000000000} << 16;

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

template <typename T>
T MustDecode(const Result<T>& r) {
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r.value();
}

template <typename T>
void ExpectError(const Result<T>& r, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(r.ok());
  INFO("message: " << r.error().message());
  CHECK(WireCode(r.error()) == code);
  CHECK(Contains(r.error().message(), needle));
}

Op VisitOp(const std::string& origin, int64_t seq, const std::string& field, json value) {
  Op op;
  op.origin_device = origin;
  op.seq = seq;
  op.record_type = "visit";
  op.record_id = kVisit;
  op.field = field;
  op.value = std::move(value);
  op.hlc = kHlc + seq;
  op.author = kMember;
  return op;
}

PushRequest VisitPush(int protocol) {
  PushRequest p;
  p.protocol = protocol;
  p.device_id = kDevA;
  p.batch_id = kBatch;
  p.ops = {VisitOp(kDevA, 41, "household_id", "0190a1b2-c3d4-7111-8222-000000000001"),
           VisitOp(kDevA, 42, "topics", {{"vneid", "done"}, {"payment", "needs_followup"}}),
           VisitOp(kDevA, 43, "note", nullptr)};
  return p;
}

// ---- Random ops: every field the v1 codec carries, in shapes that break runs often ----

struct RandomOps {
  std::mt19937_64 rng;
  explicit RandomOps(uint64_t seed) : rng(seed) {}

  int64_t Pick(int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); }
  bool Chance(int percent) { return Pick(1, 100) <= percent; }

  json Value() {
    switch (Pick(0, 6)) {
      case 0: return nullptr;
      case 1: return Pick(-5, 5);
      case 2: return "Nguyễn Văn " + std::to_string(Pick(0, 99));
      case 3: return {{"vneid", "done"}, {"n", Pick(0, 3)}};
      case 4: return json::array({1, "a", nullptr, 2.5});
      case 5: return Chance(50);
      default: return std::numeric_limits<int64_t>::min() + Pick(0, 3);
    }
  }

  // `n` ops: runs of 1..6 ops on a few records, origins mixed when `relay`, stamps that step
  // by one mostly and jump (either way) sometimes, bases, seens and authors now and then.
  std::vector<Op> Ops(int n, bool relay, int64_t first_seq = 1) {
    std::vector<Op> ops;
    std::vector<std::pair<std::string, int64_t>> next = {{kDevA, first_seq}, {kDevB, 7}};
    int64_t hlc = kHlc;
    while (static_cast<int>(ops.size()) < n) {
      auto& [origin, seq] = next[relay && Chance(30) ? 1 : 0];
      const std::string type = Chance(70) ? "visit" : "household";
      const std::string id = "r" + std::to_string(Pick(1, 3));
      const std::string author = Chance(60) ? kMember : (Chance(50) ? "" : "m2");
      const int64_t run = Pick(1, 6);
      for (int64_t k = 0; k < run && static_cast<int>(ops.size()) < n; ++k) {
        Op op;
        op.origin_device = origin;
        op.seq = seq++;
        op.record_type = type;
        op.record_id = id;
        op.field = Chance(10) ? "deleted" : "f" + std::to_string(Pick(1, 9));
        op.value = Value();
        hlc += Chance(80) ? 1 : Pick(-1000000, 1000000000);
        op.hlc = hlc;
        op.author = author;
        if (Chance(25)) {
          op.base_hlc = kHlc - Pick(1, 99999);
          op.base_device = Chance(50) ? kDevA : kDevB;
        }
        if (Chance(10)) {
          op.seen_hlc = kHlc + Pick(1, 99);
          op.seen_device = kDevB;
        }
        ops.push_back(std::move(op));
      }
    }
    return ops;
  }
};

TEST_CASE("Protocol v2: version 2 is spoken beside 1 and a client picks the newest shared") {
  CHECK(kProtocolVersion == 2);
  CHECK(IsSupportedVersion(1));
  CHECK(IsSupportedVersion(2));
  CHECK_FALSE(IsSupportedVersion(3));
  CHECK(ChooseVersion(kSupportedVersions, std::vector<int>{1, 2}) == 2);
  CHECK(ChooseVersion(kSupportedVersions, std::vector<int>{1}) == 1);
  CHECK(ChooseVersion(kSupportedVersions, std::vector<int>{2, 3}) == 2);
  CHECK(ChooseVersion(kSupportedVersions, std::vector<int>{3}) == 0);
  CHECK(ChooseVersion(kSupportedVersions, std::vector<int>{}) == 0);
}

TEST_CASE("Protocol v2: a push is one entry per run with the documented keys") {
  const PushRequest p = VisitPush(2);
  const json j = json::parse(Encode(p));
  CHECK(j == json::parse(R"({"protocol":2,"device_id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
    "batch_id":"0190a1b2-c3d4-7000-8000-000000000001","runs":[{"seq":41,"type":"visit",
    "id":"0190a1b2-c3d4-7111-8222-333344445555","author":"0190a1b2-0000-7000-8000-00000000beef",
    "hlc":112721920000000041,"ops":[["household_id","0190a1b2-c3d4-7111-8222-000000000001"],
    ["topics",{"payment":"needs_followup","vneid":"done"}],["note",null]]}]})"));
  CHECK(ToJson(p) == j);
  CHECK(MustDecode(DecodePushRequest(Encode(p))) == p);
  // The same ops in v1 decode to the same request but for the version.
  PushRequest v1 = p;
  v1.protocol = 1;
  PushRequest back = MustDecode(DecodePushRequest(Encode(v1)));
  CHECK(back.protocol == 1);
  CHECK(back.ops == p.ops);
  CHECK(Encode(p).size() * 2 < Encode(v1).size());
}

TEST_CASE("Protocol v2: stamps, bases, seens and authors survive, and break runs where needed") {
  PushRequest p = VisitPush(2);
  p.ops[1].hlc = p.ops[0].hlc + 70000;  // a jump: hlc_step
  p.ops[1].base_hlc = kHlc - 3;
  p.ops[1].base_device = kDevB;
  p.ops[2].hlc = p.ops[1].hlc - 5;  // backwards, still carried
  p.ops.push_back(VisitOp(kDevA, 44, "deleted", 1));
  p.ops[3].author = "";  // another author: a new run
  p.ops[3].seen_hlc = kHlc + 9;
  p.ops[3].seen_device = kDevB;
  p.ops.push_back(VisitOp(kDevA, 45, "note", "x"));
  p.ops[4].record_id = "other";  // another record: a new run
  p.ops.push_back(VisitOp(kDevA, 46, "note", "y"));
  p.ops[5].hlc = std::numeric_limits<int64_t>::max();  // any int64 stamp
  p.ops.push_back(VisitOp(kDevA, 47, "note", "z"));
  p.ops[6].hlc = std::numeric_limits<int64_t>::min();
  const std::string text = Encode(p);
  const json j = json::parse(text);
  REQUIRE(j["runs"].size() == 4);  // author, record, record again
  CHECK(j["runs"][0]["ops"][1][2] ==
        json::parse(R"({"hlc_step":70000,"base_hlc":112721919999999997,
                        "base_device":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"})"));
  CHECK(j["runs"][0]["ops"][2][2] == json::parse(R"({"hlc_step":-5})"));
  CHECK_FALSE(j["runs"][1].contains("author"));
  CHECK_FALSE(j["runs"][1].contains("seq"));  // follows the run before it
  CHECK(j["runs"][1]["ops"][0][2]["seen_hlc"] == kHlc + 9);
  CHECK(MustDecode(DecodePushRequest(text)) == p);
}

TEST_CASE("Protocol v2: relayed ops of several origins keep their identities") {
  PushRequest p = VisitPush(2);
  p.ops.insert(p.ops.begin() + 1, VisitOp(kDevB, 7, "note", "relayed"));
  p.ops.push_back(VisitOp(kDevB, 8, "note", "relayed again"));
  const std::string text = Encode(p);
  const json j = json::parse(text);
  REQUIRE(j["runs"].size() == 4);
  CHECK_FALSE(j["runs"][0].contains("origin"));  // the pushing device
  CHECK(j["runs"][1]["origin"] == kDevB);
  CHECK(j["runs"][2]["origin"] == kDevA);
  CHECK_FALSE(j["runs"][2].contains("seq"));  // A's next after its first run
  CHECK(j["runs"][3]["origin"] == kDevB);
  CHECK_FALSE(j["runs"][3].contains("seq"));
  CHECK(MustDecode(DecodePushRequest(text)) == p);
}

TEST_CASE("Protocol v2: random batches expand to exactly the v1 ops, both ways") {
  const uint64_t seed = std::random_device{}();
  INFO("seed " << seed);
  RandomOps gen(seed);
  for (int round = 0; round < 60; ++round) {
    const bool relay = round % 3 == 0;
    PushRequest v1;
    v1.protocol = 1;
    v1.device_id = kDevA;
    v1.batch_id = kBatch;
    v1.ops = gen.Ops(static_cast<int>(gen.Pick(0, 300)), relay, gen.Pick(1, 1000000));
    PushRequest v2 = v1;
    v2.protocol = 2;
    const PushRequest from_v1 = MustDecode(DecodePushRequest(Encode(v1)));
    const PushRequest from_v2 = MustDecode(DecodePushRequest(Encode(v2)));
    CHECK(from_v1 == v1);
    CHECK(from_v2 == v2);
    CHECK(from_v2.ops == from_v1.ops);
    // The body a client builds op by op, with a take-back now and then, is the same text.
    PushBodyV2 body(kDevA, kBatch);
    size_t last_size = body.size();
    for (const Op& op : v2.ops) {
      if (gen.Chance(20)) {
        Op extra = op;
        extra.record_id = "zz";
        body.Add(extra);
        body.UndoLast();
        CHECK(body.size() == last_size);
      }
      last_size = body.Add(op);
      CHECK(last_size == body.Finish().size());
    }
    CHECK(body.Finish() == Encode(v2));
    CHECK(body.ops() == static_cast<int>(v2.ops.size()));

    // A pull page of the same ops, server seqs mostly consecutive with gaps.
    PullResponse page;
    int64_t server_seq = gen.Pick(1, 50);
    for (const Op& op : v1.ops) {
      server_seq += gen.Chance(85) ? 1 : gen.Pick(2, 40);
      page.ops.push_back({server_seq, op});
    }
    page.next_cursor = "e1." + std::to_string(server_seq);
    page.has_more = !page.ops.empty() && gen.Chance(50);
    page.server_time = 1720000000000;
    // Pull pages carry only valid content: give the random ops valid values of their fields.
    for (PulledOp& o : page.ops)
      if (o.op.author == "m2") o.op.author = kMember;
    if (static_cast<int>(page.ops.size()) > kMaxPullLimit) page.ops.resize(kMaxPullLimit);
    CHECK(MustDecode(DecodePullResponseV2(EncodePullResponseV2(page))) == page);
    CHECK(MustDecode(DecodePullResponse(Encode(page))) == page);
  }
}

TEST_CASE("Protocol v2: the push reply lists only what was not applied") {
  PushRequest p = VisitPush(2);
  p.ops.push_back(VisitOp(kDevB, 7, "note", "relayed"));  // a relay: same seq space clash
  p.ops.push_back(VisitOp(kDevA, 44, "note", "x"));
  PushResponse r;
  r.results = {{41, Outcome::kApplied, ""},
               {42, Outcome::kConflict, "topics was also changed by another device"},
               {43, Outcome::kApplied, ""},
               {7, Outcome::kQuarantined, "not a member"},
               {44, Outcome::kMerged, ""}};
  r.acked_seq = 44;
  r.server_time = 1720000000412;
  const std::string text = EncodePushResponseV2(p, r);
  CHECK(json::parse(text) == json::parse(R"({"results":[
      {"seq":42,"outcome":"conflict","reason":"topics was also changed by another device"},
      {"origin":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c","seq":7,"outcome":"quarantined",
       "reason":"not a member"},
      {"seq":44,"outcome":"merged"}],"acked_seq":44,"server_time":1720000000412})"));
  const PushResponse back = MustDecode(DecodePushResponseV2(text, p));
  CHECK(back == r);
  CHECK(CheckAnswers(p, back).ok());

  SUBCASE("all applied is an empty list") {
    for (OpResult& res : r.results) res = {res.seq, Outcome::kApplied, ""};
    const std::string all = EncodePushResponseV2(p, r);
    CHECK(Contains(all, "\"results\":[]"));
    CHECK(MustDecode(DecodePushResponseV2(all, p)) == r);
  }
  SUBCASE("a result that names no op, or out of order, or breaks v1's rules") {
    auto with_results = [&](json results) {
      json j = json::parse(text);
      j["results"] = std::move(results);
      return j.dump();
    };
    ExpectError(DecodePushResponseV2(with_results(json::parse(R"([{"seq":99,"outcome":"merged"}])")), p),
                kErrBadRequest, "results[0]: names seq 99");
    ExpectError(DecodePushResponseV2(
                    with_results(json::parse(
                        R"([{"seq":44,"outcome":"merged"},{"seq":42,"outcome":"merged"}])")),
                    p),
                kErrBadRequest, "results[1]: names seq 42");
    // seq 7 of the pushing device is not an op of the push (7 was B's).
    ExpectError(DecodePushResponseV2(with_results(json::parse(R"([{"seq":7,"outcome":"merged"}])")), p),
                kErrBadRequest, "results[0]: names seq 7");
    ExpectError(DecodePushResponseV2(
                    with_results(json::parse(R"([{"seq":42,"outcome":"quarantined"}])")), p),
                kErrBadRequest, "results[0].reason: missing");
    ExpectError(DecodePushResponseV2(with_results(json::parse(R"([{"seq":42,"outcome":"won"}])")), p),
                kErrBadRequest, "results[0].outcome: unknown outcome");
    ExpectError(DecodePushResponseV2(with_results(json::parse(R"({"seq":42})")), p),
                kErrBadRequest, "results: must be an array");
    ExpectError(DecodePushResponseV2("{\"results\":[]}", p), kErrBadRequest, "acked_seq: missing");
  }
}

TEST_CASE("Protocol v2: a pull page names its origins and server seqs once per run") {
  PullResponse page;
  page.ops = {{1043, VisitOp(kDevB, 17, "note", "a")},
              {1044, VisitOp(kDevB, 18, "topics", {{"vneid", "done"}})},
              {1045, VisitOp(kDevA, 41, "note", "b")},
              {1050, VisitOp(kDevA, 42, "status", "submitted")}};
  page.next_cursor = "e3.1050";
  page.server_time = 1720000000530;
  const std::string text = EncodePullResponseV2(page);
  const json j = json::parse(text);
  REQUIRE(j["runs"].size() == 3);
  CHECK(j["runs"][0]["origin"] == kDevB);
  CHECK(j["runs"][0]["server_seq"] == 1043);
  CHECK(j["runs"][0]["seq"] == 17);
  CHECK(j["runs"][1]["origin"] == kDevA);
  CHECK_FALSE(j["runs"][1].contains("server_seq"));  // 1045 follows 1044
  CHECK(j["runs"][2]["server_seq"] == 1050);
  CHECK_FALSE(j["runs"][2].contains("origin"));
  CHECK_FALSE(j["runs"][2].contains("seq"));
  CHECK(MustDecode(DecodePullResponseV2(text)) == page);
  // The optional devices of the last page, as in v1.
  page.devices = {{kDevA, "Laptop tổ 3", 1720000000100}, {kDevB, "Laptop tổ 4", 0}};
  const std::string with_devices = EncodePullResponseV2(page);
  CHECK(json::parse(with_devices)["devices"] == ToJson(page)["devices"]);
  CHECK(MustDecode(DecodePullResponseV2(with_devices)) == page);
  json bad = json::parse(with_devices);
  bad["devices"][1]["last_seen"] = "never";
  ExpectError(DecodePullResponseV2(bad.dump()), kErrBadRequest,
              "devices[1].last_seen: must be an integer");
  page.devices.clear();
  page.ops.clear();
  CHECK(MustDecode(DecodePullResponseV2(EncodePullResponseV2(page))) == page);
}

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
      {"no runs", [&] { json j = good; j.erase("runs"); return j; }(), kErrBadRequest,
       "runs: missing"},
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
      {"extras not an object", set(P("/runs/0/ops/1"), json::array({"note", 1, 2})),
       kErrBadRequest, "runs[0].ops[1][2] must be an object"},
      {"hlc_step a string", set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"hlc_step":"2"}])")),
       kErrBadRequest, "runs[0].ops[1][2].hlc_step: must be an integer"},
      {"hlc_step on the first op", set(P("/runs/0/ops/0"), json::parse(R"(["n",1,{"hlc_step":2}])")),
       kErrBadRequest, "runs[0].ops[0][2].hlc_step: not allowed on a run's first op"},
      {"base_device a number",
       set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"base_device":4}])")), kErrBadRequest,
       "runs[0].ops[1][2].base_device: must be a string"},
      {"seen_hlc fractional", set(P("/runs/0/ops/1"), json::parse(R"(["n",1,{"seen_hlc":0.5}])")),
       kErrBadRequest, "runs[0].ops[1][2].seen_hlc: must be an integer"},
      {"a second run skipping seqs", two_runs, kErrBadRequest,
       "runs[1].seq: 50 follows 43 from the same origin"},
      {"more than kMaxOpsPerBatch ops", too_many, kErrTooLarge, "runs[0].ops: 2001 elements"},
      {"device_id not a UUID", set(P("/device_id"), "me"), kErrBadRequest,
       "device_id: must be a lower-case UUID"},
      {"batch_id missing", [&] { json j = good; j.erase("batch_id"); return j; }(), kErrBadRequest,
       "batch_id: missing"},
      {"protocol 3: mismatch wins over the shape", set(P("/protocol"), 3), kErrProtocolMismatch,
       "protocol version 3 is not spoken here (supported: 1, 2)"},
      {"a v1 body that says 2", [&] { json j = ToJson(VisitPush(1)); j["protocol"] = 2; return j; }(),
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
  ExpectError(DecodePullResponseV2(set("/runs/0/ops/1", json::parse(R"(["note","b",{"base_hlc":5}])"))),
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

TEST_CASE("Protocol v2: a visit-shaped batch is far smaller on the wire than in v1") {
  // 100 visits of 11 ops each with an author, as the app writes them: the v2 body gzips to
  // under half the v1 body (the byte study in docs/benchmarks.md: 240 B -> ~107 B a visit).
  PushRequest v1;
  v1.protocol = 1;
  v1.device_id = kDevA;
  v1.batch_id = kBatch;
  int64_t seq = 1;
  for (int v = 0; v < 100; ++v) {
    const std::string id = "0190a1b2-c3d4-7111-8222-" + std::to_string(100000000000 + v);
    for (int f = 0; f < 11; ++f) {
      Op op = VisitOp(kDevA, seq, "field_" + std::to_string(f), "value " + std::to_string(v));
      op.record_id = id;
      op.hlc = kHlc + seq * 3;
      ++seq;
      v1.ops.push_back(std::move(op));
    }
  }
  PushRequest v2 = v1;
  v2.protocol = 2;
  const size_t gz1 = GzipCompress(Encode(v1)).size(), gz2 = GzipCompress(Encode(v2)).size();
  INFO("gzip v1 " << gz1 << " B, v2 " << gz2 << " B");
  CHECK(gz2 * 2 < gz1);
}

}  // namespace
}  // namespace gocua::protocol
