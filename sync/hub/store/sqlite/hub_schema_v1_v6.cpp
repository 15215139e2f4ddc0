// Hub schema 1 to 6: how a file gets to 6 (sync/hub/store/sqlite/hub_schema.h tells the
// story). A new file gets schema 6 whole (kSchema6, then SeedTopics); a file of 1..5 runs the
// legacy steps up to 5, then KeepSchema6Only. Migrate (hub_schema.cpp) runs them, inside its
// transaction. Never changed once released: a change is a new step.
#include <set>
#include <string>

#include "storage/core/topic_catalog.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_schema_steps.h"

namespace gocua::hub_internal {

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

namespace {

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

}  // namespace

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

}  // namespace gocua::hub_internal
