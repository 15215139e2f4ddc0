// The sync engine against the real gocua-hub process on loopback: two laptops converging, a link
// that cuts and replays connections, and the libcurl transport's refused and stalled links.
// (The engine against an in-memory hub is client_test.cpp.)
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
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
#include "tests/support/net.h"

extern char** environ;

namespace gocua::client {
namespace {

using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;
using testing::AddHouseholds;
using testing::Contains;

// A commune with a village and a member on `hub` (its admin commands); returns its id.
std::string SetUpCommune(test::HubProcess& hub) {
  const nlohmann::json commune =
      hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"});
  REQUIRE(commune.is_object());
  const std::string id = commune["id"];
  hub.Ok({"village", "add", "--commune", id, "Thôn", "Đông"});
  hub.Ok({"member", "add", "--commune", id, "--name", "Trần Thị Mai", "--role", "member", "--pin",
          "1234"});
  return id;
}

std::string Code(test::HubProcess& hub, const std::string& commune_id) {
  return hub.Ok({"enroll-code", "--commune", commune_id});
}

// A laptop syncing over libcurl on the system clock (the hub runs on the real one). Retries
// do not wait.
struct Laptop {
  TempDir dir;
  SystemClock clock;
  std::unique_ptr<Database> db = OpenOrDie(dir.File("gocua.db"), clock);
  CurlTransport transport;
  SyncEngine engine;

  explicit Laptop(SyncOptions options = {})
      : engine(*db, transport, clock, WithoutWaits(std::move(options))) {}
  static SyncOptions WithoutWaits(SyncOptions o) {
    o.sleep = [](int64_t, const std::atomic<bool>*) {};
    return o;
  }
  std::string Export() {
    auto e = ExportCanonicalJson(*db);
    REQUIRE(e.ok());
    std::string text = *e;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
  int64_t Pending() { return *ChangeLog(*db).PendingCount(); }
  int64_t HouseholdCount() { return *Households(*db).Count(); }
  std::string VillageId() {
    auto v = Places(*db).Villages();
    REQUIRE(v.ok());
    REQUIRE(v->size() == 1);
    CHECK(v->front().name == "Thôn Đông");
    return v->front().id;
  }
};

TEST_CASE("Client: two laptops enroll, sync and converge through the real hub") {
  test::HubProcess hub;
  const std::string commune = SetUpCommune(hub);
  hub.Start();

  Laptop a;
  EnrollResult ea = a.engine.Enroll(hub.url(), Code(hub, commune), "Laptop A");
  REQUIRE_MESSAGE(ea.ok(), ea.sync.error.message());
  CHECK(ea.commune_id == commune);
  CHECK(ea.sync.pulled >= 3);  // the commune, its village, its member
  AddHouseholds(*a.db, a.VillageId(), 30);
  const int64_t pending = a.Pending();
  SyncResult ra = a.engine.Sync();
  REQUIRE_MESSAGE(ra.ok(), ra.error.message());
  CHECK(ra.pushed == pending);
  CHECK(ra.quarantined == 0);
  CHECK(ra.conflicts == 0);
  CHECK(a.Pending() == 0);

  Laptop b;
  EnrollResult eb = b.engine.Enroll(hub.url() + "/", Code(hub, commune), "Laptop B");
  REQUIRE_MESSAGE(eb.ok(), eb.sync.error.message());
  CHECK(b.HouseholdCount() == 30);
  CHECK(a.Export() == b.Export());
  CHECK(hub.Export() == a.Export());

  // Both edit one field offline: the hub flags a conflict and every replica keeps one winner.
  auto list = Households(*a.db).List({});
  REQUIRE(list.ok());
  Household on_a = list->front();
  auto got = Households(*b.db).Get(on_a.id);
  REQUIRE(got.ok());
  Household on_b = *got;
  on_a.phone = "0911111111";
  REQUIRE(Households(*a.db).Update(on_a).ok());
  on_b.phone = "0922222222";
  REQUIRE(Households(*b.db).Update(on_b).ok());
  REQUIRE(a.engine.Sync().ok());
  SyncResult rb = b.engine.Sync();
  REQUIRE_MESSAGE(rb.ok(), rb.error.message());
  CHECK(rb.conflicts == 1);
  SyncResult ra2 = a.engine.Sync();
  REQUIRE_MESSAGE(ra2.ok(), ra2.error.message());
  CHECK(ra2.pulled >= 1);
  CHECK(Households(*a.db).Get(on_a.id)->phone == Households(*b.db).Get(on_a.id)->phone);
  CHECK(a.Export() == b.Export());
  CHECK(hub.Export() == a.Export());
  auto conflicts = hub.Json({"conflicts"});
  REQUIRE(conflicts.is_array());
  CHECK(conflicts.size() == 1);

  // A revoked device is told to enroll again; its outbox stays.
  hub.Ok({"revoke", b.db->device_id()});
  on_b.phone = "0933333333";
  REQUIRE(Households(*b.db).Update(on_b).ok());
  SyncResult revoked = b.engine.Sync();
  CHECK(revoked.failure == SyncFailure::kUnauthorized);
  CHECK(b.Pending() == 1);
}

TEST_CASE("Client: through a link that cuts and replays connections, every op lands once") {
  test::HubProcess hub;
  const std::string commune = SetUpCommune(hub);
  hub.Start();
  test::FaultProxy proxy(hub.port(), {});
  REQUIRE(proxy.port() > 0);
  const std::string via_proxy = "http://127.0.0.1:" + std::to_string(proxy.port());

  Laptop a;
  EnrollResult e = a.engine.Enroll(via_proxy, Code(hub, commune), "Laptop A");
  REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
  const std::string village = a.VillageId();

  // Rounds of edits, each synced by a fresh transport (as after a laptop wakes up): libcurl
  // keeps a connection open, and the proxy draws its faults per connection.
  proxy.SetFaults(
      {.cut_probability = 0.7, .replay_probability = 0.5, .seed = 7, .cut_window_bytes = 4096});
  int64_t made = 0, pushed = 0;
  int rounds = 0;
  // At least 6 rounds, and more (up to 20) until the proxy has replayed a request: how many
  // connections a round makes depends on timing (fewer under Wine), and the faults are drawn
  // per connection.
  for (int round = 0; round < 6 || (proxy.stats().replayed == 0 && round < 20); ++round) {
    ++rounds;
    AddHouseholds(*a.db, village, 40);
    made += a.Pending();
    CurlTransport link;
    SyncEngine engine(*a.db, link, a.clock, Laptop::WithoutWaits({.max_attempts = 3}));
    SyncResult r;
    for (int run = 0; run < 30; ++run) {
      r = engine.Sync();
      pushed += r.pushed;
      if (r.ok()) break;
      INFO("round " << round << ", run " << run << ": " << r.error.message());
      REQUIRE((r.failure == SyncFailure::kNetwork || r.failure == SyncFailure::kHubFailing));
    }
    REQUIRE_MESSAGE(r.ok(), r.error.message());
    CHECK(a.Pending() == 0);  // the outbox drained (liveness)
  }
  CHECK(pushed == made);  // each op acknowledged exactly once
  const test::FaultProxy::Stats stats = proxy.stats();
  INFO("connections " << stats.connections << ", cut " << stats.cut << ", replayed "
                      << stats.replayed);
  CHECK(stats.cut > 0);
  CHECK(stats.replayed > 0);

  // A second laptop on a clean link sees exactly the same records; so does the hub.
  Laptop b;
  EnrollResult eb = b.engine.Enroll(hub.url(), Code(hub, commune), "Laptop B");
  REQUIRE_MESSAGE(eb.ok(), eb.sync.error.message());
  CHECK(b.HouseholdCount() == 40 * rounds);  // every round's households, none twice
  proxy.SetFaults({});
  REQUIRE(a.engine.Sync().ok());
  CHECK(a.Export() == b.Export());
  CHECK(hub.Export() == b.Export());
}

TEST_CASE("Client: the libcurl transport reports a refused connection and cancels a stall") {
  // A port nobody listens on.
  namespace net = test::net;
  const int probe = net::Socket();
  REQUIRE(probe >= 0);
  const int closed_port = net::BindLoopback(probe);
  REQUIRE(closed_port > 0);
  net::Close(probe);
  CurlTransport transport;
  auto refused = transport.Send(
      {HttpRequest::Method::kGet, "http://127.0.0.1:" + std::to_string(closed_port) + "/healthz"},
      nullptr);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kIo);
  CHECK(Contains(refused.error().message(), "Không kết nối được"));

