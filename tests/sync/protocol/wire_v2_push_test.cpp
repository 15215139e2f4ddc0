// Protocol v2 pushes (sync/protocol/wire_v2.h): versions spoken, one entry per run, stamps and
// relayed origins kept, random batches expanding to exactly the v1 ops, the reply listing only
// what was not applied, and the size on the wire against v1.
#include "tests/sync/protocol/wire_v2_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace wire_v2_fixtures;

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
  CHECK(j["runs"][0]["ops"][1][2] == json::parse(R"({"hlc_step":70000,"base_hlc":112721919999999997,
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

  SUBCASE("an op whose origin the hub moved out (\"\") is the pushing device's") {
    PushRequest moved = p;
    for (Op& op : moved.ops)
      if (op.origin_device == moved.device_id) op.origin_device.clear();
    CHECK(EncodePushResponseV2(moved, r) == text);
  }
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
    ExpectError(
        DecodePushResponseV2(with_results(json::parse(R"([{"seq":99,"outcome":"merged"}])")), p),
        kErrBadRequest, "results[0]: names seq 99");
    ExpectError(DecodePushResponseV2(
                    with_results(json::parse(
                        R"([{"seq":44,"outcome":"merged"},{"seq":42,"outcome":"merged"}])")),
                    p),
                kErrBadRequest, "results[1]: names seq 42");
    // seq 7 of the pushing device is not an op of the push (7 was B's).
    ExpectError(
        DecodePushResponseV2(with_results(json::parse(R"([{"seq":7,"outcome":"merged"}])")), p),
        kErrBadRequest, "results[0]: names seq 7");
    ExpectError(DecodePushResponseV2(
                    with_results(json::parse(R"([{"seq":42,"outcome":"quarantined"}])")), p),
                kErrBadRequest, "results[0].reason: missing");
    ExpectError(
        DecodePushResponseV2(with_results(json::parse(R"([{"seq":42,"outcome":"won"}])")), p),
        kErrBadRequest, "results[0].outcome: unknown outcome");
    ExpectError(DecodePushResponseV2(with_results(json::parse(R"({"seq":42})")), p), kErrBadRequest,
                "results: must be an array");
    ExpectError(DecodePushResponseV2("{\"results\":[]}", p), kErrBadRequest, "acked_seq: missing");
  }
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
