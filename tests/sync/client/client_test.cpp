// The sync engine against a fake hub: an HttpTransport that plays the hub's part of the
// protocol in memory (dedupe by (origin, seq), seq gaps, forks, cursors, 410, 413) and injects
// network faults. Two real device databases sync through it. The engine over libcurl against
// the real hub process is client_real_hub_test.cpp.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

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
#include "storage/io/export.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/core/sqlite_db.h"
#include "sync/client/curl_transport.h"
#include "sync/client/pacing.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "tests/support/fixture.h"
#include "tests/support/client_helpers.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/hub_process.h"

extern char** environ;

namespace gocua::client {
namespace {

using protocol::Op;
using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;
using testing::AddHouseholds;
using testing::Contains;

constexpr char kHubUrl[] = "http://hub.test";
constexpr char kCode[] = "ABCD-1234";

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

TEST_CASE("Client: gzip round-trips and refuses damaged or oversized bodies") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"seq\": " + std::to_string(i) + ", \"x\": \"Đức\"}";
  const std::string packed = protocol::GzipCompress(text);
  CHECK(packed.size() < text.size() / 4);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic
  auto back = protocol::GzipInflate(packed, text.size());
  REQUIRE(back.ok());
  CHECK(*back == text);
  CHECK(protocol::GzipInflate(protocol::GzipCompress(""), 10).ok());

  // One byte short of the output: refused, not truncated.
  CHECK_FALSE(protocol::GzipInflate(packed, text.size() - 1).ok());
  // A bomb: 64 MiB of zeros is a small body, and inflating stops at the cap.
  const std::string bomb = protocol::GzipCompress(std::string(64 << 20, '\0'));
  CHECK(bomb.size() < 200 * 1024);
  auto exploded = protocol::GzipInflate(bomb, protocol::kMaxDecompressedBody);
  REQUIRE_FALSE(exploded.ok());
  CHECK(Contains(exploded.error().message(), "more than"));
  // Truncated and damaged streams.
  CHECK_FALSE(protocol::GzipInflate(packed.substr(0, packed.size() / 2), 1 << 20).ok());
  std::string damaged = packed;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
  CHECK_FALSE(protocol::GzipInflate(damaged, 1 << 20).ok());
  CHECK_FALSE(protocol::GzipInflate("not gzip at all", 1 << 20).ok());
}

TEST_CASE("Client: backoff doubles up to a cap, with jitter, reproducible from a seed") {
  Backoff a(1000, 30000, 7), b(1000, 30000, 7);
  for (int retry = 1; retry <= 10; ++retry) {
    const int64_t full = std::min<int64_t>(1000LL << (retry - 1), 30000);
    const int64_t d = a.Delay(retry);
    CHECK(d >= full / 2);
    CHECK(d <= full);
    CHECK(b.Delay(retry) == d);
  }
  // Jitter: two devices with different seeds do not come back in step.
  Backoff c(1000, 30000, 8), d(1000, 30000, 9);
  int same = 0;
  for (int i = 0; i < 20; ++i) same += c.Delay(5) == d.Delay(5);
  CHECK(same < 5);
  CHECK(Backoff(0, 0, 1).Delay(3) == 0);
}

TEST_CASE("Client: batch sizes double up to the maximum and halve down to one op") {
  BatchSizer s;
  CHECK(s.ops() == protocol::kStartBatchOps);
  CHECK(s.bytes() == protocol::kStartBatchBytes);
  for (int i = 0; i < 10; ++i) s.Grow();
  CHECK(s.ops() == protocol::kMaxOpsPerBatch);
  CHECK(s.bytes() == protocol::kMaxBatchBytes);
  for (int i = 0; i < 20; ++i) s.Shrink();
  CHECK(s.ops() == 1);
  CHECK(s.bytes() == BatchSizer::kMinBatchBytes);
}

TEST_CASE("Client: sync before enrollment says to enroll and sends nothing") {
  ManualClock clock(kTestNowMs);
  FakeHub hub(clock);
  Device d(hub, clock);
  SyncResult r = d.engine->Sync();
  CHECK(r.failure == SyncFailure::kNotEnrolled);
  CHECK(Contains(r.error.message(), "chưa đăng ký"));
  CHECK(Contains(r.error.message(), "enroll"));
  CHECK(hub.seen.empty());
}

TEST_CASE("Client: enrollment saves the token, pushes the outbox and pulls the commune") {
  World w(5);
  const int64_t a_ops = w.a.Pending();
  REQUIRE(a_ops > 0);
  EnrollResult first = w.a.engine->Enroll("  http://hub.test/ ", " ABCD-1234 ", "Laptop A");
  REQUIRE_MESSAGE(first.ok(), first.sync.error.message());
  CHECK(first.sync.pushed == a_ops);
  CHECK(first.sync.pending == 0);
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.Acked(w.a.db->device_id()) == w.a.LastSeq());
  auto state = Replica(*w.a.db).State();
  REQUIRE(state.ok());
  CHECK(state->hub_url == kHubUrl);
  CHECK(state->token == "tok-" + w.a.db->device_id());
  CHECK(state->commune_id == w.hub.commune_id);
  CHECK(state->last_sync_ms == w.clock.NowMs());
  CHECK_FALSE(state->cursor.empty());
  // Pushes carry the token and ask for gzip; enrollment and health need no token.
  for (const FakeHub::Seen& s : w.hub.seen) {
    if (s.path == "/v1/push" || s.path == "/v1/pull") CHECK(s.token == state->token);
    if (s.path == "/v1/push") CHECK(s.gzip);
    if (s.path == "/healthz" || s.path == "/v1/enroll") CHECK(s.token.empty());
  }

