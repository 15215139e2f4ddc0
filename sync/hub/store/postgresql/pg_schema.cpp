// The PostgreSQL hub store's migrations (pg_schema.h).
#include "sync/hub/store/postgresql/pg_schema.h"

#include "storage/core/ids.h"
#include "storage/core/topic_catalog.h"
#include "sync/hub/store/postgresql/pg_log.h"
#include "sync/hub/store/postgresql/pg_records.h"

namespace gocua::pg {
namespace {

// Held by the transaction that migrates: a constant of this store ("gocua-hub schema").
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(7316002)";

// Step n is kSteps[n - 1]. Never changed: a change is a new step.
const char* const kSteps[] = {
    // 1: the hub's tables. The log is one row per op; server_seq is handed out in commit order
    // (pg_log.h), so a cursor never passes an op that commits late.
    R"SQL(
CREATE TABLE hub_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE hub_clock(id int PRIMARY KEY CHECK (id = 1), hlc bigint NOT NULL);
INSERT INTO hub_clock VALUES(1, 0);
CREATE TABLE hub_devices(
  device_id text PRIMARY KEY,
  commune_id text NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  enrolled_at bigint NOT NULL,
  last_seen bigint NOT NULL DEFAULT 0,
  revoked boolean NOT NULL DEFAULT false,
  role text NOT NULL DEFAULT 'member');
CREATE INDEX hub_devices_commune ON hub_devices(commune_id);
CREATE TABLE hub_codes(
  code_hash text PRIMARY KEY,
  commune_id text NOT NULL,
  expires_at bigint NOT NULL,
  used_by text NOT NULL DEFAULT '',
  role text NOT NULL DEFAULT 'member');
CREATE TABLE hub_origins(origin_device text PRIMARY KEY, max_seq bigint NOT NULL);
CREATE SEQUENCE hub_log_seq;
CREATE TABLE hub_log(
  server_seq bigint PRIMARY KEY,
  origin_device text NOT NULL,
  seq bigint NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  field text NOT NULL,
  value text NOT NULL,
  base_hlc bigint NOT NULL,
  base_device text NOT NULL,
  hlc bigint NOT NULL,
  orig_hlc bigint NOT NULL,
  commune_id text NOT NULL,
  served boolean NOT NULL,
  outcome text NOT NULL,
  reason text NOT NULL,
  pushed_by text NOT NULL,
  received_at bigint NOT NULL,
  author text NOT NULL,
  seen_hlc bigint NOT NULL,
  seen_device text NOT NULL,
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served;
CREATE INDEX hub_log_quarantine ON hub_log(server_seq) WHERE NOT served;
-- One row per op, as the SQLite store's view of the same name shows its log: for people and tests.
CREATE VIEW hub_ops AS SELECT * FROM hub_log;
CREATE TABLE hub_scope(
  record_type text NOT NULL, record_id text NOT NULL, commune_id text NOT NULL,
  PRIMARY KEY(record_type, record_id));
)SQL",
    // 2: the province's web console (sync/hub/console/): administrators' accounts, signed-in
    // sessions (by the SHA-256 of their id), the audit log and settings, as the SQLite store's
    // hub schema step 9. In the database, so that several hubs on it serve one console.
    R"SQL(
CREATE TABLE console_admins(
  name text PRIMARY KEY,
  password_hash text NOT NULL,
  failed bigint NOT NULL DEFAULT 0,
  locked_until bigint NOT NULL DEFAULT 0,
  created_at bigint NOT NULL);
CREATE TABLE console_sessions(
  id_hash text PRIMARY KEY,
  admin text NOT NULL REFERENCES console_admins(name),
  csrf text NOT NULL,
  created_at bigint NOT NULL,
  last_seen bigint NOT NULL);
CREATE TABLE console_audit(
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at bigint NOT NULL,
  admin text NOT NULL,
  action text NOT NULL,
  detail text NOT NULL,
  remote text NOT NULL);
CREATE TABLE console_settings(key text PRIMARY KEY, value text NOT NULL);
)SQL",
    // 3: a device that re-identified (reset-device) is retired, remembering its new id (as the
    // SQLite store's step 10).
    R"SQL(
ALTER TABLE hub_devices ADD COLUMN replaced_by text NOT NULL DEFAULT '';
)SQL",
    // 4: the record tables' stamps are the record store's binary column (storage/core/
    // stamps_text.h, as the SQLite hub's since device schema 10): a bytea. The JSON text of
    // the rows there is kept as its bytes, read alike, and written binary when the record is
    // next written. A new database has no record table yet (EnsureRecordTables makes them so).
    R"SQL(
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT table_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND column_name = 'stamps'
             AND data_type = 'text'
  LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN stamps DROP DEFAULT, '
                   'ALTER COLUMN stamps TYPE bytea USING convert_to(stamps, ''UTF8''), '
                   'ALTER COLUMN stamps SET DEFAULT ''\x7b7d''::bytea', t);
  END LOOP;