  // A server that accepts the connection and never answers: cancelling aborts the wait.
  const int silent = net::Socket();
  REQUIRE(silent >= 0);
  const int silent_port = net::BindLoopback(silent);
  REQUIRE(silent_port > 0);
  REQUIRE(net::Listen(silent, 4) == 0);
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  const auto start = std::chrono::steady_clock::now();
  auto stalled =
      transport.Send({HttpRequest::Method::kPost,
                      "http://127.0.0.1:" + std::to_string(silent_port) + "/v1/push",
                      "token", std::string(10000, 'x'), true},
                     &cancel);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  canceller.join();
  net::Close(silent);
  REQUIRE_FALSE(stalled.ok());
  CHECK(Contains(stalled.error().message(), "huỷ"));
  CHECK(seconds < 5);

  // A reply cut inside its headers, or inside its body, is a cut link, not an empty answer
  // (libcurl itself reports success for the first).
  for (const std::string reply :
       {"HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"results\": ["}) {
    CAPTURE(reply);
    const int server = net::Socket();
    REQUIRE(server >= 0);
    const int server_port = net::BindLoopback(server);
    REQUIRE(server_port > 0);
    REQUIRE(net::Listen(server, 4) == 0);
    std::thread serve([&] {
      const int c = net::Accept(server);
      if (c < 0) return;
      char buf[4096];
      (void)net::Recv(c, buf, sizeof buf);  // the request's head
      (void)net::Send(c, reply.data(), reply.size());
      net::Close(c);
    });
    CurlTransport fresh;
    auto cut = fresh.Send({HttpRequest::Method::kGet,
                           "http://127.0.0.1:" + std::to_string(server_port) + "/healthz"},
                          nullptr);
    serve.join();
    net::Close(server);
    REQUIRE_FALSE(cut.ok());
    CHECK(Contains(cut.error().message(), "ngắt giữa chừng"));
  }
}

}  // namespace
}  // namespace gocua::client