  // A second, empty laptop enrolls into the same commune and gets everything.
  Device b(w.hub, w.clock);
  EnrollResult second = b.engine->Enroll(kHubUrl, kCode, "Laptop B");
  REQUIRE_MESSAGE(second.ok(), second.sync.error.message());
  CHECK(second.sync.pushed == 0);
  CHECK(second.sync.pulled == a_ops);
  CHECK(b.HouseholdCount() == 5);
  auto commune = Places(*b.db).LocalCommune();
  REQUIRE(commune.ok());
  CHECK(commune->id == w.hub.commune_id);

  // B edits; A gets the edit on its next sync, and B's own op is not applied twice.
  auto list = Households(*b.db).List({});
  REQUIRE(list.ok());
  Household h = list->front();
  h.phone = "0912345678";
  REQUIRE(Households(*b.db).Update(h).ok());
  SyncResult rb = b.engine->Sync();
  REQUIRE_MESSAGE(rb.ok(), rb.error.message());
  CHECK(rb.pushed >= 1);
  SyncResult ra = w.a.engine->Sync();
  REQUIRE_MESSAGE(ra.ok(), ra.error.message());
  CHECK(ra.pulled == rb.pushed);
  auto got = Households(*w.a.db).Get(h.id);
  REQUIRE(got.ok());
  CHECK(got->phone == "0912345678");
  CHECK(w.hub.duplicates == 0);
}

