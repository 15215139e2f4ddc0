// What a push keeps from the pushes before it (sync/hub/store/hub_store.h): the scope cache, which
// must give way to another connection's writes and to a rollback, and the log writer's next
// server seq (hub_internal.h LogWriter), which must give way to the hub's own ops (conflicts).
// Answers are checked against a hub whose store is opened afresh for every push.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <memory>
#include <random>
#include <string>
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

struct Hub : test::HubCommunes {
  // Another connection to the same file, as a person with the sqlite3 shell opens it (scopes
  // are written in hub_scopes: hub_scope is a view since hub schema 13).
  void ExecElsewhere(const std::string& sql) {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(dir.File("hub.db").c_str(), &raw) == SQLITE_OK);
    sqlite3_busy_timeout(raw, 5000);
    char* err = nullptr;
    const int rc = sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err);
    INFO(sql, " ", (err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(raw);
    REQUIRE(rc == SQLITE_OK);
  }
  // The log's server seqs are 1..N, one per op, none twice.
  void CheckLogDense() {
    Database::Impl& d = test::Sqlite(*hub).records().impl();
    Status st;
    auto q = d.Prepare(
        "SELECT count(*), min(server_seq), max(server_seq), "
        "count(DISTINCT server_seq) FROM hub_ops",
        &st);
    REQUIRE(q);
    REQUIRE(q->Step() == SQLITE_ROW);
    CHECK(q->Int(1) == 1);
    CHECK(q->Int(2) == q->Int(0));
    CHECK(q->Int(3) == q->Int(0));
  }
};

RemoteOp Op(const std::string& dev, int64_t seq, const std::string& type, const std::string& id,
            const std::string& field, const json& value, int64_t hlc_ms = kTestNowMs) {
  return {dev, seq, type, id, field, value, {}, MakeHlc(hlc_ms, static_cast<int>(seq % 1000))};
}

TEST_CASE("HubStore: a scope kept from an earlier push gives way to another connection's write") {
  Hub h;
  const HubDevice a = h.Enroll("dev-a", h.commune.id);
  auto r = h.hub->Push(a, {Op("dev-a", 1, "household", "h1", "village_id", h.village.id)});
  REQUIRE(r.ok());
  CHECK_FALSE(r->outcomes[0].quarantined);
  r = h.hub->Push(a, {Op("dev-a", 2, "visit", "v1", "household_id", "h1")});  // h1 now kept
  REQUIRE(r.ok());
  CHECK_FALSE(r->outcomes[0].quarantined);
  // Another process moves h1 to the other commune (no command does; a writer behind the cache).
  h.ExecElsewhere("INSERT OR IGNORE INTO hub_ids(text) VALUES('" + h.other.id +
                  "'); UPDATE hub_scopes SET commune = (SELECT id FROM hub_ids WHERE text = '" +
                  h.other.id +
                  "') WHERE type = (SELECT id FROM hub_ids WHERE text = 'household') AND id = "
                  "'h1'");
  r = h.hub->Push(a, {Op("dev-a", 3, "visit", "v2", "household_id", "h1"),
                      Op("dev-a", 4, "household", "h1", "head_name", "Lê")});
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == 2);
  CHECK(r->outcomes[0].reason == "reference to a household of another commune");
  CHECK(r->outcomes[1].reason == "the record belongs to another commune");
  // A record unknown to one push, made elsewhere (as an admin command makes a village), is
  // known to the next.
  r = h.hub->Push(a, {Op("dev-a", 5, "household", "h9", "village_id", "vz")});
  REQUIRE(r.ok());
  CHECK(r->outcomes[0].reason == "reference to an unknown village");
  h.ExecElsewhere("INSERT INTO villages(id, commune_id, name) VALUES('vz', '" + h.commune.id +
                  "', 'Z'); INSERT OR IGNORE INTO hub_ids(text) VALUES('village'), ('" +
                  h.commune.id +
                  "'); INSERT INTO hub_scopes(type, id, commune) VALUES((SELECT id FROM hub_ids "
                  "WHERE text = 'village'), 'vz', (SELECT id FROM hub_ids WHERE text = '" +
                  h.commune.id + "'))");
  r = h.hub->Push(a, {Op("dev-a", 6, "household", "h9", "village_id", "vz")});
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  CHECK(r->outcomes[0].reason.empty());
}

TEST_CASE("HubStore: a push that is rolled back leaves no kept scope behind") {
  Hub h;
  const HubDevice a = h.Enroll("dev-a", h.commune.id);
  const HubDevice b = h.Enroll("dev-b", h.other.id);
  // dev-a's new household hn is scoped (in the cache) to a's commune, then the batch is refused.
  auto r = h.hub->Push(a, {Op("dev-a", 1, "household", "hn", "village_id", h.village.id),
                           Op("dev-a", 3, "household", "hn", "head_name", "Gap")});
  REQUIRE(r.ok());
  CHECK(r->rejection.kind == PushRejection::Kind::kSeqGap);
  // So hn is still unseen: the other commune's device makes it.
  r = h.hub->Push(b, {Op("dev-b", 1, "household", "hn", "village_id", h.other_village.id)});
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == 1);
  CHECK(r->outcomes[0].reason.empty());
  r = h.hub->Push(a, {Op("dev-a", 1, "household", "hn", "head_name", "Late")});
  REQUIRE(r.ok());
  REQUIRE(r->outcomes.size() == 1);
  CHECK(r->outcomes[0].reason == "the record belongs to another commune");
  h.CheckLogDense();
}

