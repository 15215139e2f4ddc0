// The dashboard's activity per village (storage/dashboard/period_activity.h) computed both ways — from
// the period's visits and from migration v7's trigger-kept spans — against a count by hand
// from the visit and household rows, after a random mix of writes: saves, reviews, deletes,
// and pulled ops moving a visit's day, status, tombstone, household and persons, and a
// household's village and tombstone. Periods short and long, open ends, approved only or not.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <map>
#include <random>
#include <set>

#include "storage/core/ids.h"
#include "storage/core/merge.h"
#include "storage/dashboard/period_activity.h"
#include "storage/device/replica.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

struct Hand {
  int64_t visits = 0, sessions = 0;
  std::set<std::string> households, persons;
};

// Straight from the rows, none of the derived tables: a visit counts when not deleted, not
// returned (approved if asked), in the period, and its household is in the register.
std::map<std::string, Hand> CountByHand(const std::string& path, const ActivityQuery& q) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  std::map<std::string, std::pair<std::string, bool>> household;  // id → village, in register
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT id, village_id, deleted FROM households", -1, &s,
                             nullptr) == SQLITE_OK);
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(s, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (sqlite3_step(s) == SQLITE_ROW)
    household[text(0)] = {text(1), sqlite3_column_type(s, 1) != SQLITE_NULL &&
                                       sqlite3_column_int(s, 2) == 0};
  sqlite3_finalize(s);
  std::map<std::string, Hand> out;
  REQUIRE(sqlite3_prepare_v2(raw,
                             "SELECT household_id, visited_on, status, persons FROM visits "
                             "WHERE deleted = 0",
                             -1, &s, nullptr) == SQLITE_OK);
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string hh = text(0), day = text(1), status = text(2);
    if (status == kStatusReturned || (q.approved_only && status != kStatusApproved)) continue;
    if (day < q.from || day > q.to) continue;
    auto h = household.find(hh);
    if (h == household.end() || !h->second.second) continue;
    Hand& v = out[h->second.first];
    ++v.visits;
    v.households.insert(hh);
    std::set<std::string> persons;
    for (const auto& p : nlohmann::json::parse(text(3)))
      if (p.is_string()) persons.insert(p.get<std::string>());
    v.sessions += static_cast<int64_t>(persons.size());
    v.persons.insert(persons.begin(), persons.end());
  }
  sqlite3_finalize(s);
  sqlite3_close(raw);
  return out;
}

void CheckBothWays(Database& db, const std::string& path, ActivityQuery q) {
  CAPTURE(q.from);
  CAPTURE(q.to);
  CAPTURE(q.approved_only);
  const auto hand = CountByHand(path, q);
  for (ActivityPath way : {ActivityPath::kVisits, ActivityPath::kSpans, ActivityPath::kAuto}) {
    CAPTURE(static_cast<int>(way));
    q.path = way;
    std::map<std::string, VillageIndicators> rows;
    Status st = PeriodActivity(db, q, &rows);
    REQUIRE_MESSAGE(st.ok(), st.message());
    std::set<std::string> villages;
    for (const auto& [id, r] : rows)
      if (!id.empty()) villages.insert(id);  // "" = households without a village: not shown
    for (const auto& [id, h] : hand) villages.insert(id);
    for (const std::string& id : villages) {
      CAPTURE(id);
      const VillageIndicators r = rows.count(id) ? rows.at(id) : VillageIndicators{};
      const Hand h = hand.count(id) ? hand.at(id) : Hand{};
      CHECK(r.visits == h.visits);
      CHECK(r.households_visited == static_cast<int64_t>(h.households.size()));
      CHECK(r.persons_guided == static_cast<int64_t>(h.persons.size()));
      CHECK(r.guidance_sessions == h.sessions);
    }
  }
}

