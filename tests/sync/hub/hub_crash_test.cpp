// kill -9 of the hub in the middle of a push, twenty times: a laptop with thousands of
// unsent ops pushes through a proxy that kills the hub at a chosen point of a push request
// (push_kill_proxy.h: while the hub reads the body, after the whole request, after the hub
// answered but before the laptop has the reply, after the laptop has the reply), while another
// laptop pulls straight from the hub. Each kill lands in a push by construction, whatever the
// machine's load. After each, the test checks the hub's database file, restarts the hub on the
// same data folder (on a new port; the proxy and the reader are pointed at it) and goes on. At
// the end nothing may be lost or applied twice, and every replica must equal the hub.
#include <doctest/doctest.h>

#include <atomic>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/device/households.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"
#include "tests/sync/hub/push_kill_proxy.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

constexpr int kKills = 20;

// Households for `device`, added in one transaction (8 ops each); returns their ids.
std::vector<std::string> AddHouseholds(SyncDevice& device, const std::string& village, int n,
                                       int* counter) {
  std::vector<Household> hs;
  for (int i = 0; i < n; ++i) {
    ++*counter;
    Household h;
    h.village_id = village;
    h.head_name = "Võ Thị Sáu " + std::to_string(*counter);
    h.address = "Tổ " + std::to_string(*counter % 40);
    h.phone = "09" + std::to_string(20000000 + *counter);
    h.members_count = 5;
    h.working_age_count = 3;
    h.smartphones = 2;
    h.home_internet = true;
    hs.push_back(h);
  }
  auto ids = Households(device.db()).AddAll(hs);
  REQUIRE_MESSAGE(ids.ok(), ids.error().message());
  return *ids;
}

bool GaveUpForNow(const client::SyncResult& r) {
  return r.ok() || r.failure == client::SyncFailure::kNetwork ||
         r.failure == client::SyncFailure::kHubFailing;
}

using Point = test::PushKillProxy::Point;

