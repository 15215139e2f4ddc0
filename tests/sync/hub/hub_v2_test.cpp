// Protocol v2 against the real hub process (tests/support/hub_process.h) over libcurl: a client
// that speaks v2 when the hub lists it, falls back to v1 when the hub lists only 1 (the hub's
// --protocol-versions), and a hub that refuses malformed v2 pushes whole, applying nothing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "storage/device/households.h"
#include "storage/device/replica.h"
#include "storage/device/topics.h"
#include "storage/device/visits.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using nlohmann::json;
using test::SyncDevice;
using test::SyncFixture;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Passes requests to libcurl and keeps each request and its reply.
class RecordingTransport final : public client::HttpTransport {
 public:
  struct Exchange {
    client::HttpRequest request;
    int status = 0;  // 0: no reply
    std::string reply;
  };
  std::vector<Exchange> seen;

  Result<client::HttpResponse> Send(const client::HttpRequest& request,
                                    const std::atomic<bool>* cancel) override {
    auto reply = curl_.Send(request, cancel);
    seen.push_back({request, reply ? reply->status : 0, reply ? reply->body : ""});
    return reply;
  }
  std::vector<Exchange> To(const std::string& path) const {
    std::vector<Exchange> out;
    for (const Exchange& e : seen)
      if (Contains(e.request.url, path)) out.push_back(e);
    return out;
  }

 private:
  client::CurlTransport curl_;
};

// A laptop whose every exchange with the hub is recorded.
struct RecordedDevice {
  SyncDevice device;
  RecordingTransport wire;
  client::SyncEngine engine;
  RecordedDevice(const std::string& name, SyncFixture& f)
      : device(name, f.device_dir),
        wire(),
        engine(device.db(), wire, device.clock(), test::FastSyncOptions()) {}

  void Enroll(SyncFixture& f) {
    const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
    client::EnrollResult r = engine.Enroll(f.hub.url(), code, device.name());
    INFO(device.name(), " enrolling: ", r.sync.error.message());
    REQUIRE(r.ok());
  }
  client::SyncResult Sync() {
    client::SyncResult r = engine.Sync();
    INFO(device.name(), ": ", client::FailureName(r.failure), " ", r.error.message());
    REQUIRE(r.ok());
    return r;
  }
  std::string Token() {
    auto state = Replica(device.db()).State();
    REQUIRE(state.ok());
    return state->token;
  }
};

