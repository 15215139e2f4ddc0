// The PostgreSQL store's connection pool (sync/hub/store/postgresql/pg_pool.h): a hub on
// PostgreSQL serves requests side by side. The test holds one laptop's device row locked from
// its own connection, so that laptop's push waits inside the store with its transaction open;
// another laptop's sync and /healthz on the SAME hub must still be answered meanwhile. With one
// connection (or one mutex) for the whole hub they wait for the push: the test gives them
// 60 s and counts that as a failure, not a measure of speed.
#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

TEST_CASE(
    "PostgreSQL hub: a push waiting inside the store does not hold up another laptop's "
    "sync or /healthz on the same hub") {
  const std::string uri = test::NewHubDatabase();
  SyncFixture f(uri);
  f.hub.Start();
  SyncDevice& pusher = f.AddDevice();
  SyncDevice& puller = f.AddDevice();
  int counter = 0;
  test::AddNamedHouseholds(pusher, f.village_id, 2, &counter);
  REQUIRE(pusher.Sync().ok());
  REQUIRE(puller.Sync().ok());

  test::AddNamedHouseholds(pusher, f.village_id, 5, &counter);  // 40 ops
  test::DeviceRowLock lock(uri, pusher.id());
  client::SyncResult pushed;
  std::thread push([&] { pushed = pusher.Sync(); });
  lock.WaitForWaiter();  // the push has applied its ops and waits on the locked row

  auto synced = std::async(std::launch::async, [&] { return puller.Sync(); });
  auto health = std::async(std::launch::async,
                           [&] { return hub_http::Http(f.hub.port(), "GET", "/healthz"); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const bool sync_answered = synced.wait_until(deadline) == std::future_status::ready;
  const bool health_answered = health.wait_until(deadline) == std::future_status::ready;
  lock.Release();
  push.join();
  CHECK_MESSAGE(sync_answered, "the pull waited for another laptop's push: one request at a time");
  CHECK_MESSAGE(health_answered, "/healthz waited for a push: one request at a time");
  const client::SyncResult early = synced.get();
  INFO(client::FailureName(early.failure), " ", early.error.message());
  CHECK(early.ok());
  CHECK(early.pulled == 0);  // the held push is not committed: nothing of it is served
  CHECK(health.get().status == 200);

  // Released, the push commits and the other laptop pulls all of it, once.
  REQUIRE_MESSAGE(pushed.ok(), pushed.error.message());
  CHECK(pushed.pushed == 40);
  const client::SyncResult late = puller.Sync();
  REQUIRE(late.ok());
  CHECK(late.pulled == 40);
  f.CheckAllExportsEqualHub();
}

TEST_CASE("PostgreSQL hub: serve refuses a --pg-connections that is not 1 to 256") {
  test::HubProcess hub;
  hub.UseStore(test::NewHubDatabase());
  for (const char* n : {"0", "257", "many"}) {
    const test::ProcessResult r =
        hub.Run({"serve", "--listen", "127.0.0.1:0", "--pg-connections", n});
    INFO(n, ": ", r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("--pg-connections takes a whole number from 1 to 256") != std::string::npos);
  }
}

}  // namespace
}  // namespace gocua