TEST_CASE("Client: a wrong enrollment code or hub address says what to do") {
  World w(0);
  EnrollResult bad_code = w.a.engine->Enroll(kHubUrl, "WXYZ-0000", "Laptop A");
  CHECK(bad_code.sync.failure == SyncFailure::kUnauthorized);
  CHECK(Contains(bad_code.sync.error.message(), "Nhờ trưởng nhóm tạo mã mới"));
  CHECK(bad_code.commune_id.empty());
  CHECK(Replica(*w.a.db).State()->token.empty());

  EnrollResult bad_url = w.a.engine->Enroll("hub.test:8080", kCode, "Laptop A");
  CHECK(bad_url.sync.failure == SyncFailure::kBadInput);
  CHECK(Contains(bad_url.sync.error.message(), "http://"));

  EnrollResult bad_format = w.a.engine->Enroll(kHubUrl, "mã sai!", "Laptop A");
  CHECK(bad_format.sync.failure == SyncFailure::kBadInput);
  EnrollResult no_name = w.a.engine->Enroll(kHubUrl, kCode, "");
  CHECK(no_name.sync.failure == SyncFailure::kBadInput);
  CHECK(w.hub.Count("/v1/enroll") == 1);  // only the well-formed one was sent

  // A device id the hub already knows (enrolled before, or a copy) is not enrolled again.
  w.hub.statuses = {409};
  EnrollResult known = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(known.sync.failure == SyncFailure::kDeviceFork);
  CHECK(Contains(known.sync.error.message(), "Báo quản trị viên"));

  // A device holding one commune cannot join another.
  w.hub.commune_id = "0190f000-aaaa-7bbb-8ccc-dddddddddddd";
  EnrollResult other = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(other.sync.failure == SyncFailure::kWrongCommune);
  CHECK(Contains(other.sync.error.message(), "--data"));
}

TEST_CASE("Client: the outbox drains in batches that grow after fast successes") {
  World w(400);
  const int64_t total = w.a.Pending();
  REQUIRE(total > 3000);
  std::vector<std::pair<int64_t, int64_t>> progress;
  w.Enroll(w.a, "Laptop A");
  w.hub.seen.clear();
  // Nothing left: a sync asks for nothing.
  SyncResult again = w.a.engine->Sync();
  CHECK(again.ok());
  CHECK(w.hub.PushSizes().empty());

  // A fresh device with as much to send, watching progress.
  World w2(400);
  SyncResult r;
  {
    EnrollResult e = w2.a.engine->Enroll(kHubUrl, kCode, "Laptop A",
                                         [&](SyncPhase p, int64_t done, int64_t all) {
                                           if (p == SyncPhase::kPush)
                                             progress.push_back({done, all});
                                         });
    REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
    r = e.sync;
  }
  const std::vector<size_t> sizes = w2.hub.PushSizes();
  REQUIRE(sizes.size() >= 4);
  CHECK(sizes[0] == static_cast<size_t>(protocol::kStartBatchOps));
  CHECK(sizes[1] > sizes[0]);
  CHECK(sizes[2] > sizes[1]);
  size_t sum = 0;
  for (size_t n : sizes) {
    CHECK(n <= static_cast<size_t>(protocol::kMaxOpsPerBatch));
    sum += n;
  }
  for (const FakeHub::Seen& s : w2.hub.seen)
    if (s.path == "/v1/push") CHECK(s.body_bytes <= protocol::kMaxBatchBytes);
  CHECK(sum == static_cast<size_t>(w2.a.LastSeq()));  // each op sent exactly once
  CHECK(r.pushed == w2.a.LastSeq());
  CHECK(w2.a.Pending() == 0);
  CHECK(w2.hub.duplicates == 0);
  REQUIRE(progress.size() == sizes.size() + 1);
  CHECK(progress.front().first == 0);
  CHECK(progress.back().first == progress.back().second);
  CHECK(w2.hub.overlapped == 0);  // the next batch is read while one is sent, never sent with it
}

TEST_CASE("Client: slow push answers keep the batch size, though the next batch was read grown") {
  // Every answer counts as slow: batches never grow. The engine reads batch n + 1 while batch
  // n is on the wire, as if n were taken fast (grown when n was full); that read is dropped.
  World w(150, SyncOptions{.fast_push_ms = 0});
  w.Enroll(w.a, "Laptop A");
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() >= 5);
  for (size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == size_t{200});
  CHECK(sizes.back() <= size_t{200});
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.duplicates == 0);
  CHECK(w.hub.overlapped == 0);
}