// Households and visits on `d`: runs of ops on a record, as the app makes them.
void MakeRecords(SyncFixture& f, SyncDevice& d, int households) {
  auto topics = Topics(d.db()).List();
  REQUIRE(topics.ok());
  REQUIRE(topics->size() >= 2);
  for (int i = 0; i < households; ++i) {
    Household h;
    h.village_id = f.village_id;
    h.head_name = "Hộ " + d.name() + " " + std::to_string(i);
    h.address = "Thôn Đông";
    h.members_count = 3;
    h.working_age_count = 2;
    auto added = Households(d.db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    Visit v;
    v.household_id = added->id;
    v.visited_on = "2025-03-1" + std::to_string(i % 10);
    v.minutes = 20 + i;
    v.members = {f.member_id};
    v.topics[(*topics)[0].id] = "done";
    v.topics[(*topics)[1].id] = "guided";
    v.notes = "Hướng dẫn cài VNeID " + std::to_string(i);
    auto saved = Visits(d.db()).Save(v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  }
}

int64_t HubLogOps(SyncFixture& f) {
  return test::SqliteReader(f.hub.db_path()).Int("SELECT count(*) FROM hub_ops");
}

TEST_CASE("Sync v2: a client speaks v2 to a hub that lists it, and another laptop gets it all") {
  SyncFixture f;
  f.hub.Start();
  RecordedDevice a("laptop-a", f), b("laptop-b", f);
  a.Enroll(f);
  b.Enroll(f);
  MakeRecords(f, a.device, 12);
  const int64_t made = a.device.Pending();
  REQUIRE(made > 12 * 8);
  const int64_t log_before = HubLogOps(f);

  const client::SyncResult pushed = a.Sync();
  CHECK(pushed.pushed == made);
  CHECK(pushed.pending == 0);
  CHECK(pushed.conflicts == 0);
  CHECK(HubLogOps(f) == log_before + made);
  const auto health = a.wire.To("/healthz");
  REQUIRE_FALSE(health.empty());
  CHECK(json::parse(health.back().reply)["supported_versions"] == json::array({1, 2}));
  const auto pushes = a.wire.To("/v1/push");
  REQUIRE_FALSE(pushes.empty());
  size_t runs = 0;
  for (const auto& e : pushes) {
    const json body = json::parse(e.request.body);
    CHECK(body["protocol"] == 2);
    REQUIRE(body.contains("runs"));
    CHECK_FALSE(body.contains("ops"));
    runs += body["runs"].size();
    CHECK(e.status == 200);
    CHECK(json::parse(e.reply)["results"].empty());  // all applied: nothing listed
  }
  CHECK(runs > 0);
  CHECK(static_cast<int64_t>(runs) * 4 < made);  // one entry per record run, not per op

  const client::SyncResult pulled = b.Sync();
  CHECK(pulled.pulled == made);
  for (const auto& e : b.wire.To("/v1/pull")) {
    CHECK(Contains(e.request.url, "protocol=2"));
    CHECK(json::parse(e.reply).contains("runs"));
  }
  // Member laptops hold no leader PIN hash (docs/security.md).
  const std::string hub_export = test::SyncFixture::WithoutLeaderPins(f.hub.Export());
  CHECK(a.device.Export() == hub_export);
  CHECK(b.device.Export() == hub_export);
}

TEST_CASE("Sync v2: a client falls back to v1 against a hub that lists only version 1") {
  SyncFixture f;
  f.hub.Start({"--protocol-versions", "1"});
  RecordedDevice a("laptop-a", f), b("laptop-b", f);
  a.Enroll(f);
  // The enrollment went first in v2, was answered protocol_mismatch naming 1, then in v1.
  const auto enrolls = a.wire.To("/v1/enroll");
  REQUIRE(enrolls.size() == 2);
  CHECK(json::parse(enrolls[0].request.body)["protocol"] == 2);
  CHECK(enrolls[0].status == 400);
  CHECK(json::parse(enrolls[0].reply)["error"]["supported_versions"] == json::array({1}));
  CHECK(json::parse(enrolls[1].request.body)["protocol"] == 1);
  CHECK(enrolls[1].status == 200);
  b.Enroll(f);
  MakeRecords(f, a.device, 6);
  const int64_t made = a.device.Pending();
  CHECK(a.Sync().pushed == made);
  CHECK(json::parse(a.wire.To("/healthz").back().reply)["supported_versions"] == json::array({1}));
  for (const auto& e : a.wire.To("/v1/push")) {
    const json body = json::parse(e.request.body);
    CHECK(body["protocol"] == 1);
    CHECK(body.contains("ops"));
    CHECK(json::parse(e.reply)["results"].size() == body["ops"].size());
  }
  CHECK(b.Sync().pulled == made);
  for (const auto& e : b.wire.To("/v1/pull")) CHECK(Contains(e.request.url, "protocol=1"));
  // Member laptops hold no leader PIN hash (docs/security.md).
  const std::string hub_export = test::SyncFixture::WithoutLeaderPins(f.hub.Export());
  CHECK(a.device.Export() == hub_export);
  CHECK(b.device.Export() == hub_export);

  // What a v2 request gets from this hub: protocol_mismatch naming 1 only, nothing applied.
  client::CurlTransport curl;
  protocol::PushRequest push;
  push.protocol = 2;
  push.device_id = a.device.id();
  push.batch_id = "0190a1b2-c3d4-7000-8000-000000000001";
  const int64_t log_before = HubLogOps(f);
  auto r = curl.Send({client::HttpRequest::Method::kPost, f.hub.url() + "/v1/push", a.Token(),
                      protocol::Encode(push), false},
                     nullptr);
  REQUIRE(r.ok());
  CHECK(r->status == 400);
  auto err = protocol::DecodeErrorBody(r->body);
  REQUIRE(err.ok());
  CHECK(err->code == protocol::kErrProtocolMismatch);
  CHECK(err->supported_versions == std::vector<int>{1});
  auto pull = curl.Send({client::HttpRequest::Method::kGet,
                         f.hub.url() + "/v1/pull?after=&limit=10&protocol=2", a.Token()},
                        nullptr);
  REQUIRE(pull.ok());
  CHECK(pull->status == 400);
  CHECK(Contains(pull->body, "protocol_mismatch"));
  CHECK(HubLogOps(f) == log_before);
}

TEST_CASE("Sync v2: the hub answers a version it does not speak protocol_mismatch") {
  SyncFixture f;
  f.hub.Start();
  RecordedDevice a("laptop-a", f);
  a.Enroll(f);
  client::CurlTransport curl;
  const json push = {{"protocol", 3}, {"device_id", a.device.id()}, {"whatever", 1}};
  auto r = curl.Send(
      {client::HttpRequest::Method::kPost, f.hub.url() + "/v1/push", a.Token(), push.dump(), false},
      nullptr);
  REQUIRE(r.ok());
  CHECK(r->status == 400);
  auto err = protocol::DecodeErrorBody(r->body);
  REQUIRE(err.ok());
  CHECK(err->code == protocol::kErrProtocolMismatch);
  CHECK(err->supported_versions == std::vector<int>{1, 2});
  CHECK(Contains(err->message, "protocol version 3"));
  auto pull = curl.Send({client::HttpRequest::Method::kGet,
                         f.hub.url() + "/v1/pull?after=&limit=10&protocol=3", a.Token()},
                        nullptr);
  REQUIRE(pull.ok());
  CHECK(pull->status == 400);
  CHECK(Contains(pull->body, "protocol_mismatch"));
}

TEST_CASE("Sync v2: a malformed v2 push is refused whole by the hub, naming the v2 path") {
  SyncFixture f;
  f.hub.Start();
  RecordedDevice a("laptop-a", f);
  a.Enroll(f);
  MakeRecords(f, a.device, 2);
  a.Sync();  // the hub holds a's first ops: the next push starts after them
  const int64_t next_seq = a.device.LastSeq() + 1;
  const std::string token = a.Token();
  client::CurlTransport curl;
  auto send = [&](const std::string& body) {
    auto r = curl.Send(
        {client::HttpRequest::Method::kPost, f.hub.url() + "/v1/push", token, body, true}, nullptr);
    REQUIRE(r.ok());
    return *r;
  };
  // A valid v2 push of two runs, on two households new to the hub (seqs next_seq..next_seq+3).
  protocol::PushRequest good;
  good.protocol = 2;
  good.device_id = a.device.id();
  good.batch_id = "0190a1b2-c3d4-7000-8000-000000000002";
  for (int i = 0; i < 4; ++i) {
    protocol::Op op;
    op.origin_device = a.device.id();
    op.seq = next_seq + i;
    op.record_type = "household";
    op.record_id = "0190a1b2-c3d4-7000-8000-00000000010" + std::to_string(i / 2);
    // A new household names its village first (the hub quarantines it otherwise).
    op.field = i % 2 ? "address" : "village_id";
    op.value = i % 2 ? json("Số " + std::to_string(i)) : json(f.village_id);
    op.hlc = (a.device.clock().NowMs() << 16) + i;
    good.ops.push_back(op);
  }
  const json good_json = json::parse(protocol::Encode(good));
  REQUIRE(good_json["runs"].size() == 2);
  struct Case {
    const char* what;
    json body;
    int status;
    std::string code, needle;
  };
  auto set = [&](const std::string& at, json v) {
    json j = good_json;
    j[json::json_pointer(at)] = std::move(v);
    return j;
  };
  const std::vector<Case> cases = {
      {"the second run's op not an array (the first run is valid)", set("/runs/1/ops/0", "x"), 400,
       "bad_request", "runs[1].ops[0]: must be [field, value]"},
      {"the second run skipping a seq", set("/runs/1/seq", next_seq + 5), 400, "bad_request",
       "runs[1].seq"},
      {"a field that is a number", set("/runs/0/ops/1/0", 1), 400, "bad_request",
       "runs[0].ops[1][0]: must be a string"},
      {"hlc_step on a first op", set("/runs/1/ops/0", json::parse(R"(["a",1,{"hlc_step":3}])")),
       400, "bad_request", "runs[1].ops[0][2].hlc_step"},
      {"no type",
       [&] {
         json j = good_json;
         j["runs"][0].erase("type");
         return j;
       }(),
       400, "bad_request", "runs[0].type: missing"},
      {"runs an object", set("/runs", json::object()), 400, "bad_request",
       "runs: must be an array"},
      {"a seq gap at the start", set("/runs/0/seq", next_seq + 1), 409, "seq_gap",
       "expected seq " + std::to_string(next_seq)},
      {"another device's id", set("/device_id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c"), 400,
       "bad_request", "device_id"},
  };
  const int64_t log_before = HubLogOps(f);
  const std::string export_before = f.hub.Export();
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const client::HttpResponse r = send(c.body.dump());
    INFO("reply: ", r.body);
    CHECK(r.status == c.status);
    auto err = protocol::DecodeErrorBody(r.body);
    REQUIRE(err.ok());
    CHECK(err->code == c.code);
    CHECK(Contains(err->message, c.needle));
    CHECK(HubLogOps(f) == log_before);
  }
  CHECK(f.hub.Export() == export_before);

  // The valid push applies all four ops and answers with nothing listed; a run whose record
  // type is invalid is quarantined (listed), not a rejection.
  json with_bad_type = good_json;
  with_bad_type["runs"][1]["type"] = "Household!";
  const client::HttpResponse r = send(with_bad_type.dump());
  INFO("reply: ", r.body);
  REQUIRE(r.status == 200);
  protocol::PushRequest sent = good;
  sent.ops[2].record_type = sent.ops[3].record_type = "Household!";
  auto answer = protocol::DecodePushResponseV2(r.body, sent);
  REQUIRE_MESSAGE(answer.ok(), answer.error().message());
  CHECK(answer->acked_seq == next_seq + 3);
  CHECK(answer->results[0].outcome == protocol::Outcome::kApplied);
  CHECK(answer->results[1].outcome == protocol::Outcome::kApplied);
  CHECK(answer->results[2].outcome == protocol::Outcome::kQuarantined);
  CHECK(answer->results[3].outcome == protocol::Outcome::kQuarantined);
  CHECK(json::parse(r.body)["results"].size() == 2);
  CHECK(HubLogOps(f) == log_before + 4);
  // Resent, the same answer: each op is processed once.
  const client::HttpResponse again = send(with_bad_type.dump());
  CHECK(again.status == 200);
  CHECK(json::parse(again.body)["results"] == json::parse(r.body)["results"]);
  CHECK(HubLogOps(f) == log_before + 4);
}

}  // namespace
}  // namespace gocua
