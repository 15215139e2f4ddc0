// The hub's per-push scope cache (hub_internal.h ScopeCache) against hub_scope itself, and the
// authorisation answers that read it (a record's own commune, a ref's target) within one push.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "storage/core/sqlite_db.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_communes.h"

namespace gocua {
namespace {

using test::kTestNowMs;

using Hub = test::HubCommunes;

TEST_CASE(
    "ScopeCache: every answer is hub_scope's, through sets, unseen records and writes "
    "behind its back") {
  Hub h;
  Database::Impl& d = test::Sqlite(*h.hub).records().impl();
  const std::vector<std::string> types = {"household", "visit", "member"};
  const std::vector<std::string> communes = {"", "c1", "c2"};
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    REQUIRE(d.Transact([&]() -> Status {
               hub_internal::ScopeCache cache;
               for (int step = 0; step < 300; ++step) {
                 const std::string& type = types[rng() % types.size()];
                 const std::string id =
                     "r" + std::to_string(round) + "-" + std::to_string(rng() % 12);
                 const std::string& commune = communes[rng() % communes.size()];
                 bool truth_found = false;
                 auto truth = hub_internal::ScopeOf(d, type, id, &truth_found);
                 REQUIRE(truth.ok());
                 switch (rng() % 4) {
                   case 0:
                   case 1: {  // a lookup, twice: the second may come from the cache
                     for (int k = 0; k < 2; ++k) {
                       bool found = !truth_found;
                       auto got = cache.Of(d, type, id, &found);
                       REQUIRE(got.ok());
                       CHECK(found == truth_found);
                       CHECK(std::string(*got) == *truth);
                     }
                     break;
                   }
                   case 2:  // the push scopes a record it found unseen
                     if (!truth_found) {
                       bool found = true;
                       REQUIRE(cache.Of(d, type, id, &found).ok());
                       CHECK_FALSE(found);
                       REQUIRE(cache.Set(d, type, id, commune).ok());
                     }
                     break;
                   case 3:  // a hub write scopes a record behind the cache's back
                     REQUIRE(hub_internal::SetScope(d, type, id, commune).ok());
                     cache.ForgetUnseen();
                     break;
                 }
               }
               return Status::Ok();
             }).ok());
  }
}

RemoteOp Op(const std::string& dev, int64_t seq, const std::string& type, const std::string& id,
            const std::string& field, const json& value) {
  return {dev, seq, type, id, field, value, {}, MakeHlc(kTestNowMs, static_cast<int>(seq))};
}

TEST_CASE("HubStore: refs to a record unseen, then made, then of another commune, in one push") {
  Hub h;
  const HubDevice a = h.Enroll("dev-a", h.commune.id);
  const HubDevice b = h.Enroll("dev-b", h.other.id);
  // A household of the other commune, pushed by its own device.
  {
    auto r = h.hub->Push(b, {Op("dev-b", 1, "household", "hb", "village_id", h.other_village.id)});
    REQUIRE(r.ok());
    REQUIRE(r->outcomes.size() == 1);
    CHECK_FALSE(r->outcomes[0].quarantined);
  }
  std::vector<RemoteOp> ops = {
      Op("dev-a", 1, "visit", "v1", "household_id", "hx"),  // hx unknown
      Op("dev-a", 2, "visit", "v2", "household_id", "hx"),  // still unknown
      Op("dev-a", 3, "household", "hx", "village_id", h.village.id),
      Op("dev-a", 4, "visit", "v3", "household_id", "hx"),   // now known, of this commune
      Op("dev-a", 5, "visit", "v4", "household_id", "hb"),   // of the other commune
      Op("dev-a", 6, "visit", "v5", "household_id", "hb"),   // again
      Op("dev-a", 7, "household", "hb", "head_name", "Lạ"),  // the other commune's record
      Op("dev-a", 8, "household", "hy", "village_id", h.other_village.id),
      Op("dev-a", 9, "household", "hz", "village_id", h.other_village.id),
      Op("dev-a", 10, "visit", "v3", "notes", "ghi chú"),    // v3 was scoped by op 4
      Op("dev-a", 11, "visit", "v1", "household_id", "hx"),  // v1 was never scoped: now fine
  };
  auto r = h.hub->Push(a, ops);
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == ops.size());
  const std::vector<std::string> reasons = {
      "reference to an unknown household",
      "reference to an unknown household",
      "",
      "",
      "reference to a household of another commune",
      "reference to a household of another commune",
      "the record belongs to another commune",
      "reference to a village of another commune",
      "reference to a village of another commune",
      "",
      "",
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    CAPTURE(i);
    CHECK(r->outcomes[i].quarantined == !reasons[i].empty());
    CHECK(r->outcomes[i].reason == reasons[i]);
  }
  // The same answers from a fresh cache (a resend is answered from the log; a new push is not).
  std::vector<RemoteOp> again;
  for (size_t i = 0; i < ops.size(); ++i) {
    RemoteOp op = ops[i];
    op.seq = static_cast<int64_t>(ops.size() + 1 + i);
    op.hlc = MakeHlc(kTestNowMs, static_cast<int>(op.seq));
    op.record_id += "-2";  // fresh records, the same refs
    again.push_back(op);
  }
  auto r2 = h.hub->Push(a, again);
  REQUIRE(r2.ok());
  REQUIRE(r2->outcomes.size() == again.size());
  // hx-2 is made by op 3 here too; hb-2 and v*-2 are new records of this commune.
  CHECK(r2->outcomes[0].reason.empty());  // hx exists now
  CHECK(r2->outcomes[4].reason == "reference to a household of another commune");
  // hb-2 is a new household of this commune, but its first op is not its village
  CHECK(r2->outcomes[6].reason ==
        "a new household must name its village first (its first op is not village_id)");
  CHECK(r2->outcomes[7].reason == "reference to a village of another commune");
}