TEST_CASE("Client: a cut link is retried with backoff and resumes without resending acked ops") {
  World w(300);
  w.Enroll(w.a, "Laptop A");  // an empty outbox after this
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 300);
  const int64_t to_send = w.a.Pending();
  REQUIRE(to_send > 2000);
  w.hub.seen.clear();
  w.a.waits.clear();

  // The second push never reaches the hub; the third is processed but its reply is lost.
  int pushes = 0;
  w.hub.on_request = [&](const HttpRequest& r) {
    if (r.url.find("/v1/push") == std::string::npos) return;
    ++pushes;
    if (pushes == 2) w.hub.drop_before = 1;
    if (pushes == 4) w.hub.drop_after = 1;
  };
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed == to_send);
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.Acked(w.a.db->device_id()) == w.a.LastSeq());
  // Nothing the device had been told was acknowledged went out again. The push whose reply
  // was lost was resent (only its unacknowledged part), and the hub deduped it.
  CHECK(w.hub.resent_after_ack == 0);
  CHECK(w.hub.duplicates > 0);
  // Two failures, two waits; a failure halves the next batch.
  CHECK(w.a.waits.size() == 2);
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() >= 5);
  CHECK(sizes[1] == 0);        // never reached the hub: no body was read
  CHECK(sizes[4] < sizes[3]);  // the resend after the lost reply is smaller
  CHECK(w.hub.overlapped == 0);
}

TEST_CASE("Client: a dead link gives up after max attempts, keeps the outbox, and says so") {
  World w(3, SyncOptions{.max_attempts = 4, .base_backoff_ms = 500, .max_backoff_ms = 4000});
  w.Enroll(w.a, "Laptop A");
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 2);
  const int64_t pending = w.a.Pending();
  w.a.waits.clear();
  w.hub.drop_before = 1000;
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kNetwork);
  CHECK(Contains(r.error.message(), "Không kết nối được máy chủ đồng bộ"));
  CHECK(Contains(r.error.message(), "Kiểm tra mạng"));
  CHECK(Contains(r.error.message(), "sau 4 lần thử"));
  CHECK(r.pending == pending);
  CHECK(w.a.Pending() == pending);
  // Three waits between four tries, each within [d/2, d] of a doubling d.
  REQUIRE(w.a.waits.size() == 3);
  CHECK(w.a.waits[0] >= 250);
  CHECK(w.a.waits[0] <= 500);
  CHECK(w.a.waits[1] >= 500);
  CHECK(w.a.waits[1] <= 1000);
  CHECK(w.a.waits[2] >= 1000);
  CHECK(w.a.waits[2] <= 2000);

  // The link comes back: the next sync sends it all.
  w.hub.drop_before = 0;
  SyncResult ok = w.a.engine->Sync();
  REQUIRE_MESSAGE(ok.ok(), ok.error.message());
  CHECK(ok.pushed == pending);
  CHECK(w.a.Pending() == 0);
}

TEST_CASE("Client: 5xx answers are retried, and a hub that keeps failing is reported") {
  World w(3);
  w.Enroll(w.a, "Laptop A");
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 2);
  const int64_t pending = w.a.Pending();
  w.a.waits.clear();
  w.hub.statuses = {503, 500};  // /healthz fails twice, then works
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed == pending);
  CHECK(w.a.waits.size() == 2);

  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 1);
  w.hub.statuses.assign(100, 502);
  SyncResult bad = w.a.engine->Sync();
  CHECK(bad.failure == SyncFailure::kHubFailing);
  CHECK(Contains(bad.error.message(), "HTTP 502"));
  CHECK(Contains(bad.error.message(), "báo quản trị viên"));
  CHECK(w.a.Pending() > 0);
}

TEST_CASE("Client: 413 halves the batch until the hub takes it") {
  World w(100);
  w.hub.max_push_ops = 60;
  w.Enroll(w.a, "Laptop A");
  CHECK(w.a.Pending() == 0);
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() > 2);
  CHECK(sizes[0] == 200);
  CHECK(sizes[1] <= 100);
  CHECK(w.hub.duplicates == 0);
  CHECK(w.a.waits.empty());  // not a network failure: no wait

  w.hub.max_push_ops = 0;  // not even one op
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 1);
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kRejected);
  CHECK(Contains(r.error.message(), "413"));
}

