// Convergence: five laptops of one commune edit offline — new households, persons, visits,
// reviews, deletes, and edits of households they all share, some of the same field at the
// same time — then sync with the real hub in random orders until every outbox is empty. Every
// replica must then hold byte-for-byte what the hub holds, and the hub must have flagged
// exactly the concurrent edits the test made, each once, and nothing else.
#include <doctest/doctest.h>

#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/topics.h"
#include "storage/device/visits.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::DeviceOptions;
using test::SyncDevice;
using test::SyncFixture;

constexpr int kDevices = 5;
constexpr int kShared = 12;           // households everyone has before the offline edits
constexpr int kEpochs = 4;            // offline sessions, each followed by syncing until quiet
constexpr int kActionsPerEpoch = 50;  // per device: 200 changes each in all
// Fields of a shared household that devices edit. Counts with cross-field rules
// (working_age_count <= members_count) and the two-valued home_internet stay out: two devices
// could not both make a change that merges into a valid, different value.
const std::vector<std::string> kEditable = {"head_name", "address", "phone", "smartphones"};

// A value for `field` that is new everywhere: unique text, or a count other than `current`.
nlohmann::json NewValue(const std::string& field, const Household& current, int epoch, int device,
                        int n) {
  char buf[64];
  if (field == "head_name") {
    std::snprintf(buf, sizeof buf, "Nguyễn Văn Đức e%d d%d n%d", epoch, device, n);
  } else if (field == "address") {
    std::snprintf(buf, sizeof buf, "Số %d, ngõ %d, xóm Bến %d", n, device, epoch);
  } else if (field == "phone") {
    std::snprintf(buf, sizeof buf, "09%02d%02d%04d", epoch, device, n % 10000);
  } else {
    return (current.smartphones + 1 + n % 49) % 51;  // never the current value
  }
  return std::string(buf);
}

Household WithField(Household h, const std::string& field, const nlohmann::json& v) {
  if (field == "head_name") h.head_name = v.get<std::string>();
  if (field == "address") h.address = v.get<std::string>();
  if (field == "phone") h.phone = v.get<std::string>();
  if (field == "smartphones") h.smartphones = v.get<int>();
  return h;
}

// Sets one field of household `id` on `device`, from the device's current copy.
void EditField(SyncDevice& device, const std::string& id, const std::string& field,
               const nlohmann::json& value) {
  Households households(device.db());
  auto h = households.Get(id);
  REQUIRE_MESSAGE(h.ok(), h.error().message());
  const int64_t before = device.LastSeq();
  auto updated = households.Update(WithField(*h, field, value));
  REQUIRE_MESSAGE(updated.ok(), updated.error().message());
  REQUIRE(device.LastSeq() == before + 1);  // exactly one op: the field changed
}

// What one device made, so the test can look for every bit of it afterwards.
struct Made {
  std::vector<std::string> households;                      // own households, created here
  std::set<std::string> deleted;                            // own households deleted
  std::map<std::string, std::vector<std::string>> persons;  // household → own persons
  std::vector<std::string> visits;
  int reviews = 0;
};

using FieldKey = std::pair<std::string, std::string>;  // (household id, field)

