// The pull cursor never skips an op that commits late (sync/hub/store/postgresql/pg_log.h):
// two gocua-hub processes on one PostgreSQL database; a slow writer's push waits inside its
// transaction (its device row is held locked by the test) while a fast writer's push through
// the other hub commits and a puller pulls past it. Once the slow push commits, the puller's
// next pull must bring it: every op pulled exactly once, the puller equal to the hub.
#include <doctest/doctest.h>

#include <string>
#include <thread>
#include <vector>

#include "storage/device/households.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

// `n` new households on `device` in one transaction (8 ops each).
void AddHouseholds(SyncDevice& device, const std::string& village, int n, int* counter) {
  std::vector<Household> hs;
  for (int i = 0; i < n; ++i) {
    ++*counter;
    Household h;
    h.village_id = village;
    h.head_name = "Phạm Văn Đồng " + std::to_string(*counter);
    h.address = "Xóm " + std::to_string(*counter % 30);
    h.phone = "09" + std::to_string(30000000 + *counter);
    h.members_count = 4;
    h.working_age_count = 2;
    h.smartphones = 1;
    hs.push_back(h);
  }
  auto ids = Households(device.db()).AddAll(hs);
  REQUIRE_MESSAGE(ids.ok(), ids.error().message());
}

TEST_CASE("PostgreSQL hubs: a push that commits late is pulled, never skipped by the cursor") {
  const std::string uri = test::NewHubDatabase();
  SyncFixture f(uri);
  f.hub.Start();
  test::HubProcess other;
  other.UseStore(uri);
  other.Start();
  SyncDevice& slow = f.AddDevice();
  SyncDevice& fast = f.AddDevice({}, other.url());
  SyncDevice& puller = f.AddDevice();
  const int64_t pulled_before = puller.pulled_total();
  int counter = 0;
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    INFO("round ", round);
    // The slow writer goes through one hub, the fast writer and the puller through the other
    // (a hub serves one request at a time: the open push holds its hub), alternating.
    const std::string slow_hub = round % 2 ? other.url() : f.hub.url();
    const std::string free_hub = round % 2 ? f.hub.url() : other.url();
    slow.SetHubUrl(slow_hub);
    fast.SetHubUrl(free_hub);
    puller.SetHubUrl(free_hub);
    test::DeviceRowLock lock(uri, slow.id());
    AddHouseholds(slow, f.village_id, 5, &counter);
    client::SyncResult slow_result;
    std::thread slow_sync([&] { slow_result = slow.Sync(); });
    lock.WaitForWaiter();  // the slow push has applied its ops and waits to commit
    AddHouseholds(fast, f.village_id, 5, &counter);
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