TEST_CASE("Client: seq_gap resends from the expected seq, or stops when the hub lost data") {
  World w(3);
  w.Enroll(w.a, "Laptop A");
  auto village = Households(*w.a.db).List({})->front().village_id;
  AddHouseholds(*w.a.db, village, 2);
  const int64_t first = w.a.LastSeq() - w.a.Pending() + 1;
  // A hub that asks again for what we hold: we resend from there.
  w.hub.gap_once = first;
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(w.a.Pending() == 0);

  // The hub was restored from an old backup: it wants seqs this device already dropped.
  World w2(3);
  AddHouseholds(*w2.a.db, Places(*w2.a.db).FindVillage("Thôn Đông")->id, 1);
  REQUIRE(ChangeLog(*w2.a.db).Acknowledge(5).ok());  // "acknowledged" by the lost hub
  const int64_t pending = w2.a.Pending();
  SyncResult lost = w2.a.engine->Enroll(kHubUrl, kCode, "Laptop A").sync;
  CHECK(lost.failure == SyncFailure::kHubLostData);
  CHECK(Contains(lost.error.message(), "báo quản trị viên"));
  CHECK(Contains(lost.error.message(), "seq 1"));
  CHECK(w2.a.Pending() == pending);
  CHECK(w2.hub.Count("/v1/pull") == 0);
}

TEST_CASE("Client: device_fork stops pushing and keeps the outbox") {
  World w(2);
  // The hub already holds seq 1 of this device id with other content: a copied disk.
  Op other;
  other.origin_device = w.a.db->device_id();
  other.seq = 1;
  other.record_type = "household";
  other.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
  other.field = "head_name";
  other.value = "Someone else";
  other.hlc = kTestNowMs << 16;
  w.hub.AddToLog(other);
  const int64_t pending = w.a.Pending();
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(r.sync.failure == SyncFailure::kDeviceFork);
  CHECK(Contains(r.sync.error.message(), "thiết bị mới"));
  CHECK(w.a.Pending() == pending);
  CHECK(w.hub.Count("/v1/push") == 1);
}

TEST_CASE("Client: an ack past what this device sent never drops its unsent edits") {
  // The hub holds this device id's seqs 1..200 as sent, and 201..260 with other content: the
  // laptop was restored from a backup taken before it sent 201..260 last time.
  World w(60);
  auto first = ChangeLog(*w.a.db).Pending(0, 200);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 200);
  for (const ChangeEntry& e : *first)
    w.hub.AddToLog(Op{w.a.db->device_id(), e.seq, e.record_type, e.record_id, e.field, e.value,
                      e.base_hlc, e.base_device, e.hlc});
  for (int64_t seq = 201; seq <= 260; ++seq)
    w.hub.AddToLog(Op{w.a.db->device_id(), seq, "household", first->front().record_id, "head_name",
                      "Other " + std::to_string(seq), 0, "", kTestNowMs << 16});
  const int64_t all = w.a.Pending();
  REQUIRE(all > 260);
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  // The first batch (1..200) was answered acked_seq 260; only 1..200 left the outbox.
  CHECK(r.sync.failure == SyncFailure::kDeviceFork);
  CHECK(r.sync.pushed == 200);
  CHECK(w.a.Pending() == all - 200);
  auto next = ChangeLog(*w.a.db).Pending(0, 1);
  REQUIRE(next.ok());
  CHECK(next->front().seq == 201);
}

