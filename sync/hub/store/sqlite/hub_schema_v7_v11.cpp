// Hub schema steps 7 to 11, the SQL that every file runs once, new or upgraded, in order
// (Migrate, hub_schema.cpp, runs each where the file's hub_schema is below it; step 11 only
// where hub_log is still a table). Never changed once released: a change is a new step.
#include "sync/hub/store/sqlite/hub_schema_steps.h"

namespace gocua::hub_internal {

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

}  // namespace gocua::hub_internal