TEST_CASE("HubStore: a push reads a record's scope once for its ops, and afresh for another type") {
  // ApplyPush keeps the scope of the record the last op named (AuthFacts::record_read): ops of
  // one record come together. A record of another type with the same id is another record.
  Hub h;
  const HubDevice a = h.Enroll("dev-a", h.commune.id);
  const HubDevice b = h.Enroll("dev-b", h.other.id);
  {
    auto r = h.hub->Push(b, {Op("dev-b", 1, "household", "hb", "village_id", h.other_village.id)});
    REQUIRE(r.ok());
    REQUIRE(r->outcomes.size() == 1);
    CHECK_FALSE(r->outcomes[0].quarantined);
  }
  std::vector<RemoteOp> ops = {
      Op("dev-a", 1, "household", "hb", "head_name", "Lạ"),           // the other commune's
      Op("dev-a", 2, "visit", "hb", "notes", "ghi chú"),              // a new visit, the same id
      Op("dev-a", 3, "visit", "hb", "notes", "lần hai"),              // scoped by op 2
      Op("dev-a", 4, "household", "hb", "head_name", "Lạ"),           // the household again
      Op("dev-a", 5, "household", "hn", "head_name", "Mới"),          // new, not its village first
      Op("dev-a", 6, "household", "hn", "village_id", h.village.id),  // still unscoped: made
      Op("dev-a", 7, "household", "hn", "head_name", "Mới"),          // scoped by op 6
  };
  auto r = h.hub->Push(a, ops);
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == ops.size());
  const std::vector<std::string> reasons = {
      "the record belongs to another commune",
      "",
      "",
      "the record belongs to another commune",
      "a new household must name its village first (its first op is not village_id)",
      "",
      "",
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    CAPTURE(i);
    CHECK(r->outcomes[i].quarantined == !reasons[i].empty());
    CHECK(r->outcomes[i].reason == reasons[i]);
  }
  // What the push scoped, as the hub holds it.
  Database::Impl& d = test::Sqlite(*h.hub).records().impl();
  for (const auto& [type, id, commune] :
       {std::tuple{"visit", "hb", h.commune.id}, std::tuple{"household", "hb", h.other.id},
        std::tuple{"household", "hn", h.commune.id}}) {
    CAPTURE(type);
    CAPTURE(id);
    bool found = false;
    auto scope = hub_internal::ScopeOf(d, type, id, &found);
    REQUIRE(scope.ok());
    CHECK(found);
    CHECK(*scope == commune);
  }
}

}  // namespace
}  // namespace gocua
