// Wrong clocks: one laptop a day ahead, one a day behind, one right; the hub runs on the real
// clock. Once each laptop has synced (and so learnt the hub's time), an edit made later in real
// time must win over an earlier one, whatever the clocks of the laptops that made them — a day
// ahead must not make a stale edit win, a day behind must not make a fresh one lose — and all
// replicas must converge on the hub.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "storage/device/households.h"
#include "storage/core/ids.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;
// Between two edits in real time: well above what a device's estimate of the hub's clock can
// be off by (about one request's latency).
constexpr int kGapMs = 100;

Household WithField(Household h, const std::string& field, const std::string& value) {
  if (field == "head_name") h.head_name = value;
  if (field == "phone") h.phone = value;
  return h;
}

std::string FieldOf(const Household& h, const std::string& field) {
  return field == "head_name" ? h.head_name : h.phone;
}

TEST_CASE_TEMPLATE("Sync: laptops a day ahead and a day behind converge, and the latest edit wins", Store,
                   GOCUA_HUB_PROCESS_STORES) {
  const uint64_t seed = test::TestSeed("skew");
  std::mt19937_64 rng(seed);
  const int64_t started = test::WallMs();

  SyncFixture f(Store::Make());
  f.hub.Start();
  std::vector<SyncDevice*> dev = {&f.AddDevice({.clock_offset_ms = kDayMs}),
                                  &f.AddDevice({.clock_offset_ms = -kDayMs}),
                                  &f.AddDevice({.clock_offset_ms = 0})};
  const char* kClock[] = {"a day ahead", "a day behind", "right"};

  // Each laptop adds households after its first sync, whatever its clock says.
  std::vector<std::string> households;
  for (int i = 0; i < 6; ++i) {
    Household h;
    h.village_id = f.village_id;
    h.head_name = "Hộ " + std::to_string(i);
    h.phone = "0913000" + std::to_string(100 + i);
    auto added = Households(dev[static_cast<size_t>(i) % 3]->db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    households.push_back(added->id);
  }
  f.SyncUntilQuiet(rng);
  f.CheckAllExportsEqualHub();

  // Every order of the three laptops, for two fields: each edits the field in turn, offline,
  // kGapMs apart in real time; then they sync with the latest edit first, so the stale ones
  // reach the hub after it.
  std::vector<int> order = {0, 1, 2};
  int round = 0, conflicts = 0;
  do {
    for (const std::string field : {"head_name", "phone"}) {
      ++round;
      const std::string& id = households[static_cast<size_t>(round) % households.size()];
      std::string last_value;
      std::string who;
      for (int k = 0; k < 3; ++k) {
        SyncDevice& d = *dev[static_cast<size_t>(order[static_cast<size_t>(k)])];
        Households hs(d.db());
        auto h = hs.Get(id);
        REQUIRE(h.ok());
        const std::string value =
            field == "phone" ? "09" + std::to_string(30000000 + round * 10 + k)
                             : "Bùi Thị Xuân r" + std::to_string(round) + " k" + std::to_string(k);
        REQUIRE(hs.Update(WithField(*h, field, value)).ok());
        last_value = value;
        who = kClock[order[static_cast<size_t>(k)]];
        std::this_thread::sleep_for(std::chrono::milliseconds(kGapMs));
      }
      for (int k = 2; k >= 0; --k) {
        client::SyncResult r = dev[static_cast<size_t>(order[static_cast<size_t>(k)])]->Sync();
        REQUIRE_MESSAGE(r.ok(), r.error.message());
      }
      f.SyncUntilQuiet(rng);
      conflicts += 2;  // three concurrent edits: the first applies, the two after it clash
      INFO("round ", round, ": ", field, " last edited on the laptop whose clock is ", who);
      for (SyncDevice* d : dev) {
        auto h = Households(d->db()).Get(id);
        REQUIRE(h.ok());
        CHECK(FieldOf(*h, field) == last_value);
      }
    }
  } while (std::next_permutation(order.begin(), order.end()));
  REQUIRE(round == 12);

  const std::string hub_export = f.CheckAllExportsEqualHub();
  const nlohmann::json records = test::ExportRecords(hub_export);
  CHECK(records["household"].size() == households.size());
  const nlohmann::json flagged = f.hub.Json({"conflicts"});
  CHECK(static_cast<int>(flagged.size()) == conflicts);

  // No stamp a day off reached the hub: every op the laptops sent, as sent and as stored, is
  // stamped within the test's run on the real clock.
  const int64_t ended = test::WallMs();
  test::HubDbReader hub_db(f.hub);
  for (SyncDevice* d : dev) {
    INFO(d->name());
    const std::string where = " FROM hub_ops WHERE origin_device = '" + d->id() + "'";
    CHECK(hub_db.Int("SELECT count(*)" + where) == d->LastSeq());
    for (const char* column : {"hlc", "orig_hlc"}) {
      CAPTURE(column);
      const int64_t lo = HlcMillis(hub_db.Int(std::string("SELECT min(") + column + ")" + where));
      const int64_t hi = HlcMillis(hub_db.Int(std::string("SELECT max(") + column + ")" + where));
      CHECK(lo >= started - 1000);
      CHECK(hi <= ended + 1000);
    }
    CHECK(hub_db.Int("SELECT count(*)" + where + " AND reason <> ''") == 0);  // none clamped
  }
}

}  // namespace
}  // namespace gocua
