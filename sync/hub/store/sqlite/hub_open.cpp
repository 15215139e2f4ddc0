// Opening the SQLite hub store: its schema and migrations, the factory.
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"

namespace gocua {
namespace {

// The hub's own tables, beside the record tables of storage/core/migrations.cpp. Created on open;
// a change here is a new entry (meta "hub_schema" counts them).
const char* const kHubMigrations[] = {R"SQL(
CREATE TABLE hub_devices(
  device_id TEXT PRIMARY KEY,
  commune_id TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  enrolled_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL DEFAULT 0,
  revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE hub_codes(
  code_hash TEXT PRIMARY KEY,
  commune_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_by TEXT NOT NULL DEFAULT '');
-- Highest contiguous seq processed per origin device.
CREATE TABLE hub_origins(origin_device TEXT PRIMARY KEY, max_seq INTEGER NOT NULL) WITHOUT ROWID;
-- Every op processed, in server order. served = 0 for quarantined ops (never pulled).
CREATE TABLE hub_log(
  server_seq INTEGER PRIMARY KEY,
  origin_device TEXT NOT NULL,
  seq INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  orig_hlc INTEGER NOT NULL,
  commune_id TEXT NOT NULL,
  served INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  pushed_by TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL DEFAULT 0,
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served = 1;
-- The commune each record belongs to; '' = every commune (provinces, topics).
CREATE TABLE hub_scope(
  record_type TEXT NOT NULL, record_id TEXT NOT NULL, commune_id TEXT NOT NULL,
  PRIMARY KEY(record_type, record_id)) WITHOUT ROWID;
)SQL",
                                      // 2: an op's author and, for a delete, what it had seen.
                                      R"SQL(
ALTER TABLE hub_log ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE hub_log ADD COLUMN seen_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE hub_log ADD COLUMN seen_device TEXT NOT NULL DEFAULT '';
)SQL",
                                      // 3: the hub keeps no derived data (HubStore::Open);
                                      // what hubs of schema 1-2 kept is emptied.
                                      R"SQL(
DELETE FROM search; DELETE FROM household_order;
DELETE FROM visit_members; DELETE FROM visit_persons; DELETE FROM visit_topics;
DELETE FROM visit_latest; DELETE FROM visit_latest_members; DELETE FROM person_online;
DELETE FROM topic_day; DELETE FROM member_day; DELETE FROM household_span; DELETE FROM person_span;
)SQL",
                                      // 4: a row of hub_log holds a run of ops (hub_internal.h).
                                      R"SQL(
ALTER TABLE hub_log ADD COLUMN n INTEGER NOT NULL DEFAULT 1;
ALTER TABLE hub_log ADD COLUMN rest TEXT NOT NULL DEFAULT '[]';
CREATE VIEW hub_ops AS
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4,
    r.value ->> 5, l.commune_id, l.served, r.value ->> 6, r.value ->> 7, l.pushed_by,
    l.received_at, r.value ->> 8, r.value ->> 9, r.value ->> 10
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1;
)SQL",
                                      // 5: no index that only a device's lists and dashboard
                                      // read (every record write paid for them).
                                      R"SQL(
DROP INDEX IF EXISTS households_village; DROP INDEX IF EXISTS households_by_id;
DROP INDEX IF EXISTS households_register; DROP INDEX IF EXISTS persons_household;
DROP INDEX IF EXISTS persons_online; DROP INDEX IF EXISTS visits_household;
DROP INDEX IF EXISTS visits_visited_on; DROP INDEX IF EXISTS visits_followup;
DROP INDEX IF EXISTS visits_status; DROP INDEX IF EXISTS visits_period;
DROP INDEX IF EXISTS visits_review; DROP INDEX IF EXISTS reviews_visit;
DROP INDEX IF EXISTS conflicts_open;
)SQL"};

}  // namespace

using namespace hub_internal;

SqliteHubStore::SqliteHubStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
SqliteHubStore::~SqliteHubStore() = default;

Result<std::unique_ptr<HubStore>> OpenSqliteHubStore(const std::string& path, const Clock& clock) {
  auto db = Database::Open(path, clock);
  if (!db) return db.error();
  Database::Impl& d = (*db)->impl();
  // The hub serves records and never a dashboard: the search index and the dashboard's tables
  // (kept by RefreshDerived and by triggers) would cost more than half of a push's CPU.
  d.derived = false;
  if (sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr) != SQLITE_OK)
    return d.Error("triggers off", sqlite3_errcode(d.db));
  // Checkpoints every 4,000 WAL frames (~16 MB), not SQLite's 1,000: a push's hot pages (the
  // log's and the indexes' right edges) are copied to the database once per checkpoint, and
  // each checkpoint syncs. Commits still sync the WAL (synchronous = FULL): an acknowledged
  // op survives a power cut either way.
  sqlite3_wal_autocheckpoint(d.db, 4000);
  Status st = Transact(d, [&]() -> Status {
    auto schema = HubMetaInt(d, "hub_schema");
    if (!schema) return schema.error();
    const int64_t have = *schema;
    const int want = static_cast<int>(std::size(kHubMigrations));
    for (int64_t v = have; v < want; ++v)
      if (Status s = d.Exec(kHubMigrations[v]); !s) return s;
    if (have < want) {
      if (Status s = d.SetMeta("hub_schema", std::to_string(want)); !s) return s;
    }
    auto secret = HubMeta(d, "hub_secret");
    if (!secret) return secret.error();
    if (secret->empty()) {
      if (Status s = d.SetMeta("hub_secret", RandomHex(32)); !s) return s;
    }
    auto log_id = HubMeta(d, "hub_log_id");
    if (!log_id) return log_id.error();
    if (log_id->empty()) {
      if (Status s = d.SetMeta("hub_log_id", RandomHex(4)); !s) return s;
      // The topic catalog is everyone's.
      for (const char* t : {"vneid", "dvc", "cashless", "health", "ecommerce", "safety",
                            "smartphone", "elearning", "other"})
        if (Status s = SetScope(d, "topic", t, ""); !s) return s;
    }
    return Status::Ok();
  });
  if (!st) return st;
  return std::unique_ptr<HubStore>(std::make_unique<SqliteHubStore>(std::move(db).value()));
}

}  // namespace gocua