TEST_CASE_TEMPLATE(
    "Sync: the hub killed 20 times in the middle of a push batch loses and doubles nothing", Store,
    GOCUA_HUB_PROCESS_STORES) {
  const uint64_t seed = test::TestSeed("hub crash");
  std::mt19937_64 rng(seed);

  SyncFixture f(Store::Make());
  f.hub.Start();
  SyncDevice& writer = f.AddDevice({.sync = test::FastSyncOptions(3)});
  SyncDevice& reader = f.AddDevice({.sync = test::FastSyncOptions(3)});
  test::PushKillProxy proxy(f.hub.port(), [&f] { f.hub.Signal(SIGKILL); });
  writer.SetHubUrl(proxy.url());

  int counter = 0;
  std::set<std::string> made;
  for (const std::string& id : AddHouseholds(writer, f.village_id, 150, &counter)) made.insert(id);

  // How far the hub has got with the writer's ops, read from its file.
  const std::string acked_sql =
      "SELECT COALESCE(max(max_seq), 0) FROM hub_origins WHERE origin_device = '" + writer.id() +
      "'";
  constexpr Point kPoints[] = {Point::kBody, Point::kSent, Point::kAnswered, Point::kDelivered};
  int kills = 0, in_doubt = 0;
  int64_t hub_acked_before = 0;
  for (int attempt = 0; attempt < kKills; ++attempt) {
    const Point point = kPoints[attempt % 4];
    CAPTURE(attempt);
    INFO("kill point: ", std::string(test::PushKillProxy::PointName(point)));
    for (const std::string& id : AddHouseholds(writer, f.village_id, 10, &counter)) made.insert(id);
    REQUIRE(writer.Pending() >= 80);
    const int64_t device_acked_before = writer.LastSeq() - writer.Pending();

    // The writer pushes through the proxy, which kills the hub in its first push; the reader
    // pulls meanwhile, over and over, until the hub is gone.
    proxy.Arm(point, rng());
    std::atomic<bool> stop_reader{false};
    client::SyncResult wrote, read;
    std::thread reader_thread([&] {
      while (!stop_reader.load()) {
        read = reader.Sync();
        if (!GaveUpForNow(read)) return;
      }
    });
    wrote = writer.Sync();
    f.hub.Signal(SIGKILL);  // should the writer not have pushed, the reader still ends
    stop_reader.store(true);
    reader_thread.join();
    CHECK(f.hub.Kill() == 128 + SIGKILL);
    INFO("writer: ", client::FailureName(wrote.failure), " ", wrote.error.message());
    INFO("reader: ", client::FailureName(read.failure), " ", read.error.message());
    REQUIRE(proxy.kills() == ++kills);  // the hub died in this push, where the proxy put it
    const test::PushKillProxy::Kill kill = proxy.last_kill();
    REQUIRE(kill.point == point);
    REQUIRE_FALSE(wrote.ok());  // the writer's sync ran into the dead hub
    REQUIRE(GaveUpForNow(wrote));
    REQUIRE(GaveUpForNow(read));
    if (point == Point::kBody) CHECK(kill.body_forwarded < kill.body_bytes);

    // The hub's file survived, and holds at least what it acknowledged to the writer — maybe
    // more: a batch committed whose reply the kill swallowed.
    {
      test::HubDbReader hub_db(f.hub);
      REQUIRE(hub_db.IntegrityCheck() == "ok");
      const int64_t hub_acked = hub_db.Int(acked_sql);
      const int64_t device_acked = writer.LastSeq() - writer.Pending();
      CHECK(hub_acked >= device_acked);
      CHECK(hub_acked >= hub_acked_before);
      switch (point) {
        case Point::kBody:  // the batch never arrived whole: nothing of it was applied
          CHECK(hub_acked == hub_acked_before);
          CHECK(device_acked == device_acked_before);
          break;
        case Point::kAnswered:  // committed, and the laptop never heard: the resend must dedupe
          CHECK(hub_acked > device_acked);
          break;
        case Point::kDelivered:  // the laptop forgot what the hub acknowledged
          CHECK(device_acked > device_acked_before);
          break;
        case Point::kSent:
          break;
      }
      if (hub_acked > device_acked) ++in_doubt;
      hub_acked_before = hub_acked;
    }
    f.hub.Start();
    proxy.SetTarget(f.hub.port());
    reader.SetHubUrl(f.hub.url());
  }
  MESSAGE(kills << " kills mid-push; " << in_doubt
                << " left a committed batch unacknowledged; writer pushed " << writer.pushed_total()
                << " of " << writer.LastSeq() << " ops so far");
  // A quarter of the kills came after a commit the laptop never heard of: their batches were
  // sent again and must have been deduplicated.
  CHECK(in_doubt >= kKills / 4);

  // Up again for good, straight to the hub: everything drains, nothing is lost or doubled.
  writer.SetHubUrl(f.hub.url());
  f.SyncUntilQuiet(rng);
  const std::string hub_export = f.CheckAllExportsEqualHub();
  const nlohmann::json records = test::ExportRecords(hub_export);
  std::set<std::string> on_hub;
  for (const auto& r : records["household"]) on_hub.insert(r["id"].get<std::string>());
  CHECK(records["household"].size() == made.size());
  CHECK(on_hub == made);
  CHECK(writer.pushed_total() == writer.LastSeq());  // each op acknowledged once
  {
    test::HubDbReader hub_db(f.hub);
    const std::string where = " FROM hub_ops WHERE origin_device = '" + writer.id() + "'";
    CHECK(hub_db.Int("SELECT count(*)" + where) == writer.LastSeq());
    CHECK(hub_db.Int("SELECT count(DISTINCT seq)" + where) == writer.LastSeq());
    CHECK(hub_db.Int("SELECT count(*) FROM hub_ops WHERE outcome <> 'applied'") == 0);
  }
  CHECK(f.hub.Json({"conflicts"}).empty());
  CHECK(f.hub.Json({"quarantine"}).empty());
  CHECK(f.hub.Stop() == 0);
  test::HubDbReader hub_db(f.hub);
  CHECK(hub_db.IntegrityCheck() == "ok");
}

}  // namespace
}  // namespace gocua