TEST_CASE_TEMPLATE("Sync: five laptops editing offline converge with the hub, one conflict per clash", Store,
                   GOCUA_HUB_PROCESS_STORES) {
  const uint64_t seed = test::TestSeed("convergence");
  std::mt19937_64 rng(seed);
  auto below = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };

  SyncFixture f(Store::Make());
  f.hub.Start();
  // The first laptop is the leader's (it decides reviews: a leader's laptop's work, issue 15).
  DeviceOptions as_leader;
  as_leader.role = "leader";
  for (int i = 0; i < kDevices; ++i) f.AddDevice(i == 0 ? as_leader : DeviceOptions{});
  std::vector<SyncDevice*> dev;
  for (auto& d : f.devices) dev.push_back(d.get());

  // The shared households: made by the first laptop, then everyone has them.
  std::vector<std::string> shared;
  for (int i = 0; i < kShared; ++i) {
    Household h;
    h.village_id = f.village_id;
    h.head_name = "Hộ chung " + std::to_string(i + 1);
    h.address = "Thôn Đông";
    h.phone = "0912000" + std::to_string(100 + i);
    h.members_count = 4;
    h.working_age_count = 2;
    h.smartphones = i % 5;
    auto added = Households(dev[0]->db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    shared.push_back(added->id);
  }
  f.SyncUntilQuiet(rng);
  for (SyncDevice* d : dev) REQUIRE(*Households(d->db()).Count() == kShared);

  std::vector<std::string> topic_ids;
  auto topics = Topics(dev[0]->db()).List();
  REQUIRE(topics.ok());
  for (const Topic& t : *topics) topic_ids.push_back(t.id);
  REQUIRE(topic_ids.size() >= 3);

  std::vector<Made> made(kDevices);
  std::vector<std::string> reviewable;  // visits synced everywhere and not yet reviewed
  std::map<FieldKey, int> expected_conflicts;
  std::map<FieldKey, std::set<std::string>> clash_devices;
  int expected_total = 0, counter = 0;

  for (int epoch = 1; epoch <= kEpochs; ++epoch) {
    CAPTURE(epoch);
    // Clashes: (household, field) pairs that 2 (or 3) devices each edit once, from the same
    // base, before any of them syncs. The hub sees the first as an ordinary edit and each
    // later one as concurrent with the value then held: k editors make k − 1 conflicts, in
    // whatever order they arrive. Every other pair is edited this epoch by one owner at most.
    std::vector<FieldKey> keys;
    for (const std::string& h : shared)
      for (const std::string& fld : kEditable) keys.emplace_back(h, fld);
    std::shuffle(keys.begin(), keys.end(), rng);
    const size_t kClashes = 8;
    std::vector<std::vector<std::pair<int, FieldKey>>> plan(kDevices);  // device → clash edits
    for (size_t c = 0; c < kClashes; ++c) {
      const int editors = c < 2 ? 3 : 2;
      std::vector<int> who(kDevices);
      for (int i = 0; i < kDevices; ++i) who[i] = i;
      std::shuffle(who.begin(), who.end(), rng);
      for (int e = 0; e < editors; ++e) {
        plan[who[e]].push_back({e, keys[c]});
        clash_devices[keys[c]].insert(dev[who[e]]->id());
      }
      expected_conflicts[keys[c]] += editors - 1;
      expected_total += editors - 1;
    }
    std::map<FieldKey, int> owner;  // the rest: one device may edit each, as often as it likes
    for (size_t k = kClashes; k < keys.size(); ++k)
      owner[keys[k]] = static_cast<int>(below(kDevices));

    // Offline: each device runs its 50 actions, clash edits at random places among them.
    for (int di = 0; di < kDevices; ++di) {
      SyncDevice& d = *dev[di];
      Households households(d.db());
      std::vector<int> slots(kActionsPerEpoch, -1);  // -1: a random action; else a clash edit
      for (size_t i = 0; i < plan[di].size(); ++i) slots[i] = static_cast<int>(i);
      std::shuffle(slots.begin(), slots.end(), rng);
      std::vector<FieldKey> mine;
      for (const auto& [key, who] : owner)
        if (who == di) mine.push_back(key);
      for (int slot : slots) {
        ++counter;
        if (slot >= 0) {
          const auto& [rank, key] = plan[di][static_cast<size_t>(slot)];
          auto h = households.Get(key.first);
          REQUIRE(h.ok());
          // Editors of one clash write different values: their ranks differ (and their
          // device numbers, for text).
          EditField(d, key.first, key.second, NewValue(key.second, *h, epoch, di, rank));
          continue;
        }
        const size_t kind = below(100);
        std::vector<std::string> own_live;
        for (const std::string& id : made[di].households)
          if (!made[di].deleted.count(id)) own_live.push_back(id);
        if (kind < 10 || own_live.empty()) {  // a new household
          Household h;
          h.village_id = f.village_id;
          h.head_name = "Trần Thị Hoa " + std::to_string(counter);
          h.address = "Xóm " + std::to_string(di) + "/" + std::to_string(counter);
          h.members_count = 1 + static_cast<int>(below(8));
          h.working_age_count = static_cast<int>(below(static_cast<size_t>(h.members_count) + 1));
          h.smartphones = static_cast<int>(below(4));
          h.home_internet = below(2) == 1;
          auto added = households.Add(h);
          REQUIRE_MESSAGE(added.ok(), added.error().message());
          made[di].households.push_back(added->id);
        } else if (kind < 22) {  // a person, in a shared household or an own one
          const std::string hh =
              below(2) ? shared[below(shared.size())] : own_live[below(own_live.size())];
          Person p;
          p.household_id = hh;
          p.name = "Lê Thị Thu " + std::to_string(counter);
          p.birth_year = 1940 + static_cast<int>(below(80));
          p.sex = below(2) ? "female" : "male";
          auto added = Persons(d.db()).Add(p);
          REQUIRE_MESSAGE(added.ok(), added.error().message());
          made[di].persons[hh].push_back(added->id);
        } else if (kind < 36) {  // a visit; it may guide this device's own persons there
          const std::string hh =
              below(2) ? shared[below(shared.size())] : own_live[below(own_live.size())];
          Visit v;
          v.household_id = hh;
          v.visited_on = "2025-0" + std::to_string(1 + below(9)) + "-1" + std::to_string(below(10));
          v.minutes = 10 + static_cast<int>(below(90));
          v.members = {below(3) ? f.member_id : f.leader_id};
          for (const std::string& p : made[di].persons[hh])
            if (below(2)) v.persons.push_back(p);
          v.topics[topic_ids[below(topic_ids.size())]] = kTopicResults[below(4)];
          v.topics[topic_ids[below(topic_ids.size())]] = kTopicResults[below(4)];
          v.notes = "Hướng dẫn cài VNeID lần " + std::to_string(counter);
          auto saved = Visits(d.db()).Save(v);
          REQUIRE_MESSAGE(saved.ok(), saved.error().message());
          made[di].visits.push_back(saved->id);
        } else if (kind < 42 && di == 0 && !reviewable.empty()) {  // the leader reviews one
          // (on the first laptop only, so that no two devices decide one visit)
          const std::string visit = reviewable.back();
          reviewable.pop_back();
          const bool approve = below(3) != 0;
          auto r = Reviews(d.db()).Decide(visit, f.leader_id, approve ? "approved" : "returned",
                                          approve ? "" : "Thiếu ảnh chụp màn hình");
          REQUIRE_MESSAGE(r.ok(), r.error().message());
          ++made[di].reviews;
        } else if (kind >= 42 && kind < 44 && own_live.size() > 1) {  // delete an own household
          const std::string gone = own_live[below(own_live.size())];
          REQUIRE(households.Remove(gone).ok());
          made[di].deleted.insert(gone);
        } else if (kind < 65 || mine.empty()) {  // edit an own household
          const std::string hh = own_live[below(own_live.size())];
          auto h = households.Get(hh);
          REQUIRE(h.ok());
          const std::string fld = kEditable[below(kEditable.size())];
          EditField(d, hh, fld, NewValue(fld, *h, epoch, di, counter));
        } else {  // edit a field of a shared household that this device owns this epoch
          const FieldKey key = mine[below(mine.size())];
          auto h = households.Get(key.first);
          REQUIRE(h.ok());
          EditField(d, key.first, key.second, NewValue(key.second, *h, epoch, di, counter));
        }
      }
    }

    const int passes = f.SyncUntilQuiet(rng);
    MESSAGE("epoch " << epoch << ": quiet after " << passes << " passes");
    for (int di = 0; di < kDevices; ++di) {
      CHECK(dev[di]->Pending() == 0);
      for (const std::string& v : made[di].visits)
        if (std::find(reviewable.begin(), reviewable.end(), v) == reviewable.end())
          reviewable.push_back(v);
    }
    std::shuffle(reviewable.begin(), reviewable.end(), rng);
    nlohmann::json conflicts = f.hub.Json({"conflicts"});
    REQUIRE(conflicts.is_array());
    CHECK(static_cast<int>(conflicts.size()) == expected_total);
    f.CheckAllExportsEqualHub();
    if (static_cast<int>(conflicts.size()) != expected_total) break;
  }

  // Every clash was flagged exactly k − 1 times, between devices that took part in it, and
  // nothing else was.
  nlohmann::json conflicts = f.hub.Json({"conflicts"});
  std::map<FieldKey, int> got;
  for (const nlohmann::json& c : conflicts) {
    CHECK(c["record_type"] == "household");
    const FieldKey key{c["record_id"].get<std::string>(), c["field"].get<std::string>()};
    ++got[key];
    INFO("conflict on ", key.first, ".", key.second);
    REQUIRE(clash_devices.count(key) == 1);
    CHECK(clash_devices[key].count(c["device_a"].get<std::string>()) == 1);
    CHECK(clash_devices[key].count(c["device_b"].get<std::string>()) == 1);
    CHECK(c["device_a"] != c["device_b"]);
    CHECK(c["value_a"] != c["value_b"]);
  }
  CHECK(got == expected_conflicts);
  CHECK(static_cast<int>(conflicts.size()) == expected_total);
  int64_t answered = 0;
  for (SyncDevice* d : dev) answered += d->conflicts_total();
  CHECK(answered == expected_total);  // each clash answered `conflict` to one push, once

  // Everything made is everywhere, once; exports are byte-identical.
  const std::string hub_export = f.CheckAllExportsEqualHub();
  const nlohmann::json records = test::ExportRecords(hub_export);
  std::set<std::string> households, persons, visits;
  for (const auto& r : records["household"]) households.insert(r["id"].get<std::string>());
  for (const auto& r : records["person"]) persons.insert(r["id"].get<std::string>());
  for (const auto& r : records["visit"]) visits.insert(r["id"].get<std::string>());
  size_t own_households = 0, own_persons = 0, own_visits = 0;
  int reviews = 0, deleted = 0;
  for (int di = 0; di < kDevices; ++di) {
    for (const std::string& id : made[di].households) CHECK(households.count(id) == 1);
    for (const auto& [hh, ps] : made[di].persons)
      for (const std::string& id : ps) CHECK(persons.count(id) == 1);
    for (const std::string& id : made[di].visits) CHECK(visits.count(id) == 1);
    own_households += made[di].households.size();
    for (const auto& [hh, ps] : made[di].persons) own_persons += ps.size();
    own_visits += made[di].visits.size();
    reviews += made[di].reviews;
    deleted += static_cast<int>(made[di].deleted.size());
  }
  CHECK(records["household"].size() == kShared + own_households);
  CHECK(records["person"].size() == own_persons);
  CHECK(records["visit"].size() == own_visits);
  CHECK(static_cast<int>(records["review"].size()) == reviews);
  CHECK(static_cast<int>(records["conflict"].size()) == expected_total);
  int tombstones = 0;
  for (const auto& r : records["household"]) tombstones += r["deleted"].get<int>();
  CHECK(tombstones == deleted);
  int64_t ops = 0;
  for (SyncDevice* d : dev) ops += d->pushed_total();
  MESSAGE("households " << records["household"].size() << ", persons " << own_persons << ", visits "
                        << own_visits << ", reviews " << reviews << ", deleted " << deleted
                        << ", conflicts " << expected_total << ", ops pushed " << ops);
}

}  // namespace
}  // namespace gocua
