// Device schema v1 and v2: the record tables, the change log (outbox) and who made each
// change. Its own file: migrations.cpp lists these in order with the others (Migrations());
// their text never changes once shipped, as theirs.
#include "storage/core/migration_steps.h"

namespace gocua {

// v1: the record tables of storage/core/schema.h, each with a tombstone and per-field stamps
// (JSON object: field → [hlc, device]); the change log (outbox); tables derived from
// visits for reports; the search index over folded text; the topic catalog.
// References are DEFERRABLE so that a record may arrive field by field within one transaction.
const char kMigrationV1[] = R"SQL(
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
CREATE INDEX households_village ON households(village_id);

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
CREATE INDEX persons_household ON persons(household_id);

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
CREATE INDEX visits_household ON visits(household_id, visited_on);
CREATE INDEX visits_visited_on ON visits(visited_on);
CREATE INDEX visits_followup ON visits(followup_on) WHERE followup_on <> '';
CREATE INDEX visits_status ON visits(status, visited_on);

CREATE TABLE reviews(
  id TEXT PRIMARY KEY,
  visit_id TEXT REFERENCES visits(id) DEFERRABLE INITIALLY DEFERRED,
  decision TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  leader_id TEXT REFERENCES members(id) DEFERRABLE INITIALLY DEFERRED,
  decided_at INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE INDEX reviews_visit ON reviews(visit_id, decided_at);

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
  stamps TEXT NOT NULL DEFAULT '{}');
CREATE INDEX conflicts_open ON conflicts(status, record_type);

-- Derived from visits.members / persons / topics whenever a visit is written; never synced.
CREATE TABLE visit_members(visit_id TEXT NOT NULL, member_id TEXT NOT NULL,
  PRIMARY KEY(visit_id, member_id)) WITHOUT ROWID;
CREATE INDEX visit_members_member ON visit_members(member_id);
CREATE TABLE visit_persons(visit_id TEXT NOT NULL, person_id TEXT NOT NULL,
  PRIMARY KEY(visit_id, person_id)) WITHOUT ROWID;
CREATE INDEX visit_persons_person ON visit_persons(person_id);
CREATE TABLE visit_topics(visit_id TEXT NOT NULL, topic_id TEXT NOT NULL, result TEXT NOT NULL,
  PRIMARY KEY(visit_id, topic_id)) WITHOUT ROWID;
CREATE INDEX visit_topics_topic ON visit_topics(topic_id, result);

-- The change log the sync engine pushes: one row per changed field, seq dense per device.
-- A row leaves only when the hub has acknowledged it.
CREATE TABLE outbox(
  seq INTEGER PRIMARY KEY,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  base_hlc INTEGER NOT NULL,
  base_device TEXT NOT NULL,
  hlc INTEGER NOT NULL);

-- Search over folded text (storage/core/text.h): rowid = 2*households.rowid for a household
-- (head, address, phone), 2*persons.rowid+1 for a person (name).
CREATE VIRTUAL TABLE search USING fts5(body, household_id UNINDEXED, prefix='1 2 3 4 5 6');
)SQL";

// v2: who made each change-log entry (the signed-in member, '' when nobody was signed in),
// and for a delete the highest stamp the deleting device held on the record's other fields
// (0, '' otherwise), so the hub can tell a delete that raced an edit (docs/sync-protocol.md).
const char kMigrationV2[] = R"SQL(
ALTER TABLE outbox ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN seen_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN seen_device TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace gocua
