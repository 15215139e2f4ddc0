// The SQLite hub store's own cases: its file's upgrades, its log rows (runs of ops), and the
// checks and the replica behaviour these tests share the fixture with.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "sync/hub/store/sqlite/hub_schema.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

// The 32 KiB limit on a value is on its JSON text, escapes included, whatever shortcut the
// check takes for values far below it.
TEST_CASE("CheckRemoteOp: a value is measured as JSON text, escapes included") {
  RemoteOp op{NewUuidV7(kTestNowMs), 1, "visit", "v1", "topics", json::object(), {}, 42};
  auto with = [&](const std::string& text) {
    op.value = json::object({{"vneid", text}});
    return CheckRemoteOp(op);
  };
  CHECK(with("done").ok());
  CHECK(with(std::string(32000, 'x')).ok());
  CHECK(with(std::string(32800, 'x')).error().message() == "value larger than 32 KiB");
  // 16,000 two-byte letters are 32,000 bytes written as they are.
  std::string letters;
  for (int i = 0; i < 16000; ++i) letters += "é";
  CHECK(with(letters).ok());
  // 5,500 control characters are 5,500 bytes but 33,000 as JSON (\u0001 each).
  CHECK(with(std::string(5500, '\x01')).error().message() == "value larger than 32 KiB");
  CHECK(with(std::string(5000, '\x01')).ok());
}

// The hub serves records and never a dashboard: its own schema (hub schema 8, sqlite/
// hub_schema.h) has no search index, no derived tables, no device-only index and no trigger; a
// laptop pushing to it keeps its own. (A file of hub schema 5 that had them: upgrade_test.)
TEST_CASE("HubStore: a hub's schema has no derived data, a laptop's keeps its own") {
  const char* kDerived[] = {
      "search",       "household_order", "visit_members",        "visit_persons",
      "visit_topics", "visit_latest",    "visit_latest_members", "person_online",
      "topic_day",    "member_day",      "household_span",       "person_span"};
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  CHECK(Count(file, "SELECT count(*) FROM meta WHERE key = 'hub_schema' AND value = '" +
                        std::to_string(hub_internal::kHubSchemaVersion) + "'") == 1);
  CHECK(Count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 0);
  const int64_t old_rows = Count(file, "SELECT count(*) FROM hub_ops");
  REQUIRE(old_rows > 0);  // the communes, villages and members made above

  // The hub's rows reach a new laptop; its pushes are kept without derived data.
  auto a = f.Enroll("a.db", f.commune.id);
  CHECK(Places(*a->db).Villages()->size() == 1);
  CHECK(Members(*a->db).List()->size() == 2);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  f.Push(*a);
  CHECK(Count(file, "SELECT count(*) FROM households") == 1);
  CHECK(Count(file, "SELECT count(*) FROM visits") == 1);
  for (const char* t : kDerived)
    CHECK_MESSAGE(Count(file, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") + t +
                                  "'") == 0,
                  t);
  // Nor the indexes that only a device's lists and dashboard read.
  for (const char* index : {"visits_period", "visits_household", "households_register"}) {
    CHECK_MESSAGE(Count(file, std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                                  index + "'") == 0,
                  index);
    CHECK(Count(f.dir.File("a.db"), std::string("SELECT count(*) FROM sqlite_master WHERE "
                                                "name = '") +
                                        index + "'") == 1);
  }
  // The device that made them keeps its own (the same code with derived data on).
  CHECK(Count(f.dir.File("a.db"), "SELECT count(*) FROM visit_latest") == 1);
  CHECK(Count(f.dir.File("a.db"), "SELECT count(*) FROM topic_day") == 2);
  auto b = f.Enroll("b.db", f.commune.id);
  CHECK(*ExportCanonicalJson(*b->db) == *ExportCanonicalJson(*a->db));
}