TEST_CASE("PeriodActivity: visits and spans paths match a count by hand after random writes") {
  test::LeaderFixture f;
  const std::string path = f.dir.File("gocua.db");
  std::mt19937_64 rng(20261123);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> villages = {f.village.id, f.tay.id};
  std::vector<std::string> households, persons, visits;
  for (auto& [k, h] : f.h) households.push_back(h.id);
  for (auto& [k, p] : f.p) persons.push_back(p.id);
  for (auto& [k, v] : f.v) visits.push_back(v.id);
  const std::vector<std::string> days = {"2026-01-05", "2026-02-20", "2026-02-28", "2026-03-01",
                                         "2026-03-10", "2026-03-14", "2026-04-02", ""};
  Replica replica(*f.db);
  int64_t seq = 0;
  auto pull = [&](const char* type, const std::string& id, const std::string& field,
                  const nlohmann::json& value) {
    RemoteOp op;
    op.origin_device = "01a00000-0000-7000-8000-0000000000ee";
    op.seq = ++seq;
    op.record_type = type;
    op.record_id = id;
    op.field = field;
    op.value = value;
    op.hlc = MakeHlc(f.clock.NowMs() + 3600000, 0);
    Status st = replica.ApplyPulled({op}, "p" + std::to_string(seq));
    REQUIRE_MESSAGE(st.ok(), st.message());
  };
  auto random_persons = [&] {
    std::vector<std::string> p;
    for (size_t i = 0, n = pick(4); i < n; ++i) p.push_back(persons[pick(persons.size())]);
    return p;  // possibly repeated, possibly of another household
  };
  for (int step = 0; step < 300; ++step) {
    f.clock.Advance(1000);
    CAPTURE(step);
    const std::string visit = visits[pick(visits.size())];
    const std::string hh = households[pick(households.size())];
    switch (pick(11)) {
      case 0: {  // a new visit saved here (a household deleted from the register takes none)
        if (!Households(*f.db).Get(hh).ok()) break;
        Visit v;
        v.household_id = hh;
        v.visited_on = days[pick(days.size() - 2)];  // not in the future
        v.minutes = 10;
        v.members = {f.member.id};
        v.topics = {{"vneid", "guided"}};
        auto own = Persons(*f.db).OfHousehold(hh);
        REQUIRE(own.ok());
        for (const Person& p : *own)
          if (pick(2)) v.persons.push_back(p.id);
        auto saved = Visits(*f.db).Save(v);
        REQUIRE_MESSAGE(saved.ok(), saved.error().message());
        visits.push_back(saved->id);
        break;
      }
      case 1: {  // a new household and person, pulled
        const std::string id = NewUuidV7(f.clock.NowMs());
        pull("household", id, "village_id", villages[pick(2)]);
        households.push_back(id);
        const std::string person = NewUuidV7(f.clock.NowMs());
        pull("person", person, "household_id", id);
        persons.push_back(person);
        break;
      }
      case 2:  // a review
        if (Visits(*f.db).Get(visit).ok())
          REQUIRE(Reviews(*f.db)
                      .Decide(visit, f.leader.id, pick(2) ? kStatusApproved : kStatusReturned,
                              "Xem lại")
                      .ok());
        break;
      case 3:
        pull("visit", visit, "visited_on", days[pick(days.size())]);
        break;
      case 4:
        pull("visit", visit, "status",
             std::vector<std::string>{kStatusPending, kStatusApproved, kStatusReturned}[pick(3)]);
        break;
      case 5:
        pull("visit", visit, "deleted", static_cast<int>(pick(3) == 0));
        break;
      case 6:
        pull("visit", visit, "persons", random_persons());
        break;
      case 7:
        pull("visit", visit, "household_id", hh);
        break;
      case 8:
        pull("household", hh, "village_id", villages[pick(2)]);
        break;
      case 9:
        pull("household", hh, "deleted", static_cast<int>(pick(3) == 0));
        break;
      default: {  // a visit pulled whole: household, day, status, persons
        const std::string id = NewUuidV7(f.clock.NowMs());
        pull("visit", id, "household_id", hh);
        pull("visit", id, "visited_on", days[pick(days.size() - 1)]);
        pull("visit", id, "status", pick(2) ? kStatusApproved : kStatusPending);
        pull("visit", id, "persons", random_persons());
        visits.push_back(id);
      }
    }
    if (step % 50 == 49) {
      for (bool approved : {false, true}) {
        CheckBothWays(*f.db, path, {"0000-00-00", "9999-12-31", approved});
        CheckBothWays(*f.db, path, {"2026-03-01", "2026-03-31", approved});
        CheckBothWays(*f.db, path, {"2026-02-20", "2026-03-14", approved});
        CheckBothWays(*f.db, path, {"2026-02-21", "2026-04-01", approved});
        CheckBothWays(*f.db, path, {"2026-03-10", "2026-03-10", approved});
      }
    }
  }
  // Every pair of the days as a period, both bounds in and out of the data.
  for (const std::string& from : days)
    for (const std::string& to : days)
      if (!to.empty() && from <= to) CheckBothWays(*f.db, path, {from, to, pick(2) == 0});
}

TEST_CASE("PeriodActivity: the automatic choice takes the spans for a period holding nearly all") {
  test::LeaderFixture f;
  std::map<std::string, VillageIndicators> rows;
  ActivityPath used = ActivityPath::kAuto;
  // Everything: no counted visit outside the period.
  REQUIRE(PeriodActivity(*f.db, {"0000-00-00", "9999-12-31", false}, &rows, &used).ok());
  CHECK(used == ActivityPath::kSpans);
  // 2026-03-10 alone: one counted visit (V2) in, V1 V3 V4 V5 out.
  REQUIRE(PeriodActivity(*f.db, {"2026-03-10", "2026-03-10", false}, &rows, &used).ok());
  CHECK(used == ActivityPath::kVisits);
}

}  // namespace
}  // namespace gocua
