// The hub's HTTP front against slow clients (issue 15, observation 6): sockets that send their
// headers a byte at a time, send a body a byte at a time, or sit idle, many more of them than
// the hub has worker threads; meanwhile a laptop's real sync (libcurl, the sync engine) against
// the real gocua-hub process must complete. No timing assertions: the only clock is a generous
// hang guard, which the sync engine's own libcurl limits would hit first on a stalled hub.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "storage/device/households.h"
#include "tests/support/sync_fixture.h"
#include "tests/sync/hub/http_attack.h"

namespace gocua {
namespace {

using http_attack::SlowSockets;

// Adds a household on `device` and syncs it once; REQUIREs that the sync completes and pushes
// it. Gives up (failing) after `guard`.
void SyncCompletes(test::SyncDevice& device, const std::string& village_id,
                   std::chrono::seconds guard = std::chrono::seconds(120)) {
  Household h;
  h.village_id = village_id;
  h.head_name = "Hộ đồng bộ giữa lúc mạng chậm";
  h.members_count = 3;
  REQUIRE(Households(device.db()).Add(h).ok());
  std::atomic<bool> cancel{false};
  auto sync = std::async(std::launch::async, [&] { return device.Sync({}, &cancel); });
  if (sync.wait_for(guard) != std::future_status::ready) cancel = true;
  const client::SyncResult r = sync.get();
  INFO("sync: ", r.error.message());
  REQUIRE(r.ok());
  CHECK(r.pushed > 0);
}

test::DeviceOptions OneAttempt() {
  test::DeviceOptions o;
  o.sync = test::FastSyncOptions(1);  // a stalled hub must fail the sync, not be retried away
  return o;
}

TEST_CASE("Hub HTTP: headers sent a byte at a time by many sockets do not stop a real sync") {
  test::SyncFixture f;
  f.hub.Start();
  test::SyncDevice& laptop = f.AddDevice(OneAttempt());
  // 40 sockets (5 times the old hub's 8 workers), from 127.0.0.1 like the laptop: under the
  // per-address cap, so they are served and kept waiting as long as the hub lets them.
  SlowSockets slow(SlowSockets::Kind::kSlowHeaders, 40, f.hub.port(), 0);
  while (!slow.all_open_once()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // they hold the hub, if anything can
  SyncCompletes(laptop, f.village_id);
  CHECK(f.hub.Export().find("Hộ đồng bộ giữa lúc mạng chậm") != std::string::npos);
  // ... and the hub ends them once their header deadline passes.
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (slow.closed_by_hub() < 40 && std::chrono::steady_clock::now() < guard)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(slow.closed_by_hub() >= 40);
}

TEST_CASE("Hub HTTP: bodies sent a byte at a time do not stop a real sync, and are cut with 408") {
  test::SyncFixture f;
  f.hub.Start();
  test::SyncDevice& laptop = f.AddDevice(OneAttempt());
  SlowSockets slow(SlowSockets::Kind::kSlowBody, 24, f.hub.port(), 0,
                   std::chrono::milliseconds(500));
  while (!slow.all_open_once()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  SyncCompletes(laptop, f.village_id);
  // A body under the minimum rate is answered 408 and closed.
  const auto guard = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (slow.replies(408) < 24 && std::chrono::steady_clock::now() < guard)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(slow.replies(408) >= 24);
  CHECK(f.hub.ServerLog().find("POST /v1/push 408") != std::string::npos);
}

TEST_CASE("Hub HTTP: 300 idle sockets do not delay a real sync or healthz") {
  test::SyncFixture f;
  f.hub.Start();
  test::SyncDevice& laptop = f.AddDevice(OneAttempt());
  // Each from its own address (127.1.0.1 ...), so that the per-address cap does not turn
  // them away: this is about capacity.
  SlowSockets idle(SlowSockets::Kind::kIdle, 300, f.hub.port(), 1);
  while (!idle.all_open_once()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::this_thread::sleep_for(std::chrono::seconds(2));
  SyncCompletes(laptop, f.village_id);
  client::CurlTransport curl;
  auto health = curl.Send(
      {client::HttpRequest::Method::kGet, f.hub.url() + "/healthz", "", "", false}, nullptr);
  REQUIRE(health.ok());
  CHECK(health->status == 200);
}

}  // namespace
}  // namespace gocua