// A run of ops on one record is one row of hub_log; hub_ops shows one row per op, with the
// same server seqs, seqs and content as the ops pushed; pages may end inside a row.
TEST_CASE("HubStore: a record's run of ops is one log row, served op by op from any cursor") {
  HubFixture f;
  const std::string file = f.dir.File("hub.db");
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  auto saved = Visits(*a->db).Save(MakeVisit(f, h));
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  const std::vector<RemoteOp> pushed = Outbox(*a->db);
  REQUIRE(pushed.size() > 10);
  const int64_t rows_before = Count(file, "SELECT count(*) FROM hub_log");
  f.Push(*a);
  const std::string mine = " WHERE origin_device = '" + a->db->device_id() + "'";
  CHECK(Count(file, "SELECT count(*) FROM hub_log" + mine) == 2);  // the household, the visit
  CHECK(Count(file, "SELECT count(*) FROM hub_log") == rows_before + 2);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops" + mine) == static_cast<int64_t>(pushed.size()));
  CHECK(Count(file, "SELECT count(DISTINCT server_seq) FROM hub_ops") ==
        Count(file, "SELECT count(*) FROM hub_ops"));
  CHECK(Count(file, "SELECT max(server_seq) - min(server_seq) + 1 FROM hub_ops") ==
        Count(file, "SELECT count(*) FROM hub_ops"));

  // Every page size, from the start, on another laptop: the same ops in the same order, each
  // once, as pushed.
  for (int limit : {1, 2, 3, 5, 7, 11, 1000}) {
    CAPTURE(limit);
    std::vector<RemoteOp> got;
    std::string cursor;
    int64_t last_server_seq = 0;
    for (int guard = 0; guard < 1000; ++guard) {
      auto page = f.hub->Pull(b->hub_view, cursor, limit);
      REQUIRE(page.ok());
      REQUIRE(static_cast<int>(page->ops.size()) <= limit);
      for (auto& [server_seq, op] : page->ops) {
        CHECK(server_seq > last_server_seq);
        last_server_seq = server_seq;
        if (op.origin_device == a->db->device_id()) got.push_back(op);
      }
      cursor = page->next_cursor;
      if (!page->has_more) break;
    }
    REQUIRE(got.size() == pushed.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CAPTURE(i);
      CHECK(got[i].seq == pushed[i].seq);
      CHECK(got[i].record_id == pushed[i].record_id);
      CHECK(got[i].field == pushed[i].field);
      CHECK(got[i].value == pushed[i].value);
      CHECK(got[i].hlc == pushed[i].hlc);
      CHECK(got[i].base == pushed[i].base);
    }
  }
  // A resend that overlaps the runs (ops 3.., and two new ones) gets the same answers for
  // the logged ops and applies only the new ones.
  REQUIRE(Households(*a->db)
              .Update([&] {
                Household changed = *Households(*a->db).Get(h.id);
                changed.phone = "0905123456";
                changed.address = "Xóm 2";
                return changed;
              }())
              .ok());
  const std::vector<RemoteOp> later = Outbox(*a->db);  // the two new ops only
  REQUIRE(later.size() == 2);
  std::vector<RemoteOp> resend(pushed.begin() + 2, pushed.end());
  resend.insert(resend.end(), later.begin(), later.end());
  auto again = f.hub->Push(a->hub_view, resend);
  REQUIRE(again.ok());
  REQUIRE(again->rejection.kind == PushRejection::Kind::kNone);
  REQUIRE(again->outcomes.size() == resend.size());
  for (const OpOutcome& o : again->outcomes) {
    CHECK_FALSE(o.quarantined);
    CHECK(o.outcome == MergeOutcome::kApplied);
  }
  CHECK(again->acked_seq == later.back().seq);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops" + mine) ==
        static_cast<int64_t>(pushed.size() + 2));
  // The same seq with other content is a clone, inside a run as at its start.
  std::vector<RemoteOp> clone(pushed.begin() + 4, pushed.begin() + 5);
  clone[0].value = "khác";
  auto forked = f.hub->Push(a->hub_view, clone);
  REQUIRE(forked.ok());
  CHECK(forked->rejection.kind == PushRejection::Kind::kDeviceFork);
  // A damaged row is an error that says where, not a crash or a short page.
  // (The rows are in hub_runs since hub schema 11; hub_log is its view with the texts.)
  Exec(file, ("UPDATE hub_runs SET rest = '[[\"x\"]' WHERE n > 1 AND origin = (SELECT id FROM "
              "hub_ids WHERE text = '" +
              a->db->device_id() + "')")
                 .c_str());
  auto damaged = f.hub->Pull(b->hub_view, "", 1000);
  REQUIRE_FALSE(damaged.ok());
  CHECK(damaged.error().code() == ErrorCode::kCorrupt);
  CHECK(damaged.error().message().find("hub log: row") != std::string::npos);
}

// A pulled page is committed without an fsync (it can be pulled again: docs/benchmarks.md has

// was applied or refused, so that local writes keep theirs.
TEST_CASE("Replica: after a pulled page, applied or refused, writes are fsynced again") {
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  auto synchronous = [](Database& db) {
    Status st;
    auto q = db.impl().Prepare("PRAGMA synchronous", &st);
    REQUIRE(q);
    REQUIRE(q->Step() == SQLITE_ROW);
    return static_cast<int>(q->Int(0));
  };
  CHECK(synchronous(*b->db) == 2);  // FULL
  f.AddHousehold(*a, "Nguyễn Văn Đức");
  f.Push(*a);
  CHECK(f.Pull(*b) == 8);
  CHECK(synchronous(*b->db) == 2);
  // A refused page (an unknown field) leaves FULL too.
  RemoteOp bad{a->db->device_id(), 999, "household", "h1", "no_such_field", 1, {}, 42};
  CHECK_FALSE(Replica(*b->db).ApplyPulled({bad}, "x.1").ok());
  CHECK(synchronous(*b->db) == 2);
}

}  // namespace
}  // namespace gocua::hub_store_test
