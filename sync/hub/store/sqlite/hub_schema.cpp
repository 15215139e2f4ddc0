// The SQLite hub store's schema and migrations (sync/hub/store/sqlite/hub_schema.h).
#include "sync/hub/store/sqlite/hub_schema.h"

#include <set>
#include <string>
#include <vector>

#include "storage/core/ids.h"
#include "storage/core/topic_catalog.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_ops_view.h"

namespace gocua::hub_internal {
namespace {

// Hub schema 1..5, as hubs before 6 ran them over the device's schema (storage/core/
// migrations.cpp, device schema 9): kept only to bring such a file to 5 before step 6.
// Never changed: a change is a new step.
const char* const kLegacySteps[] = {R"SQL(
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

// Hub schema 6, whole, for a new file, but for its topic rows (SeedTopics). The record tables
// have the columns of device schema 9 in the same order (what hubs of schema 5 hold).
const char kSchema6[] = R"SQL(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE provinces(
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE communes(
  id TEXT PRIMARY KEY,
  province_id TEXT REFERENCES provinces(id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL DEFAULT '',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE villages(
  id TEXT PRIMARY KEY,
  commune_id TEXT REFERENCES communes(id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL DEFAULT '',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE INDEX villages_commune ON villages(commune_id);
CREATE TABLE members(
  id TEXT PRIMARY KEY,
  commune_id TEXT REFERENCES communes(id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  pin_hash TEXT NOT NULL DEFAULT '',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE INDEX members_commune ON members(commune_id);
CREATE TABLE topics(
  id TEXT PRIMARY KEY,
  name_vi TEXT NOT NULL DEFAULT '',
  name_en TEXT NOT NULL DEFAULT '',
  skill TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE households(
  id TEXT PRIMARY KEY,
  village_id TEXT REFERENCES villages(id) DEFERRABLE INITIALLY DEFERRED,
  address TEXT NOT NULL DEFAULT '',
  head_name TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  members_count INTEGER NOT NULL DEFAULT 0,
  working_age_count INTEGER NOT NULL DEFAULT 0,
  smartphones INTEGER NOT NULL DEFAULT 0,
  home_internet INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE persons(
  id TEXT PRIMARY KEY,
  household_id TEXT REFERENCES households(id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL DEFAULT '',
  birth_year INTEGER NOT NULL DEFAULT 0,
  sex TEXT NOT NULL DEFAULT '',
  skill_public_services TEXT NOT NULL DEFAULT 'none',
  skill_shopping TEXT NOT NULL DEFAULT 'none',
  skill_payment TEXT NOT NULL DEFAULT 'none',
  skill_safety TEXT NOT NULL DEFAULT 'none',
  skill_platforms TEXT NOT NULL DEFAULT 'none',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE visits(
  id TEXT PRIMARY KEY,
  household_id TEXT REFERENCES households(id) DEFERRABLE INITIALLY DEFERRED,
  visited_on TEXT NOT NULL DEFAULT '',
  minutes INTEGER NOT NULL DEFAULT 0,
  members TEXT NOT NULL DEFAULT '[]',
  persons TEXT NOT NULL DEFAULT '[]',
  topics TEXT NOT NULL DEFAULT '{}',
  notes TEXT NOT NULL DEFAULT '',
  followup_on TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  created_by TEXT REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE reviews(
  id TEXT PRIMARY KEY,
  visit_id TEXT REFERENCES visits(id) DEFERRABLE INITIALLY DEFERRED,
  decision TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  leader_id TEXT REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
  decided_at INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE TABLE conflicts(
  id TEXT PRIMARY KEY,
  record_type TEXT NOT NULL DEFAULT '',
  record_id TEXT NOT NULL DEFAULT '',
  field TEXT NOT NULL DEFAULT '',
  value_a TEXT NOT NULL DEFAULT '',
  value_b TEXT NOT NULL DEFAULT '',
  device_a TEXT NOT NULL DEFAULT '',
  device_b TEXT NOT NULL DEFAULT '',
  hlc_a INTEGER NOT NULL DEFAULT 0,
  hlc_b INTEGER NOT NULL DEFAULT 0,
  winner TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT '',
  resolution TEXT NOT NULL DEFAULT '',
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}',
  value_base TEXT NOT NULL DEFAULT '',
  author_a TEXT NOT NULL DEFAULT '',
  author_b TEXT NOT NULL DEFAULT '');
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  author TEXT NOT NULL DEFAULT '',
  seen_hlc INTEGER NOT NULL DEFAULT 0,
  seen_device TEXT NOT NULL DEFAULT '');
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
CREATE TABLE hub_origins(origin_device TEXT PRIMARY KEY, max_seq INTEGER NOT NULL) WITHOUT ROWID;
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
  author TEXT NOT NULL DEFAULT '',
  seen_hlc INTEGER NOT NULL DEFAULT 0,
  seen_device TEXT NOT NULL DEFAULT '',
  n INTEGER NOT NULL DEFAULT 1,
  rest TEXT NOT NULL DEFAULT '[]',
  UNIQUE(origin_device, seq));
CREATE INDEX hub_log_scope ON hub_log(commune_id, server_seq) WHERE served = 1;
CREATE TABLE hub_scope(
  record_type TEXT NOT NULL, record_id TEXT NOT NULL, commune_id TEXT NOT NULL,
  PRIMARY KEY(record_type, record_id)) WITHOUT ROWID;
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
)SQL";

// Step 6 on a new file: the national topic catalog (storage/core/topic_catalog.h, the one
// definition devices seed from too), with zero stamps and no outbox entry, as devices hold it.
// Only a new file: an upgraded one keeps the topics it has (a hub may have edited them).
Status SeedTopics(Database::Impl& d) {
  for (const Topic& t : BuiltinTopics()) {
    Status st;
    auto q = d.Prepare(
        "INSERT INTO topics(id, name_vi, name_en, skill, sort, deleted, stamps) "
        "VALUES(?, ?, ?, ?, ?, 0, '{}')",
        &st);
    if (!q) return st;
    q->Bind(1, t.id).Bind(2, t.name_vi).Bind(3, t.name_en).Bind(4, t.skill).Bind(5, t.sort);
    if (const int rc = q->Step(); rc != SQLITE_DONE) return d.Error("seeding the topics", rc);
  }
  return Status::Ok();
}

// Step 7 (on every file, new or upgraded): enrollment codes and devices carry a role, and the
// hub secret that tokens were derived from before is gone (tokens are random since; the hashes
// of tokens already handed out stay, so those devices keep working, as members).
const char kStep7[] = R"SQL(
ALTER TABLE hub_codes ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
ALTER TABLE hub_devices ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
DELETE FROM meta WHERE key = 'hub_secret';
)SQL";

// Step 8: the mirror of device schema 10, a household's removal reason (households.
// removed_reason, storage/core/schema.cpp): the record store reads and writes columns by name,
// so the column's place at the end of the table does not matter.
const char kStep8[] = R"SQL(
ALTER TABLE households ADD COLUMN removed_reason TEXT NOT NULL DEFAULT '';
)SQL";

// Step 9 (on every file): the province's web console (sync/hub/console/): administrators'
// accounts, signed-in sessions (by the SHA-256 of their id) and the audit log. In the database,
// not in a process, so that several hub processes on one database serve one console.
const char kStep9[] = R"SQL(
CREATE TABLE console_admins(
  name TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  failed INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE console_sessions(
  id_hash TEXT PRIMARY KEY,
  admin TEXT NOT NULL REFERENCES console_admins(name),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE console_audit(
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  admin TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL,
  remote TEXT NOT NULL);
CREATE TABLE console_settings(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)SQL";

// Step 10: a device that re-identified (reset-device) is retired, remembering its new id.
const char kStep10[] = R"SQL(
ALTER TABLE hub_devices ADD COLUMN replaced_by TEXT NOT NULL DEFAULT '';
)SQL";

// Step 11, the lean log (hub_internal.h):
//  - the log's ids (devices, communes, authors) are numbers: hub_ids maps each text to one,
//    and the runs move to hub_runs, which holds the numbers; the view hub_log shows its rows
//    with the texts, under the names and in the columns the table had, so reads are unchanged;
//  - a run's ops after the first are written short when they repeat what the first says;
//    hub_ops reads both forms. RewriteBatch then rewrites the rows already there, so an
//    upgraded hub is as lean as a new one (after a VACUUM).
const char kStep11[] = R"SQL(
CREATE TABLE hub_ids(id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
INSERT INTO hub_ids(id, text) VALUES(0, '');
INSERT OR IGNORE INTO hub_ids(text)
  SELECT origin_device FROM hub_log UNION SELECT base_device FROM hub_log
  UNION SELECT commune_id FROM hub_log UNION SELECT pushed_by FROM hub_log
  UNION SELECT author FROM hub_log UNION SELECT seen_device FROM hub_log;
CREATE TABLE hub_runs(
  server_seq INTEGER PRIMARY KEY,
  n INTEGER NOT NULL,
  origin INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device INTEGER NOT NULL,
  hlc INTEGER NOT NULL,
  orig_hlc INTEGER NOT NULL,
  commune INTEGER NOT NULL,
  served INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  pushed_by INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  author INTEGER NOT NULL,
  seen_hlc INTEGER NOT NULL,
  seen_device INTEGER NOT NULL,
  rest TEXT NOT NULL,
  UNIQUE(origin, seq));
INSERT INTO hub_runs
  SELECT l.server_seq, l.n, o.id, l.seq, l.record_type, l.record_id, l.field, l.value,
    l.base_hlc, bd.id, l.hlc, l.orig_hlc, c.id, l.served, l.outcome, l.reason, p.id,
    l.received_at, a.id, l.seen_hlc, sd.id, l.rest
  FROM hub_log l JOIN hub_ids o ON o.text = l.origin_device
    JOIN hub_ids bd ON bd.text = l.base_device JOIN hub_ids c ON c.text = l.commune_id
    JOIN hub_ids p ON p.text = l.pushed_by JOIN hub_ids a ON a.text = l.author
    JOIN hub_ids sd ON sd.text = l.seen_device;
DROP VIEW hub_ops;
DROP TABLE hub_log;
CREATE INDEX hub_runs_scope ON hub_runs(commune, server_seq) WHERE served = 1;
CREATE VIEW hub_log AS
  SELECT r.server_seq AS server_seq, r.n AS n, r.rest AS rest, o.text AS origin_device,
    r.seq AS seq, r.record_type AS record_type, r.record_id AS record_id, r.field AS field,
    r.value AS value, r.base_hlc AS base_hlc, bd.text AS base_device, r.hlc AS hlc,
    r.orig_hlc AS orig_hlc, c.text AS commune_id, r.served AS served, r.outcome AS outcome,
    r.reason AS reason, p.text AS pushed_by, r.received_at AS received_at, a.text AS author,
    r.seen_hlc AS seen_hlc, sd.text AS seen_device
  FROM hub_runs r JOIN hub_ids o ON o.id = r.origin JOIN hub_ids bd ON bd.id = r.base_device
    JOIN hub_ids c ON c.id = r.commune JOIN hub_ids p ON p.id = r.pushed_by
    JOIN hub_ids a ON a.id = r.author JOIN hub_ids sd ON sd.id = r.seen_device;
CREATE VIEW hub_ops AS
  SELECT server_seq, origin_device, seq, record_type, record_id, field, value, base_hlc,
    base_device, hlc, orig_hlc, commune_id, served, outcome, reason, pushed_by, received_at,
    author, seen_hlc, seen_device FROM hub_log
  UNION ALL
  SELECT l.server_seq + 1 + r.key, l.origin_device, l.seq + 1 + r.key, l.record_type,
    l.record_id, r.value ->> 0, r.value -> 1,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 2 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 3 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 4 END,
    CASE WHEN json_array_length(r.value) = 3 THEN l.hlc + (r.value ->> 2) ELSE r.value ->> 5 END,
    l.commune_id, l.served,
    CASE WHEN json_array_length(r.value) = 3 THEN l.outcome ELSE r.value ->> 6 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 7 END,
    l.pushed_by, l.received_at,
    CASE WHEN json_array_length(r.value) = 3 THEN l.author ELSE r.value ->> 8 END,
    CASE WHEN json_array_length(r.value) = 3 THEN 0 ELSE r.value ->> 9 END,
    CASE WHEN json_array_length(r.value) = 3 THEN '' ELSE r.value ->> 10 END
  FROM hub_log l, json_each(l.rest) r WHERE l.n > 1;
)SQL";

// Steps 11 and 12 on the rows already there: every run's `rest` written again by this
// build's writer (binary where the run fits it, else JSON with the short form where it
// applies), kLogBatch rows (hub_schema.h) a transaction, each committed with how far it got (meta
// "hub_rest_rewrite": the last server_seq done, "done" when none is left). Memory stays
// bounded; a process killed half way leaves whole batches behind and the next open goes on
// from there. Every reader reads both forms, so the log reads the same at any point. A row
// that cannot be read, or would not be smaller, is left as it is (its readers report it as
// before).
constexpr char kRewriteKey[] = "hub_rest_rewrite";
// One batch of at most `rows` rows; *done = true when no row was left.
Status RewriteBatch(Database::Impl& d, int rows_per_batch, bool* done) {
  auto progress = d.ReadMeta(kRewriteKey);
  if (!progress) return progress.error();
  if (progress->empty() || *progress == "done") {
    *done = true;
    return Status::Ok();
  }
  const int64_t after = std::stoll(*progress);
  struct Rewritten {
    int64_t server_seq;
    std::string rest, record_id;
    bool head_in_rest;
  };
  std::vector<Rewritten> rewritten;
  int64_t last = after;
  std::string text;
  {
    Status st;
    auto q = d.Prepare(std::string("SELECT ") + kLogColumns +
                           " FROM hub_log WHERE n > 1 AND server_seq > ? AND (typeof(rest) = "
                           "'text' OR substr(rest, 1, 1) <> x'02') ORDER BY server_seq LIMIT " +
                           std::to_string(rows_per_batch),
                       &st);
    if (!q) return st;
    q->Bind(1, after);
    int rc, rows = 0;
    while ((rc = q->Step()) == SQLITE_ROW) {
      ++rows;
      last = q->Int(0);
      auto run = ExpandLogRow(*q);
      if (!run) continue;
      text.clear();
      const bool head_in_rest = AppendRestText(text, *run, true);
      const size_t had =
          q->Bytes(2).size() + (head_in_rest ? q->Bytes(7).size() + q->Bytes(8).size() : 0);
      if (text.size() < had)
        rewritten.push_back({last, text, run->front().op.record_id, head_in_rest});
    }
    if (rc != SQLITE_DONE) return d.Error("hub log rewrite", rc);
    *done = rows == 0;
  }
  for (const Rewritten& r : rewritten) {
    Status st;
    // With the row's record id and orig_hlc as step 12 keeps them (hub_ops_view.h), op 0's
    // field and value empty when its rest holds them (step 13).
    auto u = d.Prepare(
        "UPDATE hub_runs SET rest = ?1, record_id = ?3, orig_hlc = CASE WHEN orig_hlc = hlc THEN "
        "0 ELSE orig_hlc END, field = CASE WHEN ?4 THEN '' ELSE field END, value = CASE WHEN ?4 "
        "THEN '' ELSE value END WHERE server_seq = ?2",
        &st);
    if (!u) return st;
    u->Bind(4, int64_t{r.head_in_rest ? 1 : 0});
    if (!r.rest.empty() && r.rest[0] != '[')
      u->BindBlob(1, r.rest);
    else
      u->Bind(1, r.rest);
    u->Bind(2, r.server_seq);
    if (std::string packed; PutUuid(packed, r.record_id))
      u->BindBlob(3, packed);
    else
      u->Bind(3, r.record_id);
    if (Status s = Run(d, std::move(u), st, "hub log rewrite"); !s) return s;
  }
  return d.SetMeta(kRewriteKey, *done ? std::string("done") : std::to_string(last));
}

// The objects of schema 6 (with SQLite's own autoindexes): step 6 drops every other.
const std::set<std::string>& Schema6Objects() {
  static const std::set<std::string> kObjects = {
      "meta",         "provinces",  "communes",    "villages",         "members",
      "topics",       "households", "persons",     "visits",           "reviews",
      "conflicts",    "outbox",     "hub_devices", "hub_codes",        "hub_origins",
      "hub_log",      "hub_scope",  "hub_ops",     "villages_commune", "members_commune",
      "hub_log_scope"};
  return kObjects;
}

Result<bool> HasTable(Database::Impl& d, const char* name) {
  Status st;
  auto q = d.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", &st);
  if (!q) return st;
  q->Bind(1, name);
  const int rc = q->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("schema", rc);
  return rc == SQLITE_ROW;
}

// Step 6 on a file of schema 5: drops the first object not in schema 6 until none is left (a
// dropped table takes its indexes and triggers, a virtual table its shadow tables, with it).
Status KeepSchema6Only(Database::Impl& d) {
  for (int dropped = 0; dropped < 1000; ++dropped) {
    std::string type, name;
    {
      Status st;
      auto q = d.Prepare(
          "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
          "ORDER BY type = 'table', rowid",
          &st);
      if (!q) return st;
      int rc;
      while ((rc = q->Step()) == SQLITE_ROW) {
        if (Schema6Objects().count(q->Text(1))) continue;
        type = q->Text(0);
        name = q->Text(1);
        break;
      }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("schema", rc);
    }
    if (name.empty()) return Status::Ok();
    const std::string kind = type == "table"   ? "TABLE"
                             : type == "index" ? "INDEX"
                             : type == "view"  ? "VIEW"
                                               : "TRIGGER";
    if (Status s = d.Exec(("DROP " + kind + " IF EXISTS \"" + name + "\"").c_str()); !s) return s;
  }
  return Status(ErrorCode::kInternal, "hub schema 6: too many objects to drop");
}

Status Migrate(Database::Impl& d) {
  auto has_meta = HasTable(d, "meta");
  if (!has_meta) return has_meta.error();
  int64_t have = 0;
  if (*has_meta) {
    auto v = d.ReadMetaInt("hub_schema");
    if (!v) return v.error();
    have = *v;
    auto has_log = HasTable(d, "hub_log");
    if (!has_log) return has_log.error();
    // Hub schema 0 with meta: the device's schema 9 that a hub before 6 made and had not yet
    // added its tables to (its first open stopped between the two). Anything else is no hub's.
    Status st;
    auto q = d.Prepare("PRAGMA user_version", &st);
    if (!q) return st;
    const int64_t device_schema = q->Step() == SQLITE_ROW ? q->Int(0) : -1;
    if (have == 0 && (*has_log || device_schema != 9))
      return Status(ErrorCode::kCorrupt,
                    "this file is not a hub's database (a device's, or damaged); give gocua-hub "
                    "its own --data folder");
  }
  if (have > kHubSchemaVersion)
    return Status(ErrorCode::kTooNew, "hub.db was written by a newer gocua-hub (hub schema " +
                                          std::to_string(have) + ", this one writes " +
                                          std::to_string(kHubSchemaVersion) +
                                          "); update gocua-hub");
  if (!*has_meta) {
    if (Status s = d.Exec(kSchema6); !s) return s;
    if (Status s = SeedTopics(d); !s) return s;
  } else {
    const int64_t legacy = static_cast<int64_t>(std::size(kLegacySteps));
    for (int64_t v = have; v < legacy; ++v)
      if (Status s = d.Exec(kLegacySteps[v]); !s) return s;
    if (have < 6)
      if (Status s = KeepSchema6Only(d); !s) return s;
  }
  if (have < 7)
    if (Status s = d.Exec(kStep7); !s) return s;
  if (have < 8)
    if (Status s = d.Exec(kStep8); !s) return s;
  if (have < 9)
    if (Status s = d.Exec(kStep9); !s) return s;
  if (have < 10)
    if (Status s = d.Exec(kStep10); !s) return s;
  if (have < 11) {
    // Only where hub_log is still a table: a file wound back by hand (the migration tests
    // take a current file back to an older number) may hold the runs already.
    auto has_runs = HasTable(d, "hub_runs");
    if (!has_runs) return has_runs.error();
    if (!*has_runs)
      if (Status s = d.Exec(kStep11); !s) return s;
    // Its rows are rewritten after the migration, batch by batch (RewriteBatch).
    if (Status s = d.SetMeta(kRewriteKey, "0"); !s) return s;
  }
  if (Status s = FillHubFields(d); !s) return s;
  if (Status s = FillHubWords(d); !s) return s;
  // Step 13, the leaner binary log (log_binary.h): op 0's field and value inside a binary rest
  // (form 0x02), dates, words (the table hub_words) and objects of words as a few bytes; the
  // views read those too. The rows already there are rewritten after the migration
  // (RewriteBatch), as for step 12; a file of 12 or older takes both at once (the views are
  // this build's: CREATE VIEW checks nothing of what it reads).
  if (have < 13) {
    // hub_scope lean (hub_scopes.cpp): ~55 B a visit less. Only where hub_scope is still a
    // table (a file wound back by hand may have it lean already).
    auto lean = HasTable(d, "hub_scopes");
    if (!lean) return lean.error();
    if (!*lean)
      if (Status s = LeanScopes(d); !s) return s;
    // Step 12, the binary log (sync/hub/store/log_binary.h): runs that fit are written in
    // binary (a BLOB `rest`); hub_ops reads that form too (hub_ops_view.h), with the field
    // codes of hub_fields. The rows already there are rewritten after the migration.
    // hub_runs keeps a record id that is a UUID as its 16 bytes and an orig_hlc equal to the
    // hlc as 0; the view hub_log shows both as before (rows of before read alike).
    if (Status s = d.Exec("DROP VIEW IF EXISTS hub_ops; DROP VIEW IF EXISTS hub_log"); !s) return s;
    if (Status s = d.Exec(HubLogViewSql().c_str()); !s) return s;
    if (Status s = d.Exec(HubOpsViewSql().c_str()); !s) return s;
    if (Status s = d.SetMeta(kRewriteKey, "0"); !s) return s;
  }
  if (have < kHubSchemaVersion)
    if (Status s = d.SetMeta("hub_schema", std::to_string(kHubSchemaVersion)); !s) return s;
  auto device_id = d.ReadMeta("device_id");
  if (!device_id) return device_id.error();
  if (device_id->empty()) {
    *device_id = NewUuidV7(d.clock->NowMs());
    if (Status s = d.SetMeta("device_id", *device_id); !s) return s;
  }
  d.device_id = *device_id;
  return Status::Ok();
}

}  // namespace

Status MigrateHubSchema(Database::Impl& d, bool rewrite) {
  if (Status s = d.Exec("BEGIN IMMEDIATE"); !s) return s;
  Status st = Migrate(d);
  if (st) st = d.Exec("COMMIT");
  if (!st) {
    d.Exec("ROLLBACK");
    return st;
  }
  return rewrite ? RewriteLogRows(d) : Status::Ok();
}

Status RewriteLogRows(Database::Impl& d, int max_batches, int batch_rows) {
  for (int i = 0; max_batches < 0 || i < max_batches; ++i) {
    if (Status s = d.Exec("BEGIN IMMEDIATE"); !s) return s;
    bool done = false;
    Status st = RewriteBatch(d, batch_rows, &done);
    if (st) st = d.Exec("COMMIT");
    if (!st) {
      d.Exec("ROLLBACK");
      return st;
    }
    if (done) break;
  }
  return Status::Ok();
}

}  // namespace gocua::hub_internal
