#pragma once
// The hub-store tests' fixture: a hub store (any of hub_store_factories.h) with two communes,
// a member and a leader, and device replicas enrolled to it in-process (no HTTP) — pushing
// their outboxes and pulling pages as the sync engine would.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/core/change_log.h"
#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/device/visits.h"
#include "storage/io/export.h"
#include "sync/hub/store/hub_store.h"
#include "sync/ops/op_convert.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_communes.h"

namespace gocua::hub_store_test {

using test::kTestNowMs;
using test::OpenOrDie;

// The device's unacknowledged change log as the hub receives it: each entry made the wire's op
// as the sync engine sends it (sync_ops::ToWireOp, sync/client/push_batch.cpp) and read back as
// the hub reads a push (sync_ops::ToRemoteOp), so every field arrives — the author and a
// delete's seen stamp included.
inline std::vector<RemoteOp> Outbox(Database& db) {
  std::vector<RemoteOp> ops;
  auto pending = ChangeLog(db).Pending(0, 100000);
  REQUIRE(pending.ok());
  for (ChangeEntry& e : *pending)
    ops.push_back(sync_ops::ToRemoteOp(sync_ops::ToWireOp(std::move(e), db.device_id())));
  return ops;
}

struct Device {
  ManualClock clock{kTestNowMs};
  std::unique_ptr<Database> db;
  HubDevice hub_view;
};

struct HubFixture : test::HubCommunes {
  Member member, leader;

  // On the store that `open` makes (hub_store_factories.h).
  explicit HubFixture(test::OpenHubStore open = &test::DefaultStore::Open)
      : test::HubCommunes(open) {
    member = *hub->AddMember(commune.id, "Trần Thị Mai", Role::kMember, "1234");
    leader = *hub->AddMember(commune.id, "Lê Văn Hùng", Role::kLeader, "5678");
  }

  std::unique_ptr<Device> Enroll(const std::string& file, const std::string& commune_id) {
    auto dev = std::make_unique<Device>();
    dev->db = OpenOrDie(dir.File(file), dev->clock);
    auto code = hub->IssueEnrollmentCode(commune_id, 3600000);
    REQUIRE(code.ok());
    auto e = hub->Enroll(*code, dev->db->device_id(), file);
    REQUIRE_MESSAGE(e.ok(), e.error().message());
    dev->hub_view = e->first;
    REQUIRE(Replica(*dev->db).SaveEnrollment("http://hub", e->second, commune_id).ok());
    Pull(*dev);
    return dev;
  }

  HubPushResult Push(Device& dev) {
    auto r = hub->Push(dev.hub_view, Outbox(*dev.db));
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    if (r->rejection.kind == PushRejection::Kind::kNone)
      REQUIRE(ChangeLog(*dev.db).Acknowledge(r->acked_seq).ok());
    return *r;
  }

  int Pull(Device& dev, int limit = 7) {
    int pulled = 0;
    for (;;) {
      auto cursor = Replica(*dev.db).State()->cursor;
      auto page = hub->Pull(dev.hub_view, cursor, limit);
      REQUIRE(page.ok());
      REQUIRE_FALSE(page->cursor_expired);
      std::vector<RemoteOp> ops;
      for (auto& [seq, op] : page->ops) ops.push_back(op);
      REQUIRE(Replica(*dev.db).ApplyPulled(ops, page->next_cursor).ok());
      pulled += static_cast<int>(ops.size());
      if (!page->has_more) return pulled;
    }
  }

  Household AddHousehold(Device& dev, const std::string& head) {
    Household h;
    h.village_id = village.id;
    h.head_name = head;
    h.members_count = 3;
    auto r = Households(*dev.db).Add(h);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    return *r;
  }
};

// Counts and statements on a hub's file through its own connection (not the hub's): for the
// SQLite store's own tests.
inline int64_t Count(const std::string& file, const std::string& sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  INFO(sql);
  REQUIRE(sqlite3_prepare_v2(raw, sql.c_str(), -1, &q, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return n;
}

inline void Exec(const std::string& file, const char* sql) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(raw, sql, nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(raw);
  REQUIRE(rc == SQLITE_OK);
}

inline Visit MakeVisit(const HubFixture& f, const Household& h) {
  Visit v;
  v.household_id = h.id;
  v.visited_on = "2024-05-02";
  v.minutes = 20;
  v.members = {f.member.id};
  v.topics = {{"vneid", "done"}, {"dvc", "guided"}};
  v.followup_on = "2024-06-01";
  return v;
}

// Saves 12 visits on `d` whose values take every tag of the hub's binary log (log_binary.h):
// dates, words, objects of words, the author, arrays of members, and notes that are none.
inline void SaveVisitsOfEveryTag(HubFixture& f, Device& d) {
  const char* const notes[] = {"", "pending", "2026-02-29", "\"quoted\"\n", "Đăng ký", "dvc"};
  for (int i = 0; i < 12; ++i) {
    Household h = f.AddHousehold(d, "Hộ " + std::to_string(i));
    Visit v = MakeVisit(f, h);
    v.visited_on = i % 2 ? "2024-05-01" : "2024-02-29";
    v.followup_on = i % 3 ? "" : "2024-06-30";
    v.notes = notes[i % std::size(notes)];
    if (i % 4 == 0) v.topics = {{"vneid", "needs_followup"}, {"dvc", "guided"}};
    if (i % 4 == 1) v.topics = {{"other", "no_conditions"}};
    if (i % 4 == 2) v.topics = {{"safety", "done"}, {"health", "guided"}, {"cashless", "done"}};
    if (i % 4 == 3) v.members = {f.leader.id, f.member.id};
    auto saved = Visits(*d.db).Save(v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  }
}

}  // namespace gocua::hub_store_test
