// Hubs on PostgreSQL for end-to-end tests: a fresh database of the test process's private
// cluster (pg_cluster.h), and a side connection that holds a device's row locked so that the
// device's push waits inside its transaction — a writer that commits late.
// Header-only, like hub_process.h. On Windows (the client's tests under Wine) only the SQLite
// store is offered: GOCUA_HUB_PROCESS_STORES names it alone and HubDbReader reads its file.
#pragma once

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/hub_process.h"
#ifndef _WIN32
#include <vector>

#include "storage/device/households.h"
#include "sync/hub/store/postgresql/pg_conn.h"
#include "sync/hub/store/postgresql/pg_ops_table.h"
#include "tests/support/pg_cluster.h"
#include "tests/support/sync_fixture.h"
#endif

#ifndef _WIN32
namespace gocua::test {

// The URI of a new, empty database for a hub (the hub makes its schema when it opens it).
inline std::string NewHubDatabase() {
  PgCluster& cluster = PgCluster::Shared();
  return cluster.Uri(cluster.NewDatabase());
}

// Locks `device_id`'s row of hub_devices (SELECT ... FOR UPDATE in an open transaction) until
// Release or destruction. A push from that device applies all its ops, then waits in its last
// statement (recording the device's contact) with its log entries made and not yet committed.
class DeviceRowLock {
 public:
  DeviceRowLock(const std::string& uri, const std::string& device_id) {
    auto c = pg::Conn::Open(uri);
    REQUIRE_MESSAGE(c.ok(), c.error().message());
    conn_ = std::move(c).value();
    auto w = pg::Conn::Open(uri);
    REQUIRE_MESSAGE(w.ok(), w.error().message());
    watch_ = std::move(w).value();
    REQUIRE(conn_->Begin("BEGIN").ok());
    auto locked = conn_->Query("SELECT 1 FROM hub_devices WHERE device_id = $1 FOR UPDATE",
                               {device_id}, "lock");
    REQUIRE_MESSAGE(locked.ok(), locked.error().message());
    REQUIRE(locked->size() == 1);
  }
  ~DeviceRowLock() { Release(); }

  // Waits (at most 60 s) until a session of the database waits for a lock: the push has
  // reached the locked row.
  void WaitForWaiter() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      auto n = watch_->Query(
          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
          "datname = current_database()",
          {}, "waiters");
      REQUIRE_MESSAGE(n.ok(), n.error().message());
      if (n->Int(0, 0) > 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    FAIL("no push came to wait for the locked device row within 60 s");
  }
  void Release() {
    if (!open_) return;
    open_ = false;
    conn_->Rollback();
  }

 private:
  std::unique_ptr<pg::Conn> conn_, watch_;
  bool open_ = true;
};

// Two gocua-hub processes on one new PostgreSQL database, both started: the fixture's hub
// (its commune, village, members; devices enroll there) and `other`.
struct TwoPgHubs {
  std::string uri = NewHubDatabase();
  SyncFixture f{uri};
  HubProcess other;
  TwoPgHubs() {
    f.hub.Start();
    other.UseStore(uri);
    other.Start();
  }
};

// `n` new households on `device` in one transaction (8 ops each), named `name` and a number
// from *counter (counted up).
inline void AddNamedHouseholds(SyncDevice& device, const std::string& village, int n, int* counter,
                               const std::string& name = "Phạm Văn Đồng") {
  std::vector<Household> hs;
  for (int i = 0; i < n; ++i) {
    ++*counter;
    Household h;
    h.village_id = village;
    h.head_name = name + " " + std::to_string(*counter);
    h.address = "Xóm " + std::to_string(*counter % 30);
    h.phone = "09" + std::to_string(30000000 + *counter);
    h.members_count = 4;
    h.working_age_count = 2;
    h.smartphones = 1;
    hs.push_back(h);
  }
  auto ids = Households(device.db()).AddAll(hs);
  REQUIRE_MESSAGE(ids.ok(), ids.error().message());
}

}  // namespace gocua::test
#endif  // !_WIN32

namespace gocua::test {

// The stores the end-to-end sync tests run a real hub on: TEST_CASE_TEMPLATE(name, Store,
// GOCUA_HUB_PROCESS_STORES) gives SyncFixture f(Store::Make()).
struct SqliteHubStore {
  static std::string Make() { return ""; }  // the hub's data folder
};
#ifndef _WIN32
struct PostgresHubStore {
  static std::string Make() { return NewHubDatabase(); }
};
#define GOCUA_HUB_PROCESS_STORES gocua::test::SqliteHubStore, gocua::test::PostgresHubStore
#else
#define GOCUA_HUB_PROCESS_STORES gocua::test::SqliteHubStore
#endif

// Reads a hub's database from outside, whichever store it runs on: its SQLite file (read-only)
// or its PostgreSQL database. Both show hub_ops (one row per op of the log): the SQLite store's
// view, and on PostgreSQL the session's table that pg::LoadOpsTable fills before each query
// that reads it (postgresql/pg_ops_table.h).
class HubDbReader {
 public:
  explicit HubDbReader(const HubProcess& hub) {
    if (hub.store().empty()) {
      sqlite_ = std::make_unique<SqliteReader>(hub.db_path());
      return;
    }
#ifndef _WIN32
    auto c = pg::Conn::Open(hub.store());
    REQUIRE_MESSAGE(c.ok(), c.error().message());
    pg_ = std::move(c).value();
#endif
  }
  // The one integer `sql` selects (SQL both databases take).
  int64_t Int(const std::string& sql) {
    if (sqlite_) return sqlite_->Int(sql);
#ifndef _WIN32
    INFO(sql);
    if (sql.find("hub_ops") != std::string::npos) {
      Status loaded = pg::LoadOpsTable(*pg_);
      REQUIRE_MESSAGE(loaded.ok(), loaded.message());
    }
    auto r = pg_->Query(sql, {}, "test query");
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    REQUIRE(r->size() == 1);
    return r->Int(0, 0);
#else
    FAIL("no PostgreSQL hub on Windows");
    return 0;
#endif
  }
  // "ok", or what SQLite's integrity check found. PostgreSQL keeps its own files whole: a hub
  // killed mid-write cannot damage them, so for it "ok" means the database still answers.
  std::string IntegrityCheck() {
    if (sqlite_) return sqlite_->IntegrityCheck();
#ifndef _WIN32
    auto r = pg_->Query("SELECT 1", {}, "test query");
    return r.ok() ? "ok" : r.error().message();
#else
    return "no PostgreSQL hub on Windows";
#endif
  }

 private:
  std::unique_ptr<SqliteReader> sqlite_;
#ifndef _WIN32
  std::unique_ptr<pg::Conn> pg_;
#endif
};

}  // namespace gocua::test
