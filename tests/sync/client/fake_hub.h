#pragma once
// The sync engine's test world: a fake hub (an HttpTransport that plays the hub's part of the
// protocol in memory: dedupe by (origin, seq), seq gaps, forks, cursors, 410, 413, and injected
// network faults) and laptops with real device databases that sync through it. Shared by
// tests/sync/client/client_*_test.cpp; the engine over libcurl against the real hub process is
// client_real_hub_test.cpp.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/core/change_log.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/io/export.h"
#include "sync/client/curl_transport.h"
#include "sync/client/pacing.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "tests/support/client_helpers.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_process.h"

extern char** environ;

namespace gocua::client::fake_hub {

using protocol::Op;
using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;
using testing::AddHouseholds;
using testing::Contains;

inline constexpr char kHubUrl[] = "http://hub.test";
inline constexpr char kCode[] = "ABCD-1234";

// A hub in memory. Each request is answered from its state, unless a fault is queued.
class FakeHub final : public HttpTransport {
 public:
  explicit FakeHub(const Clock& clock) : clock_(clock) {}

  // --- Faults and knobs ---
  int drop_before = 0;              // the next N requests fail before they reach the hub
  int drop_after = 0;               // the next N pushes/pulls are processed, their reply is lost
  std::deque<int> statuses;         // the next requests are answered with these, unprocessed
  size_t max_push_ops = 2000;       // a push with more ops is answered 413
  std::optional<int64_t> gap_once;  // answer the next push 409 seq_gap
  std::map<int64_t, protocol::Outcome> outcomes;  // by seq; the rest are `applied`
  int epoch = 1;                                  // cursors from another epoch are answered 410
  std::vector<int> versions = {1};
  std::function<void(const HttpRequest&)> on_request;
  // Called with the engine's `cancel` as each request arrives; true answers the request as a
  // transport that was cancelled (or lost the link) would, before the hub sees it.
  std::function<bool(const HttpRequest&, const std::atomic<bool>* cancel)> on_send;
  std::string commune_id;  // what enrollment answers

  // --- What happened ---
  struct Seen {
    std::string path;  // "/v1/push", "/v1/pull", ...
    std::string token;
    std::vector<int64_t> seqs;  // push
    size_t body_bytes = 0;      // push
    bool gzip = false;
    std::string after;  // pull
    int limit = 0;      // pull
  };
  std::vector<Seen> seen;
  std::map<std::string, std::map<int64_t, Op>> held;  // origin → seq → op
  std::vector<protocol::PulledOp> log;
  std::map<std::string, std::string> tokens;     // token → device id
  std::map<std::string, int64_t> delivered_ack;  // the highest acked_seq a device received
  int resent_after_ack = 0;  // pushes carrying a seq the device had already been told is acked
  int duplicates = 0;        // ops received again after they were processed
  std::atomic<int> overlapped{0};  // requests that arrived while another was being answered

  std::vector<size_t> PushSizes() const {
    std::vector<size_t> v;
    for (const Seen& s : seen)
      if (s.path == "/v1/push") v.push_back(s.seqs.size());
    return v;
  }
  int Count(const std::string& path) const {
    int n = 0;
    for (const Seen& s : seen) n += s.path == path;
    return n;
  }
  int64_t Acked(const std::string& device) const {
    auto it = held.find(device);
    int64_t acked = 0;
    if (it != held.end())
      while (it->second.count(acked + 1)) ++acked;
    return acked;
  }
  // Appends an op to the log as if another device had pushed it.
  void AddToLog(Op op) {
    held[op.origin_device][op.seq] = op;
    log.push_back({static_cast<int64_t>(log.size()) + 1, std::move(op)});
  }

  Result<HttpResponse> Send(const HttpRequest& r, const std::atomic<bool>* cancel) override {
    REQUIRE(r.url.rfind(kHubUrl, 0) == 0);
    struct InFlight {  // the transport takes one request at a time (http_transport.h)
      std::atomic<int>& n;
      FakeHub& hub;
      InFlight(std::atomic<int>& count, FakeHub& h) : n(count), hub(h) {
        if (n.fetch_add(1) != 0) ++hub.overlapped;
      }
      ~InFlight() { n.fetch_sub(1); }
    } in_flight(in_send_, *this);
    std::string path = r.url.substr(std::string(kHubUrl).size());
    std::string query;
    if (size_t q = path.find('?'); q != std::string::npos) {
      query = path.substr(q + 1);
      path.resize(q);
    }
    Seen s;
    s.path = path;
    s.token = r.bearer_token;
    s.gzip = r.gzip_body;
    seen.push_back(s);
    if (on_request) on_request(r);
    if (on_send && on_send(r, cancel)) return Status{ErrorCode::kIo, "Đã huỷ — cancelled (test)"};
    if (drop_before > 0) {
      --drop_before;
      return Status{ErrorCode::kIo, "Không kết nối được — could not connect (test)"};
    }
    if (!statuses.empty()) {
      const int status = statuses.front();
      statuses.pop_front();
      return Error(status, status >= 500 ? "internal" : "bad_request", "injected");
    }
    HttpResponse reply;
    if (path == "/healthz") {
      reply = {200, protocol::Encode(protocol::HealthResponse{versions, clock_.NowMs()})};
    } else if (path == "/v1/enroll") {
      reply = Enroll(r);
    } else if (path == "/v1/push") {
      reply = Push(r, seen.back());
    } else if (path == "/v1/pull") {
      reply = Pull(query, r, seen.back());
    } else {
      reply = Error(404, "not_found", "no such endpoint");
    }
    if (drop_after > 0 && (path == "/v1/push" || path == "/v1/pull")) {
      --drop_after;
      return Status{ErrorCode::kIo, "Kết nối bị ngắt giữa chừng — the connection was cut (test)"};
    }
    if (path == "/v1/push" && reply.status == 200) {
      auto answer = protocol::DecodePushResponse(reply.body);
      REQUIRE(answer.ok());
      int64_t& got = delivered_ack[tokens[r.bearer_token]];
      got = std::max(got, answer->acked_seq);
    }
    return reply;
  }

