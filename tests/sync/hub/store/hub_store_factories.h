#pragma once
// The hub stores that the hub-store tests (the conformance suite, tests/sync/hub/store/) run
// against: one line per store. A test written TEST_CASE_TEMPLATE(name, Store,
// GOCUA_HUB_STORES) runs once per store, as its own ctest case "name<gocua::test::SqliteStore>".
// PostgresStore runs on the test process's private cluster (tests/support/pg_cluster.h).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "platform/clock.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/postgresql/pg_hub_store.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/pg_cluster.h"

namespace gocua::test {

// Makes (or reopens) the store kept in the folder `dir`; `clock` must outlive it.
using OpenHubStore = Result<std::unique_ptr<HubStore>> (*)(const std::string& dir,
                                                           const Clock& clock);

// A store factory: Open (an OpenHubStore) makes (or reopens) the store kept in the folder `dir`.
struct SqliteStore {
  static Result<std::unique_ptr<HubStore>> Open(const std::string& dir, const Clock& clock) {
    return OpenSqliteHubStore(dir + "/hub.db", clock);
  }
};

// The PostgreSQL store: one database of the private cluster per folder (a reopen of the same
// folder is the same database).
struct PostgresStore {
  static Result<std::unique_ptr<HubStore>> Open(const std::string& dir, const Clock& clock) {
    PgCluster& cluster = PgCluster::Shared();
    const std::string db = "h" + std::to_string(std::hash<std::string>{}(dir) % 1000000007);
    cluster.EnsureDatabase(db);
    return OpenPostgresHubStore(cluster.Uri(db), clock);
  }
};

// The SQLite store behind `store`, for the tests that look inside it (its scope cache, its
// log rows): those are SQLite-only, not part of the conformance suite.
inline SqliteHubStore& Sqlite(HubStore& store) {
  auto* s = dynamic_cast<SqliteHubStore*>(&store);
  REQUIRE_MESSAGE(s != nullptr, "a SQLite hub store");
  return *s;
}

// The store the tests that are not (yet) templated use.
using DefaultStore = SqliteStore;

}  // namespace gocua::test

// Every store the conformance suite runs against.
#define GOCUA_HUB_STORES gocua::test::SqliteStore, gocua::test::PostgresStore