END $$;
)SQL",
    // 5: the log as runs of ops with integer ids (pg_log.h; as the SQLite store's hub schema
    // 11): one row of hub_runs per run, its ops after the first in `rest` (bytes written and
    // read only by log_runs.h), the ids of devices, communes and authors numbers of hub_ids.
    // Bytes per visit (tools/bench/hub_size.cpp): the columns are in the order that wastes no
    // alignment; those that are mostly their default are NULL then (base and seen: none;
    // orig_hlc: hlc); the primary key is (origin, seq), which resends and conflicts read, and
    // no index on server_seq alone: the pulls read hub_runs_scope, the quarantine its own, the
    // log's end is hub_log_seq's (pg_log.h). The view hub_log shows the rows with their texts.
    // The rows of schema 4 move over in MigratePg (UpgradeLogToRuns).
    R"SQL(
DROP VIEW hub_ops;
ALTER TABLE hub_log RENAME TO hub_log_v4;
CREATE TABLE hub_ids(
  id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 1) PRIMARY KEY,
  text text NOT NULL UNIQUE);
INSERT INTO hub_ids(id, text) VALUES(0, '');
CREATE TABLE hub_runs(
  origin integer NOT NULL,
  seq bigint NOT NULL,
  server_seq bigint NOT NULL,
  hlc bigint NOT NULL,
  received_at bigint NOT NULL,
  commune integer NOT NULL,
  pushed_by integer NOT NULL,
  author integer NOT NULL,
  n smallint NOT NULL,
  served boolean NOT NULL,
  record_type text NOT NULL,
  record_id text NOT NULL,
  field text NOT NULL,
  value text NOT NULL,
  outcome text NOT NULL,
  reason text NOT NULL,
  rest bytea NOT NULL,
  base_hlc bigint,
  orig_hlc bigint,
  seen_hlc bigint,
  base_device integer,
  seen_device integer,
  PRIMARY KEY(origin, seq));
CREATE INDEX hub_runs_scope ON hub_runs(commune, server_seq) WITH (fillfactor = 100) WHERE served;
CREATE INDEX hub_runs_quarantine ON hub_runs(server_seq) WHERE NOT served;
CREATE VIEW hub_log AS
  SELECT r.server_seq, r.n, r.rest, o.text AS origin_device, r.seq, r.record_type, r.record_id,
    r.field, r.value, COALESCE(r.base_hlc, 0) AS base_hlc, bd.text AS base_device, r.hlc,
    COALESCE(r.orig_hlc, r.hlc) AS orig_hlc, c.text AS commune_id, r.served, r.outcome,
    r.reason, p.text AS pushed_by, r.received_at, a.text AS author,
    COALESCE(r.seen_hlc, 0) AS seen_hlc, sd.text AS seen_device, r.origin, r.commune
  FROM hub_runs r JOIN hub_ids o ON o.id = r.origin
    JOIN hub_ids bd ON bd.id = COALESCE(r.base_device, 0) JOIN hub_ids c ON c.id = r.commune
    JOIN hub_ids p ON p.id = r.pushed_by JOIN hub_ids a ON a.id = r.author
    JOIN hub_ids sd ON sd.id = COALESCE(r.seen_device, 0);
)SQL",
    // 6: no change of tables. From here a run's `rest` may hold the value tags 3-7 of
    // log_binary.h (dates, words, the run's author; SQLite hub schema 13), which a hub of
    // schema 5 cannot read: the step makes such a hub refuse this database (kTooNew) rather
    // than serve runs it would misread.
    R"SQL(
COMMENT ON TABLE hub_runs IS 'rest: log_runs.h forms, value tags up to 7 (log_binary.h)';
)SQL",
};
constexpr int kStepCount = sizeof(kSteps) / sizeof(kSteps[0]);
static_assert(kStepCount == kPgHubSchema, "one step per schema version");