TEST_CASE("Client: pull pages until has_more is false, and 410 downloads again from the start") {
  World w(60);
  w.Enroll(w.a, "Laptop A");
  const int64_t all = w.a.LastSeq();

  Device b(w.hub, w.clock, SyncOptions{.pull_limit = 100});
  EnrollResult e = b.engine->Enroll(kHubUrl, kCode, "Laptop B");
  REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
  CHECK(e.sync.pulled == all);
  CHECK(w.hub.Count("/v1/pull") >= static_cast<int>(all / 100));
  CHECK(b.HouseholdCount() == 60);
  // Each request continued from the last page's cursor.
  std::vector<std::string> afters;
  for (const FakeHub::Seen& s : w.hub.seen)
    if (s.path == "/v1/pull" && s.token == "tok-" + b.db->device_id()) afters.push_back(s.after);
  REQUIRE(afters.size() > 2);
  CHECK(afters[0].empty());
  CHECK(afters[1] == "e1.100");

  // The hub rebuilt its log: old cursors answer 410. B has an unsent edit meanwhile.
  Household h = Households(*b.db).List({})->front();
  h.address = "99 ngõ 9";
  REQUIRE(Households(*b.db).Update(h).ok());
  w.hub.epoch = 2;
  w.hub.seen.clear();
  SyncResult r = b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed >= 1);
  // Everything again, but for B's own edit (applying it again would change nothing).
  CHECK(r.pulled == static_cast<int64_t>(w.hub.log.size()) - r.pushed);
  CHECK(Households(*b.db).Get(h.id)->address == "99 ngõ 9");
  CHECK(b.HouseholdCount() == 60);
  afters.clear();
  for (const FakeHub::Seen& s : w.hub.seen)
    if (s.path == "/v1/pull") afters.push_back(s.after);
  REQUIRE(afters.size() >= 2);
  CHECK(afters[0].rfind("e1.", 0) == 0);
  CHECK(afters[1].empty());
  CHECK(Replica(*b.db).State()->cursor.rfind("e2.", 0) == 0);
}

TEST_CASE("Client: a page with records this build does not know keeps the cursor") {
  World w(1);
  w.Enroll(w.a, "Laptop A");
  const std::string cursor = Replica(*w.a.db).State()->cursor;
  Op future;
  future.origin_device = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  future.seq = 1;
  future.record_type = "drone_flight";
  future.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
  future.field = "altitude";
  future.value = 120;
  future.hlc = kTestNowMs << 16;
  w.hub.AddToLog(future);
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kTooOld);
  CHECK(Contains(r.error.message(), "cập nhật ứng dụng"));
  CHECK(Replica(*w.a.db).State()->cursor == cursor);
}

TEST_CASE("Client: conflicts and quarantined ops are counted, and leave the outbox") {
  World w(2);
  w.hub.outcomes = {{3, protocol::Outcome::kConflict},
                    {4, protocol::Outcome::kConflict},
                    {5, protocol::Outcome::kQuarantined},
                    {6, protocol::Outcome::kMerged}};
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  REQUIRE_MESSAGE(r.ok(), r.sync.error.message());
  CHECK(r.sync.conflicts == 2);
  CHECK(r.sync.quarantined == 1);
  CHECK(w.a.Pending() == 0);
}

TEST_CASE("Client: cancelling stops between requests and the next sync resumes") {
  World w(300);
  std::atomic<bool> cancel{false};
  int pushes = 0;
  w.hub.on_request = [&](const HttpRequest& r) {
    if (r.url.find("/v1/push") != std::string::npos && ++pushes == 2) cancel = true;
  };
  EnrollResult e = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A", {}, &cancel);
  CHECK(e.sync.failure == SyncFailure::kCancelled);
  CHECK(Contains(e.sync.error.message(), "Đã huỷ"));
  CHECK(pushes == 2);
  CHECK(e.sync.pushed > 0);
  CHECK(w.a.Pending() == w.a.LastSeq() - e.sync.pushed);
  CHECK(w.hub.Count("/v1/pull") == 0);

  // Cancelled during a backoff wait: the wait ends and so does the sync.
  w.hub.on_request = {};
  cancel = false;
  w.hub.drop_before = 1;
  Device& a = w.a;
  SyncEngine engine(
      *a.db, w.hub, w.clock,
      SyncOptions{.sleep = [&](int64_t, const std::atomic<bool>*) { cancel = true; }});
  SyncResult r = engine.Sync({}, &cancel);
  CHECK(r.failure == SyncFailure::kCancelled);

  cancel = false;
  SyncResult rest = w.a.engine->Sync({}, &cancel);
  REQUIRE_MESSAGE(rest.ok(), rest.error.message());
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.resent_after_ack == 0);
  CHECK(w.hub.duplicates == 0);
}