 private:
  static HttpResponse Error(int status, const std::string& code, const std::string& message) {
    protocol::ErrorBody body;
    body.code = code;
    body.message = message;
    return {status, protocol::Encode(body)};
  }

  HttpResponse Enroll(const HttpRequest& r) {
    auto req = protocol::DecodeEnrollRequest(r.body);
    if (!req) return Error(400, "bad_request", req.error().message());
    if (req->code != kCode) return Error(401, "unauthorized", "unknown enrollment code");
    const std::string token = "tok-" + req->device_id;
    tokens[token] = req->device_id;
    return {200, protocol::Encode(
                     protocol::EnrollResponse{req->device_id, token, commune_id, clock_.NowMs()})};
  }

  HttpResponse Push(const HttpRequest& r, Seen& s) {
    auto req = protocol::DecodePushRequest(r.body);
    if (!req) return Error(400, "bad_request", req.error().message());
    s.body_bytes = r.body.size();
    for (const Op& op : req->ops) s.seqs.push_back(op.seq);
    auto device = tokens.find(r.bearer_token);
    if (device == tokens.end()) return Error(401, "unauthorized", "token revoked");
    if (req->device_id != device->second) return Error(400, "bad_request", "device_id");
    if (!req->ops.empty() && req->ops.front().seq <= delivered_ack[device->second]) {
      ++resent_after_ack;
    }
    if (req->ops.size() > max_push_ops) return Error(413, "too_large", "send fewer ops");
    if (gap_once) {
      protocol::ErrorBody body{"seq_gap", "push from " + std::to_string(*gap_once), *gap_once,
                               device->second};
      gap_once.reset();
      return {409, protocol::Encode(body)};
    }
    // Check the whole batch first: a gap or a fork applies nothing.
    int64_t expect = Acked(device->second) + 1;
    for (const Op& op : req->ops) {
      auto& mine = held[op.origin_device];
      if (auto it = mine.find(op.seq); it != mine.end()) {
        if (!(it->second == op)) {
          protocol::ErrorBody body{"device_fork", "seq already received with other content"};
          body.origin_device = op.origin_device;
          return {409, protocol::Encode(body)};
        }
        continue;
      }
      if (op.seq != expect) {
        protocol::ErrorBody body{"seq_gap", "gap", expect, op.origin_device};
        return {409, protocol::Encode(body)};
      }
      ++expect;
    }
    protocol::PushResponse answer;
    for (const Op& op : req->ops) {
      auto& mine = held[op.origin_device];
      if (mine.count(op.seq))
        ++duplicates;
      else
        AddToLog(op);
      protocol::OpResult result{op.seq, protocol::Outcome::kApplied, ""};
      if (auto it = outcomes.find(op.seq); it != outcomes.end()) result.outcome = it->second;
      if (result.outcome == protocol::Outcome::kQuarantined) result.reason = "not allowed";
      answer.results.push_back(result);
    }
    answer.acked_seq = Acked(device->second);
    answer.server_time = clock_.NowMs();
    return {200, protocol::Encode(answer)};
  }