Result<int64_t> SchemaVersion(Conn& c) {
  auto has = c.Query("SELECT to_regclass('hub_meta') IS NOT NULL", {}, "schema");
  if (!has) return has.error();
  if (!has->Bool(0, 0)) return int64_t{0};
  auto v = c.Query("SELECT value FROM hub_meta WHERE key = 'hub_schema'", {}, "schema");
  if (!v) return v.error();
  return v->empty() ? int64_t{0} : std::stoll(v->Text(0, 0));
}

Status SetMeta(Conn& c, const std::string& key, const std::string& value) {
  return c.Exec(
      "INSERT INTO hub_meta(key, value) VALUES($1, $2) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      {key, value}, "meta");
}

Result<std::string> ReadMeta(Conn& c, const std::string& key) {
  auto r = c.Query("SELECT value FROM hub_meta WHERE key = $1", {key}, "meta");
  if (!r) return r.error();
  return r->empty() ? std::string() : r->Text(0, 0);
}

// A new database: the hub's ids, the national topic catalog with zero stamps (as devices and
// the SQLite hub hold it) and the catalog's scope, everyone's.
Status Seed(Conn& c, int64_t now_ms) {
  if (Status s = SetMeta(c, "device_id", NewUuidV7(now_ms)); !s) return s;
  if (Status s = SetMeta(c, "hub_log_id", RandomHex(4)); !s) return s;
  for (const Topic& t : BuiltinTopics()) {
    if (Status s = c.Exec("INSERT INTO topics(id, name_vi, name_en, skill, sort, deleted, stamps) "
                          "VALUES($1, $2, $3, $4, $5, 0, '{}') ON CONFLICT (id) DO NOTHING",
                          {t.id, t.name_vi, t.name_en, t.skill, Int(t.sort)}, "seeding the topics");
        !s)
      return s;
  }
  for (const char* t : {"vneid", "dvc", "cashless", "health", "ecommerce", "safety", "smartphone",
                        "elearning", "other"})
    if (Status s = c.Exec(
            "INSERT INTO hub_scope(record_type, record_id, commune_id) VALUES('topic', $1, '') "
            "ON CONFLICT DO NOTHING",
            {t}, "topic scope");
        !s)
      return s;
  return Status::Ok();
}

}  // namespace

Result<HubIds> MigratePg(Conn& c, int64_t now_ms) {
  if (Status s = c.Begin("BEGIN"); !s) return s;
  HubIds ids;
  Status st = [&]() -> Status {
    if (Status s = c.Simple(kMigrationLock, "migration lock"); !s) return s;
    auto have = SchemaVersion(c);
    if (!have) return have.error();
    if (*have > kPgHubSchema)
      return {ErrorCode::kTooNew,
              "Cơ sở dữ liệu của máy chủ mới hơn; hãy cập nhật gocua-hub — the database is of "
              "a newer hub (schema " +
                  std::to_string(*have) + ", this hub knows " + std::to_string(kPgHubSchema) + ")"};
    for (int64_t n = *have + 1; n <= kPgHubSchema; ++n) {
      // Step 5 rewrites the log: a database that has its runs already (its hub_schema set back
      // by hand, as tests of earlier steps do) keeps them.
      bool made = false;
      if (n == 5) {
        auto runs = c.Query("SELECT to_regclass('hub_runs') IS NOT NULL", {}, "schema");
        if (!runs) return runs.error();
        made = runs->Bool(0, 0);
      }
      if (!made)
        if (Status s = c.Simple(kSteps[n - 1], "migration"); !s) return s;
      if (n == 5 && !made) {
        if (Status s = UpgradeLogToRuns(c); !s) return s;
        if (Status s = c.Simple("DROP TABLE hub_log_v4", "migration"); !s) return s;
      }
      if (Status s = SetMeta(c, "hub_schema", std::to_string(n)); !s) return s;
    }
    if (Status s = EnsureRecordTables(c); !s) return s;
    auto hub_id = ReadMeta(c, "device_id");
    if (!hub_id) return hub_id.error();
    if (hub_id->empty()) {
      if (Status s = Seed(c, now_ms); !s) return s;
      hub_id = ReadMeta(c, "device_id");
      if (!hub_id) return hub_id.error();
    }
    auto log_id = ReadMeta(c, "hub_log_id");
    if (!log_id) return log_id.error();
    ids = {*hub_id, *log_id};
    return c.Commit();
  }();
  if (!st) {
    c.Rollback();
    return st;
  }
  return ids;
}

}  // namespace gocua::pg