TEST_CASE("HubStore: AppendLog with a remembered server seq, and a wrong one fails whole") {
  Hub h;
  Database::Impl& d = test::Sqlite(*h.hub).records().impl();
  hub_internal::LogEntry e;
  e.op = Op("dev-x", 1, "household", "hx", "head_name", "X");
  e.commune_id = h.commune.id;
  e.outcome = "applied";
  Status st = d.Transact([&]() -> Status {
    int64_t next = 1;  // taken by the hub's own ops (the communes)
    Status s = hub_internal::AppendLog(d, {e}, &next);
    CHECK_FALSE(s.ok());
    CHECK(next == 0);  // forgotten: read from the log next time
    REQUIRE(hub_internal::AppendLog(d, {e}, &next).ok());
    CHECK(next > 1);
    e.op.seq = 2;
    const int64_t expected = next;
    REQUIRE(hub_internal::AppendLog(d, {e}, &next).ok());
    CHECK(next == expected + 1);
    return Status::Ok();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
  h.CheckLogDense();
}

// The pushes of `plan` through `kept` (one store for all) and through `fresh` (a store opened
// again for each push) answer the same, op by op, and both logs stay dense.
TEST_CASE("HubStore: random pushes answer the same with kept scopes as with a fresh store") {
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    CAPTURE(seed);
    Hub kept, fresh;
    std::vector<std::string> devices = {"dev-a1", "dev-a2", "dev-b1"};
    std::vector<HubDevice> kept_dev, fresh_dev;
    for (size_t i = 0; i < devices.size(); ++i) {
      kept_dev.push_back(kept.Enroll(devices[i], i < 2 ? kept.commune.id : kept.other.id));
      fresh_dev.push_back(fresh.Enroll(devices[i], i < 2 ? fresh.commune.id : fresh.other.id));
    }
    std::vector<int64_t> next_seq(devices.size(), 1);
    std::mt19937 rng(seed);
    int64_t ms = kTestNowMs;
    for (int push = 0; push < 25; ++push) {
      CAPTURE(push);
      const size_t who = rng() % devices.size();
      const bool own_village = rng() % 4 != 0;
      std::vector<RemoteOp> kept_ops, fresh_ops;
      const int n = 1 + static_cast<int>(rng() % 12);
      for (int k = 0; k < n; ++k) {
        const int64_t seq = next_seq[who]++;
        ms += 1 + rng() % 3;
        const std::string hh = "h" + std::to_string(rng() % 5);
        RemoteOp op;
        auto village = [&](Hub& h) {
          const bool mine = (who < 2) == own_village;
          return mine ? h.village.id : h.other_village.id;
        };
        switch (rng() % 6) {
          case 0:  // a household made or moved
            op = Op(devices[who], seq, "household", hh, "village_id", "");
            break;
          case 1:  // an edit that two devices may make at once: a conflict
            op = Op(devices[who], seq, "household", hh, "head_name",
                    "Tên " + std::to_string(rng() % 3), ms);
            break;
          case 2:  // a delete or an undelete: delete races
            op = Op(devices[who], seq, "household", hh, "deleted", static_cast<int>(rng() % 2), ms);
            break;
          default:  // a visit referring to a household that may be unknown or foreign
            op = Op(devices[who], seq, "visit", "v" + std::to_string(rng() % 8), "household_id", hh,
                    ms);
        }
        op.hlc = MakeHlc(ms, static_cast<int>(k));
        RemoteOp a = op, b = op;
        if (a.field == "village_id") a.value = village(kept), b.value = village(fresh);
        kept_ops.push_back(a);
        fresh_ops.push_back(b);
      }
      // Now and then another connection writes hub_scope of both files alike.
      if (rng() % 5 == 0) {
        const std::string victim = "h" + std::to_string(rng() % 5);
        kept.ExecElsewhere("DELETE FROM hub_scopes WHERE id = '" + victim + "'");
        fresh.ExecElsewhere("DELETE FROM hub_scopes WHERE id = '" + victim + "'");
      }
      auto r1 = kept.hub->Push(kept_dev[who], kept_ops);
      {
        auto reopened = OpenSqliteHubStore(fresh.dir.File("hub.db"), fresh.clock);
        REQUIRE(reopened.ok());
        fresh.hub = std::move(reopened).value();
      }
      auto r2 = fresh.hub->Push(fresh_dev[who], fresh_ops);
      REQUIRE_MESSAGE(r1.ok(), r1.error().message());
      REQUIRE_MESSAGE(r2.ok(), r2.error().message());
      CHECK(r1->rejection.kind == r2->rejection.kind);
      REQUIRE(r1->outcomes.size() == r2->outcomes.size());
      for (size_t i = 0; i < r1->outcomes.size(); ++i) {
        CAPTURE(i);
        CHECK(r1->outcomes[i].quarantined == r2->outcomes[i].quarantined);
        CHECK(r1->outcomes[i].reason == r2->outcomes[i].reason);
        if (!r1->outcomes[i].quarantined) CHECK(r1->outcomes[i].outcome == r2->outcomes[i].outcome);
      }
      CHECK(r1->acked_seq == r2->acked_seq);
    }
    kept.CheckLogDense();
    fresh.CheckLogDense();
    // Conflicts were met (the hub's own ops were logged between a push's rows).
    auto c1 = kept.hub->Conflicts();
    auto c2 = fresh.hub->Conflicts();
    REQUIRE(c1.ok());
    REQUIRE(c2.ok());
    CHECK(c1->size() == c2->size());
  }
}

}  // namespace
}  // namespace gocua