// --- Pull pages fetched ahead (while pages before them are applied), applied in groups ---

std::string ExportOf(Database& db) {
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

TEST_CASE(
    "Client: a group of pages that fails in its middle page applies nothing of the group and keeps "
    "its cursor, and the next sync resumes there") {
  PullWorld p;
  REQUIRE(p.HouseholdsIn(100) < p.HouseholdsIn(200));
  // Op 250 (page 3) is of a record type this build does not know, until the update below.
  const Op known = p.w.hub.log[249].op;
  p.w.hub.log[249].op.record_type = "drone_flight";
  // Page 1 is a group of its own: page 2 is asked for only once page 1 is applied. Pages 2–4
  // then wait together: the worker goes on only once page 5 has been asked for.
  std::mutex mu;
  std::condition_variable changed;
  bool page1_applied = false, page5_asked = false;
  auto wait_for = [&](const bool& flag) {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return flag; });
  };
  auto set = [&](bool& flag) {
    std::lock_guard<std::mutex> lock(mu);
    flag = true;
    changed.notify_all();
  };
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.100&")) wait_for(page1_applied);
    if (Contains(r.url, "after=e1.400&")) set(page5_asked);
  };
  auto progress = [&](SyncPhase phase, int64_t done, int64_t) {
    if (phase != SyncPhase::kPull || done != 100) return;
    set(page1_applied);
    wait_for(page5_asked);
  };
  SyncResult r = p.b.engine->Sync(progress);
  CHECK(r.failure == SyncFailure::kTooOld);
  CHECK(Contains(r.error.message(), "cannot apply op"));
  CHECK(page5_asked);
  CHECK(r.pulled == 100);
  // Nothing of the group (pages 2–4 at least; page 2 is good) was applied, and the cursor is
  // page 1's.
  CHECK(p.Cursor() == "e1.100");
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(100));

  // The app is updated (the op is one it knows): the next sync starts after page 1 and gets
  // every op after it, once.
  p.w.hub.log[249].op = known;
  p.w.hub.on_request = {};
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync();
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  REQUIRE_FALSE(p.Pulls().empty());
  CHECK(p.Pulls().front().first == "e1.100");
  CHECK(again.pulled == p.ops - 100);
  p.CheckConverged();
}

TEST_CASE(
    "Client: cancelling while the next page is fetched passes the cancel on to the transfer, and "
    "the next sync resumes") {
  PullWorld p;
  std::atomic<bool> cancel{false};
  std::atomic<int64_t> waited_ms{-1};
  // The person cancels while page 3 is on the wire; the transfer ends when the engine passes
  // the cancel on to it (as libcurl's progress callback would see it).
  p.w.hub.on_send = [&](const HttpRequest& r, const std::atomic<bool>* engine_cancel) {
    if (!Contains(r.url, "after=e1.200&")) return false;
    cancel = true;
    const auto start = std::chrono::steady_clock::now();
    auto waited = [&] { return std::chrono::steady_clock::now() - start; };
    while (!(engine_cancel && engine_cancel->load()) && waited() < std::chrono::seconds(5))
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (engine_cancel && engine_cancel->load())
      waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(waited()).count();
    return true;
  };
  SyncResult r = p.b.engine->Sync({}, &cancel);
  CHECK(r.failure == SyncFailure::kCancelled);
  CHECK(waited_ms >= 0);  // the transfer saw the cancel (it gives up waiting after 5 s)
  // Pages 1 and 2 were fetched before the cancel; the cancel is seen between groups, so page 1
  // alone, or both, were applied, with their cursor; nothing after them.
  CHECK((r.pulled == 100 || r.pulled == 200));
  const std::string cursor = "e1." + std::to_string(r.pulled);
  CHECK(p.Cursor() == cursor);
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(r.pulled));

  cancel = false;
  p.w.hub.on_send = {};
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync({}, &cancel);
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  CHECK(p.Pulls().front().first == cursor);
  CHECK(again.pulled == p.ops - r.pulled);
  p.CheckConverged();
}

