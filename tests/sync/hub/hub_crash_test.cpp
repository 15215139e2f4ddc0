// kill -9 of the hub in the middle of a push, twenty times: a laptop with thousands of
// unsent ops pushes while another pulls, the test kills the hub a random few milliseconds
// into a push batch, checks the hub's database file, restarts the hub on the same data folder
// (on a new port; the laptops are pointed at it) and goes on. At the end nothing may be lost
// or applied twice, and every replica must equal the hub.
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

TEST_CASE_TEMPLATE("Sync: the hub killed 20 times in the middle of a push batch loses and doubles nothing", Store,
                   GOCUA_HUB_PROCESS_STORES) {
  const uint64_t seed = test::TestSeed("hub crash");
  std::mt19937_64 rng(seed);

  SyncFixture f(Store::Make());
  f.hub.Start();
  SyncDevice& writer = f.AddDevice({.sync = test::FastSyncOptions(3)});
  SyncDevice& reader = f.AddDevice({.sync = test::FastSyncOptions(3)});

  int counter = 0;
  std::set<std::string> made;
  for (const std::string& id : AddHouseholds(writer, f.village_id, 150, &counter)) made.insert(id);

  // How far the hub has got with the writer's ops, read from its file while it runs.
  const std::string acked_sql =
      "SELECT COALESCE(max(max_seq), 0) FROM hub_origins WHERE origin_device = '" + writer.id() +
      "'";
  int kills = 0, attempts = 0, in_doubt = 0;
  int64_t hub_acked_before = 0;
  while (kills < kKills && attempts < 5 * kKills) {
    ++attempts;
    CAPTURE(attempts);
    for (const std::string& id : AddHouseholds(writer, f.village_id, 10, &counter)) made.insert(id);
    REQUIRE(writer.Pending() >= 80);

    // The writer pushes; the reader pulls meanwhile, over and over.
    std::atomic<bool> stop_reader{false};
    client::SyncResult wrote, read;
    std::thread writer_thread([&] { wrote = writer.Sync(); });
    std::thread reader_thread([&] {
      while (!stop_reader.load()) {
        read = reader.Sync();
        if (!GaveUpForNow(read)) return;
      }
    });
    // Should a check below throw, the threads still end (the kill cuts their syncs short).
    struct Join {
      test::HubProcess& hub;
      std::atomic<bool>& stop;
      std::thread& a;
      std::thread& b;
      ~Join() {
        if (!a.joinable() && !b.joinable()) return;  // joined below, as planned
        hub.Signal(SIGKILL);
        stop.store(true);
        for (std::thread* t : {&a, &b})
          if (t->joinable()) t->join();
      }
    } join{f.hub, stop_reader, writer_thread, reader_thread};
    // Wait until a push is on the wire. Then, every other time, kill a random moment into it
    // (while the hub reads, applies or commits the batch); otherwise kill just after the hub
    // committed a batch, before the writer has read the reply.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!writer.link().push_in_flight() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (attempts % 2 == 1) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
    } else {
      test::HubDbReader hub_db(f.hub);
      const int64_t before = hub_db.Int(acked_sql);
      while (hub_db.Int(acked_sql) == before && writer.link().push_in_flight() &&
             std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
    const bool mid_push = writer.link().push_in_flight();
    f.hub.Signal(SIGKILL);
    writer_thread.join();
    stop_reader.store(true);
    reader_thread.join();
    CHECK(f.hub.Kill() == 128 + SIGKILL);
    INFO("writer: ", client::FailureName(wrote.failure), " ", wrote.error.message());
    INFO("reader: ", client::FailureName(read.failure), " ", read.error.message());
    REQUIRE(GaveUpForNow(wrote));
    REQUIRE(GaveUpForNow(read));
    if (mid_push) ++kills;

    // The hub's file survived, and holds at least what it acknowledged to the writer — maybe
    // more: a batch committed whose reply the kill swallowed.
    {
      test::HubDbReader hub_db(f.hub);
      REQUIRE(hub_db.IntegrityCheck() == "ok");
      const int64_t hub_acked = hub_db.Int(acked_sql);
      const int64_t device_acked = writer.LastSeq() - writer.Pending();
      CHECK(hub_acked >= device_acked);
      CHECK(hub_acked >= hub_acked_before);
      if (hub_acked > device_acked) ++in_doubt;
      hub_acked_before = hub_acked;
    }
    f.hub.Start();
    writer.SetHubUrl(f.hub.url());
    reader.SetHubUrl(f.hub.url());
  }
  MESSAGE(kills << " kills mid-push in " << attempts << " tries; " << in_doubt
                << " left a committed batch unacknowledged; writer pushed " << writer.pushed_total()
                << " of " << writer.LastSeq() << " ops so far");
  REQUIRE(kills == kKills);
  // Half the kills aimed just after a commit: the resent batches must have been deduplicated.
  CHECK(in_doubt >= kKills / 4);

  // Up again for good: everything drains, nothing is lost or doubled.
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
