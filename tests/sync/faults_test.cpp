// A bad rural link: four laptops reach the real hub only through FaultProxy, which cuts
// connections a few hundred bytes in, delays chunks and replays whole requests to the hub.
// Two hundred syncs with writes in between, then a clean link: nothing may be lost, nothing
// applied twice, no outbox left stuck, and every replica must equal the hub.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

constexpr int kDevices = 4;
constexpr int kRounds = 200;

TEST_CASE_TEMPLATE("Sync: through a link that cuts, delays and replays, nothing is lost or doubled", Store,
                   GOCUA_HUB_PROCESS_STORES) {
  const uint64_t seed = test::TestSeed("faults");
  std::mt19937_64 rng(seed);
  auto below = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };

  SyncFixture f(Store::Make());
  f.hub.Start();
  test::FaultProxy proxy(f.hub.port(), {});
  REQUIRE(proxy.port() > 0);
  const std::string via_proxy = "http://127.0.0.1:" + std::to_string(proxy.port());
  // Enrolled over a clean link (enrolling through replays is the next test's subject); every
  // later request goes through the faults.
  for (int i = 0; i < kDevices; ++i) f.AddDevice({}, via_proxy);
  std::vector<SyncDevice*> dev;
  for (auto& d : f.devices) dev.push_back(d.get());

  proxy.SetFaults({.cut_probability = 0.3,
                   .max_delay_ms = 3,
                   .replay_probability = 0.3,
                   .seed = seed,
                   .cut_window_bytes = 300});

  std::map<std::string, std::string> household_of;  // every person made → its household
  std::set<std::string> households;                 // every household made
  std::vector<std::vector<std::string>> own(kDevices);
  std::map<client::SyncFailure, int> failures;
  int counter = 0, ok_runs = 0;
  for (int round = 0; round < kRounds; ++round) {
    const size_t di = below(kDevices);
    SyncDevice& d = *dev[di];
    for (size_t w = 0, writes = 1 + below(2); w < writes; ++w) {
      ++counter;
      const size_t kind = below(10);
      if (kind < 5 || own[di].empty()) {
        Household h;
        h.village_id = f.village_id;
        h.head_name = "Phạm Văn Bình " + std::to_string(counter);
        h.phone = "09" + std::to_string(10000000 + counter);
        h.members_count = 3;
        auto added = Households(d.db()).Add(h);
        REQUIRE_MESSAGE(added.ok(), added.error().message());
        households.insert(added->id);
        own[di].push_back(added->id);
      } else if (kind < 8) {
        // A person in any household this laptop has (its own or pulled): a new record, so
        // never a conflict, whoever made the household.
        auto list = Households(d.db()).List({.limit = 1000});
        REQUIRE(list.ok());
        const std::string hh = (*list)[below(list->size())].id;
        Person p;
        p.household_id = hh;
        p.name = "Đỗ Thị Lan " + std::to_string(counter);
        p.birth_year = 1960 + static_cast<int>(below(50));
        p.sex = "female";
        auto added = Persons(d.db()).Add(p);
        REQUIRE_MESSAGE(added.ok(), added.error().message());
        household_of[added->id] = hh;
      } else {  // an edit of an own household: one op
        Households hs(d.db());
        auto h = hs.Get(own[di][below(own[di].size())]);
        REQUIRE(h.ok());
        Household edited = *h;
        edited.address = "Ngõ " + std::to_string(counter);
        REQUIRE(hs.Update(edited).ok());
      }
    }
    d.NewLink();  // a new connection, with faults drawn afresh
    client::SyncResult r = d.Sync();
    if (r.ok()) {
      ++ok_runs;
      continue;
    }
    ++failures[r.failure];
    INFO("round ", round, ", ", d.name(), ": ", client::FailureName(r.failure), ": ",
         r.error.message(), "\nlast exchange: ", d.link().last_exchange());
    // A bad link may only ever make a sync give up for now; never a refusal or a broken reply.
    REQUIRE((r.failure == client::SyncFailure::kNetwork ||
             r.failure == client::SyncFailure::kHubFailing));
  }
  const test::FaultProxy::Stats faulty = proxy.stats();
  std::string failed;
  for (const auto& [kind, n] : failures)
    failed += std::string(client::FailureName(kind)) + " " + std::to_string(n) + " ";
  MESSAGE("faulty link: " << faulty.connections << " connections, " << faulty.cut << " cut, "
                          << faulty.replayed << " replayed; " << ok_runs
                          << " syncs completed, failed: " << failed);
  // Enough faults to matter (the cut count depends on where each connection ends, so well below
  // the 30 % drawn: a seed gave 49 of 253).
  CHECK(faulty.cut > 20);
  CHECK(faulty.replayed > 10);

  // A clean link: everything drains and everyone converges.
  proxy.SetFaults({});
  for (SyncDevice* d : dev) d->NewLink();
  f.SyncUntilQuiet(rng);
  const std::string hub_export = f.CheckAllExportsEqualHub();

  // Nothing lost: every record made is on the hub (so on every replica, which equal it).
  const nlohmann::json records = test::ExportRecords(hub_export);
  std::set<std::string> hub_households, hub_persons;
  for (const auto& r : records["household"]) hub_households.insert(r["id"].get<std::string>());
  for (const auto& r : records["person"]) {
    hub_persons.insert(r["id"].get<std::string>());
    auto it = household_of.find(r["id"].get<std::string>());
    REQUIRE(it != household_of.end());  // a person nobody made
    CHECK(r["household_id"] == it->second);
  }
  CHECK(hub_households == households);
  CHECK(records["household"].size() == households.size());
  CHECK(records["person"].size() == household_of.size());
  CHECK(hub_persons.size() == household_of.size());

  // Nothing doubled: each op of each device is in the hub's log once, acknowledged to the
  // device once, and no resend or replay was taken for a concurrent edit or a bad op.
  test::HubDbReader hub_db(f.hub);
  const nlohmann::json devices = f.hub.Json({"devices"});
  for (SyncDevice* d : dev) {
    INFO(d->name());
    const int64_t last = d->LastSeq();
    CHECK(d->Pending() == 0);
    CHECK(d->pushed_total() == last);
    const std::string where = " FROM hub_ops WHERE origin_device = '" + d->id() + "'";
    CHECK(hub_db.Int("SELECT count(*)" + where) == last);
    CHECK(hub_db.Int("SELECT count(DISTINCT seq)" + where) == last);
    CHECK(hub_db.Int("SELECT COALESCE(max(seq), 0)" + where) == last);
    bool listed = false;
    for (const auto& hd : devices)
      if (hd["device_id"] == d->id()) {
        listed = true;
        CHECK(hd["acked_seq"] == last);
      }
    CHECK(listed);
  }
  CHECK(f.hub.Json({"conflicts"}).empty());
  CHECK(f.hub.Json({"quarantine"}).empty());
  MESSAGE("households " << households.size() << ", persons " << household_of.size() << ", hub log "
                        << hub_db.Int("SELECT count(*) FROM hub_ops") << " ops");
}

// A link that delivers a request twice (a retrying middlebox, a resend that overtook the
// original) must not undo an enrollment the laptop completed: the hub answers the second copy of
// POST /v1/enroll (same code, same device) with the same token.
TEST_CASE("Sync: a duplicated enrollment request does not lock the laptop out") {
  SyncFixture f;
  f.hub.Start();
  test::FaultProxy proxy(f.hub.port(), {.replay_probability = 1.0, .seed = 1});
  REQUIRE(proxy.port() > 0);
  SyncDevice& d = f.AddDevice({}, "http://127.0.0.1:" + std::to_string(proxy.port()));
  d.NewLink();  // closes the connection: the proxy sends the hub all it carried once more
  for (int i = 0; i < 500 && proxy.stats().replayed < 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(proxy.stats().replayed >= 1);

  Household h;
  h.village_id = f.village_id;
  h.head_name = "Hà Văn Tú";
  REQUIRE(Households(d.db()).Add(h).ok());
  client::SyncResult r = d.Sync();
  INFO(client::FailureName(r.failure), ": ", r.error.message());
  CHECK(r.ok());
  CHECK(d.Pending() == 0);
}

}  // namespace
}  // namespace gocua