TEST_CASE("Client: a link cut while the next page is fetched is retried with a smaller page") {
  PullWorld p;
  // The reply to page 3's first request is lost.
  bool cut = false;
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (cut || !Contains(r.url, "after=e1.200&")) return;
    cut = true;
    p.w.hub.drop_after = 1;
  };
  SyncResult r = p.b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pulled == p.ops);
  CHECK(p.b.waits.size() == 1);
  const auto pulls = p.Pulls();
  REQUIRE(pulls.size() >= 5);
  CHECK(pulls[2] == std::pair<std::string, int>("e1.200", 100));
  CHECK(pulls[3] == std::pair<std::string, int>("e1.200", 50));
  CHECK(pulls[4] == std::pair<std::string, int>("e1.250", 100));
  p.CheckConverged();
}

TEST_CASE(
    "Client: a dead link while the next page is fetched keeps the pages applied, and the next sync "
    "resumes") {
  PullWorld p;
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.200&") && p.w.hub.drop_before == 0) p.w.hub.drop_before = 1000;
  };
  SyncResult r = p.b.engine->Sync();
  CHECK(r.failure == SyncFailure::kNetwork);
  CHECK(r.pulled == 200);
  CHECK(p.Cursor() == "e1.200");
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(200));

  p.w.hub.on_request = {};
  p.w.hub.drop_before = 0;
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync();
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  CHECK(p.Pulls().front().first == "e1.200");
  CHECK(again.pulled == p.ops - 200);
  p.CheckConverged();
}

TEST_CASE(
    "Client: a 410 for the page fetched ahead downloads the commune again after the pages "
    "applied") {
  PullWorld p;
  // The hub rebuilds its log while page 2 is applied: page 3's cursor is no longer served.
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.200&")) p.w.hub.epoch = 2;
  };
  SyncResult r = p.b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pulled == 200 + p.ops);  // pages 1–2, then everything again (merging is idempotent)
  const auto pulls = p.Pulls();
  REQUIRE(pulls.size() >= 5);
  CHECK(pulls[0].first == "e1.0");  // B enrolled when the log was empty
  CHECK(pulls[1].first == "e1.100");
  CHECK(pulls[2].first == "e1.200");
  CHECK(pulls[3].first.empty());
  CHECK(pulls[4].first == "e2.100");
  CHECK(p.Cursor().rfind("e2.", 0) == 0);
  p.CheckConverged();
}

TEST_CASE("Client: a revoked token or another protocol version says what to do") {
  World w(1);
  w.Enroll(w.a, "Laptop A");
  w.hub.tokens.clear();
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kUnauthorized);
  CHECK(Contains(r.error.message(), "đăng ký lại"));

  w.hub.versions = {3};
  SyncResult v = w.a.engine->Sync();
  CHECK(v.failure == SyncFailure::kProtocolMismatch);
  CHECK(Contains(v.error.message(), "Cập nhật Gõ Cửa"));
  CHECK(Contains(v.error.message(), "máy này: 1, 2; máy chủ: 3"));

  w.hub.versions = {1};
  w.hub.statuses = {404};
  SyncResult nf = w.a.engine->Sync();
  CHECK(nf.failure == SyncFailure::kRejected);
}

}  // namespace
}  // namespace gocua::client
