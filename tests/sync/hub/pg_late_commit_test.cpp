// The pull cursor never skips an op that commits late (sync/hub/store/postgresql/pg_log.h):
// two gocua-hub processes on one PostgreSQL database; a slow writer's push waits inside its
// transaction (its device row is held locked by the test) while a fast writer's push through
// the other hub commits and a puller pulls past it. Once the slow push commits, the puller's
// next pull must bring it: every op pulled exactly once, the puller equal to the hub.
#include <doctest/doctest.h>

#include <string>
#include <thread>

#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

TEST_CASE("PostgreSQL hubs: a push that commits late is pulled, never skipped by the cursor") {
  test::TwoPgHubs hubs;
  const std::string& uri = hubs.uri;
  SyncFixture& f = hubs.f;
  test::HubProcess& other = hubs.other;
  SyncDevice& slow = f.AddDevice();
  SyncDevice& fast = f.AddDevice({}, other.url());
  SyncDevice& puller = f.AddDevice();
  const int64_t pulled_before = puller.pulled_total();
  int counter = 0;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    INFO("round ", round);
    // The slow writer goes through one hub, the fast writer and the puller through the other,
    // alternating (the same hub would do too: pg_pool_test.cpp).
    const std::string slow_hub = round % 2 ? other.url() : f.hub.url();
    const std::string free_hub = round % 2 ? f.hub.url() : other.url();
    slow.SetHubUrl(slow_hub);
    fast.SetHubUrl(free_hub);
    puller.SetHubUrl(free_hub);
    test::DeviceRowLock lock(uri, slow.id());
    test::AddNamedHouseholds(slow, f.village_id, 5, &counter);
    client::SyncResult slow_result;
    std::thread slow_sync([&] { slow_result = slow.Sync(); });
    lock.WaitForWaiter();  // the slow push has applied its ops and waits to commit
    test::AddNamedHouseholds(fast, f.village_id, 5, &counter);
    const client::SyncResult fast_result = fast.Sync();
    // The puller pulls the fast writer's ops while the slow push is open.
    const client::SyncResult early = puller.Sync();
    lock.Release();
    slow_sync.join();
    CHECK(fast_result.ok());
    CHECK(early.ok());
    REQUIRE_MESSAGE(slow_result.ok(), slow_result.error.message());
    CHECK(early.pulled >= fast_result.pushed);
    const client::SyncResult late = puller.Sync();
    REQUIRE(late.ok());
  }
  // Every op of both writers reached the puller once: no fewer (a skipped late commit), no
  // more (one pulled twice).
  CHECK(slow.LastSeq() == kRounds * 40);
  CHECK(fast.LastSeq() == kRounds * 40);
  CHECK(puller.pulled_total() - pulled_before == slow.LastSeq() + fast.LastSeq());
  for (SyncDevice* d : {&slow, &fast}) REQUIRE(d->Sync().ok());
  f.CheckAllExportsEqualHub();
  CHECK(other.Export() == f.hub.Export());
}

}  // namespace
}  // namespace gocua