  HttpResponse Pull(const std::string& query, const HttpRequest& r, Seen& s) {
    // after=<cursor>&limit=<n>&protocol=1
    std::map<std::string, std::string> params;
    size_t pos = 0;
    while (pos <= query.size()) {
      size_t amp = query.find('&', pos);
      if (amp == std::string::npos) amp = query.size();
      const std::string kv = query.substr(pos, amp - pos);
      if (size_t eq = kv.find('='); eq != std::string::npos)
        params[kv.substr(0, eq)] = kv.substr(eq + 1);
      pos = amp + 1;
    }
    auto req = protocol::DecodePullQuery(params["after"], params["limit"], params["protocol"]);
    if (!req) return Error(400, "bad_request", req.error().message());
    s.after = req->after;
    s.limit = req->limit;
    if (!tokens.count(r.bearer_token)) return Error(401, "unauthorized", "token revoked");
    int64_t from = 0;
    if (!req->after.empty()) {
      const std::string prefix = "e" + std::to_string(epoch) + ".";
      if (req->after.rfind(prefix, 0) != 0)
        return Error(410, "cursor_expired", "download the commune again");
      from = std::stoll(req->after.substr(prefix.size()));
    }
    protocol::PullResponse page;
    int64_t last = from;
    for (const protocol::PulledOp& p : log) {
      if (p.server_seq <= from) continue;
      if (static_cast<int>(page.ops.size()) == req->limit) {
        page.has_more = true;
        break;
      }
      page.ops.push_back(p);
      last = p.server_seq;
    }
    page.next_cursor = "e" + std::to_string(epoch) + "." + std::to_string(last);
    page.server_time = clock_.NowMs();
    return {200, protocol::Encode(page)};
  }

  const Clock& clock_;
  std::atomic<int> in_send_{0};
};

// A laptop: its own database and sync engine, with waits recorded instead of slept.
struct Device {
  TempDir dir;
  std::unique_ptr<Database> db;
  std::vector<int64_t> waits;
  std::unique_ptr<SyncEngine> engine;

  Device(FakeHub& hub, const Clock& clock, SyncOptions options = {}) {
    db = OpenOrDie(dir.File("gocua.db"), clock);
    options.jitter_seed = 42;
    options.sleep = [this](int64_t ms, const std::atomic<bool>*) { waits.push_back(ms); };
    engine = std::make_unique<SyncEngine>(*db, hub, clock, options);
  }
  int64_t Pending() {
    auto n = ChangeLog(*db).PendingCount();
    REQUIRE(n.ok());
    return *n;
  }
  int64_t LastSeq() {
    auto n = ChangeLog(*db).LastSeq();
    REQUIRE(n.ok());
    return *n;
  }
  int64_t HouseholdCount() {
    auto n = Households(*db).Count();
    REQUIRE(n.ok());
    return *n;
  }
};

// A device with a commune, a village, a member and `households` households, and a hub that
// enrolls into that commune.
struct World {
  ManualClock clock{kTestNowMs};
  FakeHub hub{clock};
  Device a;

  explicit World(int households = 5, SyncOptions options = {}) : a(hub, clock, options) {
    Places places(*a.db);
    auto commune = places.SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn");
    REQUIRE(commune.ok());
    hub.commune_id = commune->id;
    auto village = places.AddVillage("Thôn Đông");
    REQUIRE(village.ok());
    REQUIRE(Members(*a.db).Add("Trần Thị Mai", Role::kMember, "1234").ok());
    AddHouseholds(*a.db, village->id, households);
  }

  // Enrolls device `d` (the first sync included) and checks that it worked.
  void Enroll(Device& d, const std::string& name) {
    EnrollResult r = d.engine->Enroll(kHubUrl, kCode, name);
    REQUIRE_MESSAGE(r.ok(), r.sync.error.message());
    CHECK(r.commune_id == hub.commune_id);
  }
};

inline std::string ExportOf(Database& db) {
  auto e = ExportCanonicalJson(db);
  REQUIRE_MESSAGE(e.ok(), e.error().message());
  return *e;
}

// A hub whose log holds laptop A's ~500 ops, and laptop B, enrolled before A pushed, that
// pulls them in pages of 100: page 1 is ops 1–100 (cursor "e1.100"), page 2 ops 101–200, ...
struct PullWorld {
  World w{60};
  Device b{w.hub, w.clock, SyncOptions{.pull_limit = 100}};
  int64_t ops = 0;  // in the hub's log

  PullWorld() {
    w.Enroll(b, "Laptop B");
    w.Enroll(w.a, "Laptop A");
    ops = static_cast<int64_t>(w.hub.log.size());
    REQUIRE(ops > 450);
    w.hub.seen.clear();
  }
  std::string Cursor() { return Replica(*b.db).State()->cursor; }
  // (after, limit) of each pull since the last seen.clear().
  std::vector<std::pair<std::string, int>> Pulls() const {
    std::vector<std::pair<std::string, int>> out;
    for (const FakeHub::Seen& s : w.hub.seen)
      if (s.path == "/v1/pull") out.push_back({s.after, s.limit});
    return out;
  }
  // The households that the first `n` ops of the log create.
  int64_t HouseholdsIn(int64_t n) const {
    std::set<std::string> ids;
    for (int64_t i = 0; i < n; ++i)
      if (w.hub.log[i].op.record_type == "household") ids.insert(w.hub.log[i].op.record_id);
    return static_cast<int64_t>(ids.size());
  }
  // B holds exactly what A holds, and no request overlapped another.
  void CheckConverged() {
    CHECK(b.HouseholdCount() == 60);
    CHECK(ExportOf(*b.db) == ExportOf(*w.a.db));
    CHECK(w.hub.overlapped == 0);
  }
};

}  // namespace gocua::client::fake_hub
