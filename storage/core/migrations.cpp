// Every schema migration, numbered, in one file. Over the house's ~500 lines on purpose:
// STYLE.md wants migrations "numbered in one place", and each one is SQL text that never
// changes once shipped (a file that has run v3 must not see a different v3). Splitting them
// by version would spread that one ordered list over files with no idea of their own; the
// comments above each version say what it is for.
#include "storage/core/migrations.h"

#include "storage/core/migration_steps.h"

namespace gocua {
namespace {

// A hub runs these too, then drops the indexes only devices read (sync/hub/store/sqlite/hub_store.cpp, hub
// schema 5): a later migration drops or changes such an index with DROP INDEX IF EXISTS.

// v1: the record tables of storage/core/schema.h, each with a tombstone and per-field stamps
// (JSON object: field → [hlc, device]); the change log (outbox); tables derived from
// visits for reports; the search index over folded text; the topic catalog.
// References are DEFERRABLE so that a record may arrive field by field within one transaction.
const char kV1[] = R"SQL(
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
const char kV2[] = R"SQL(
ALTER TABLE outbox ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN seen_hlc INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN seen_device TEXT NOT NULL DEFAULT '';
)SQL";

// v3: for the leaders' dashboard (storage/dashboard/indicators.cpp), which must stay within 100 ms over
// 200,000 visits (docs/benchmarks.md). Covering indexes, so its aggregates never read the wide
// visit, person and household rows; and each household's latest visit (not deleted), kept by
// triggers on visits in the writing transaction — whoever writes (a local save, a pulled op,
// the hub's merge) — so overdue follow-ups are one index range instead of a probe per visit.
// Local and derived: never synced, never exported. The triggers never rely on OR REPLACE: a
// trigger fired by an upsert (PutRow) runs its statements under the upsert's conflict rule.
const char kV3[] = R"SQL(
CREATE INDEX households_by_id ON households(id, village_id, deleted);
CREATE INDEX households_register ON households(village_id, deleted, working_age_count);
CREATE INDEX visits_period ON visits(visited_on, deleted, status, household_id, id);
CREATE INDEX persons_online ON persons(household_id, birth_year, skill_shopping, skill_payment,
  skill_safety, skill_platforms, skill_public_services, deleted)
  WHERE skill_public_services = 'proficient' AND deleted = 0;

CREATE TABLE visit_latest(
  household_id TEXT PRIMARY KEY,
  visit_id TEXT NOT NULL,
  visited_on TEXT NOT NULL,
  followup_on TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX visit_latest_followup ON visit_latest(followup_on, visit_id) WHERE followup_on <> '';
INSERT INTO visit_latest
  SELECT v.household_id, v.id, v.visited_on, v.followup_on FROM visits v
  WHERE v.deleted = 0 AND v.household_id IS NOT NULL
    AND v.id = (SELECT w.id FROM visits w WHERE w.household_id = v.household_id AND w.deleted = 0
                ORDER BY w.visited_on DESC, w.id DESC LIMIT 1);

CREATE TRIGGER visit_latest_insert AFTER INSERT ON visits WHEN NEW.household_id IS NOT NULL
BEGIN
  DELETE FROM visit_latest WHERE household_id = NEW.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.household_id AND deleted = 0
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER visit_latest_update
AFTER UPDATE OF household_id, visited_on, followup_on, deleted ON visits
BEGIN
  DELETE FROM visit_latest WHERE household_id IN (OLD.household_id, NEW.household_id);
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = OLD.household_id AND deleted = 0
    ORDER BY visited_on DESC, id DESC LIMIT 1;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.household_id AND NEW.household_id IS NOT OLD.household_id
      AND deleted = 0
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER visit_latest_delete AFTER DELETE ON visits BEGIN
  DELETE FROM visit_latest WHERE household_id = OLD.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = OLD.household_id AND deleted = 0
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
)SQL";

// v4: more of the dashboard kept by triggers, so that it reads index ranges instead of probing
// per visit or per person. The members of each household's latest visit (triggers on
// visit_latest, which is only ever deleted and inserted) for overdue follow-ups per member; a
// household deleted from the register has no latest visit (triggers on households); a change
// of a visit's members refreshes its household. The persons proficient in online public
// services with their village (replacing v3's index persons_online). The review queue's
// counts from an index. Same rules as v3: derived, local, no OR REPLACE.
const char kV4[] = R"SQL(
CREATE TABLE visit_latest_members(
  household_id TEXT NOT NULL,
  member_id TEXT NOT NULL,
  followup_on TEXT NOT NULL,
  PRIMARY KEY(household_id, member_id)) WITHOUT ROWID;
CREATE INDEX visit_latest_members_due ON visit_latest_members(member_id, followup_on)
  WHERE followup_on <> '';
CREATE INDEX visits_review ON visits(status, deleted);

CREATE TRIGGER visit_latest_members_insert AFTER INSERT ON visit_latest BEGIN
  INSERT INTO visit_latest_members(household_id, member_id, followup_on)
    SELECT DISTINCT NEW.household_id, je.value, NEW.followup_on
    FROM visits v, json_each(CASE WHEN json_valid(v.members) THEN v.members ELSE '[]' END) je
    WHERE v.id = NEW.visit_id AND je.type = 'text';
END;
CREATE TRIGGER visit_latest_members_delete AFTER DELETE ON visit_latest BEGIN
  DELETE FROM visit_latest_members WHERE household_id = OLD.household_id;
END;

DROP TRIGGER visit_latest_insert;
DROP TRIGGER visit_latest_update;
DROP TRIGGER visit_latest_delete;
CREATE TRIGGER visit_latest_insert AFTER INSERT ON visits WHEN NEW.household_id IS NOT NULL
BEGIN
  DELETE FROM visit_latest WHERE household_id = NEW.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.household_id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = NEW.household_id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER visit_latest_update
AFTER UPDATE OF household_id, visited_on, followup_on, deleted, members ON visits
BEGIN
  DELETE FROM visit_latest WHERE household_id = OLD.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = OLD.household_id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = OLD.household_id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1;
  DELETE FROM visit_latest WHERE household_id = NEW.household_id
    AND NEW.household_id IS NOT OLD.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.household_id AND NEW.household_id IS NOT OLD.household_id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = NEW.household_id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER visit_latest_delete AFTER DELETE ON visits BEGIN
  DELETE FROM visit_latest WHERE household_id = OLD.household_id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = OLD.household_id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = OLD.household_id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER households_latest_update AFTER UPDATE OF deleted ON households BEGIN
  DELETE FROM visit_latest WHERE household_id = NEW.id;
  INSERT INTO visit_latest
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = NEW.id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1;
END;
CREATE TRIGGER households_latest_insert AFTER INSERT ON households WHEN NEW.deleted = 1 BEGIN
  DELETE FROM visit_latest WHERE household_id = NEW.id;
END;

-- Persons of the register proficient in online public services, with their village: the
-- dashboard's working-age and five-skills figures as one ordered index scan, no probe per person.
DROP INDEX persons_online;
CREATE TABLE person_online(
  person_id TEXT PRIMARY KEY,
  household_id TEXT NOT NULL,
  village_id TEXT NOT NULL,
  birth_year INTEGER NOT NULL,
  five INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX person_online_village ON person_online(village_id, birth_year, five, household_id);
CREATE TRIGGER person_online_insert AFTER INSERT ON persons BEGIN
  DELETE FROM person_online WHERE person_id = NEW.id;
  INSERT INTO person_online
    SELECT p.id, p.household_id, h.village_id, p.birth_year,
      p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient'
        AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient'
    FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.id = NEW.id AND p.skill_public_services = 'proficient' AND p.deleted = 0
      AND h.deleted = 0 AND h.village_id IS NOT NULL;
END;
CREATE TRIGGER person_online_update AFTER UPDATE OF household_id, birth_year,
  skill_public_services, skill_shopping, skill_payment, skill_safety, skill_platforms, deleted
  ON persons BEGIN
  DELETE FROM person_online WHERE person_id = NEW.id;
  INSERT INTO person_online
    SELECT p.id, p.household_id, h.village_id, p.birth_year,
      p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient'
        AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient'
    FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.id = NEW.id AND p.skill_public_services = 'proficient' AND p.deleted = 0
      AND h.deleted = 0 AND h.village_id IS NOT NULL;
END;
CREATE TRIGGER person_online_household_insert AFTER INSERT ON households BEGIN
  DELETE FROM person_online WHERE household_id = NEW.id;
  INSERT INTO person_online
    SELECT p.id, p.household_id, h.village_id, p.birth_year,
      p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient'
        AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient'
    FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.household_id = NEW.id AND p.skill_public_services = 'proficient' AND p.deleted = 0
      AND h.deleted = 0 AND h.village_id IS NOT NULL;
END;
CREATE TRIGGER person_online_household_update AFTER UPDATE OF village_id, deleted
  ON households BEGIN
  DELETE FROM person_online WHERE household_id = NEW.id;
  INSERT INTO person_online
    SELECT p.id, p.household_id, h.village_id, p.birth_year,
      p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient'
        AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient'
    FROM persons p JOIN households h ON h.id = p.household_id
    WHERE p.household_id = NEW.id AND p.skill_public_services = 'proficient' AND p.deleted = 0
      AND h.deleted = 0 AND h.village_id IS NOT NULL;
END;
INSERT INTO person_online
    SELECT p.id, p.household_id, h.village_id, p.birth_year,
      p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient'
        AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient'
    FROM persons p JOIN households h ON h.id = p.household_id
    WHERE 1 AND p.skill_public_services = 'proficient' AND p.deleted = 0
      AND h.deleted = 0 AND h.village_id IS NOT NULL;

DELETE FROM visit_latest
  WHERE household_id IN (SELECT id FROM households WHERE deleted = 1);
INSERT INTO visit_latest_members(household_id, member_id, followup_on)
  SELECT DISTINCT l.household_id, je.value, l.followup_on
  FROM visit_latest l JOIN visits v ON v.id = l.visit_id,
       json_each(CASE WHEN json_valid(v.members) THEN v.members ELSE '[]' END) je
  WHERE je.type = 'text';
)SQL";

// v5: the dashboard's per-topic and per-member counts as daily sums, kept by triggers: one
// row per (visit day, review status, topic, result) and per (day, status, member) with the
// number of visits not deleted. The derived tables visit_topics / visit_members are rewritten
// after their visit's row (PutRow, WriteFields, MergeRemote: row first, then RefreshDerived),
// so their triggers read the visit as it now is; a change of a visit's day, status or
// tombstone moves its rows' counts. A period's figures are then a range of days, whatever the
// number of visits. Same rules as v3: derived, local, no OR REPLACE (and visit_topics are only
// inserted after their visit's rows were deleted, so its REPLACE never deletes silently).
const char kV5[] = R"SQL(
CREATE TABLE topic_day(
  day TEXT NOT NULL,
  status TEXT NOT NULL,
  topic_id TEXT NOT NULL, result TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(day, status, topic_id, result)) WITHOUT ROWID;
CREATE TRIGGER topic_day_insert AFTER INSERT ON visit_topics BEGIN
  UPDATE topic_day SET n = n + 1
    WHERE day = (SELECT visited_on FROM visits WHERE id = NEW.visit_id AND deleted = 0)
      AND status = (SELECT status FROM visits WHERE id = NEW.visit_id) AND topic_id = NEW.topic_id AND result = NEW.result;
  INSERT INTO topic_day(day, status, topic_id, result, n)
    SELECT v.visited_on, v.status, NEW.topic_id, NEW.result, 1 FROM visits v
    WHERE v.id = NEW.visit_id AND v.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM topic_day WHERE day = v.visited_on AND status = v.status
                      AND topic_id = NEW.topic_id AND result = NEW.result);
END;
CREATE TRIGGER topic_day_delete AFTER DELETE ON visit_topics BEGIN
  UPDATE topic_day SET n = n - 1
    WHERE day = (SELECT visited_on FROM visits WHERE id = OLD.visit_id AND deleted = 0)
      AND status = (SELECT status FROM visits WHERE id = OLD.visit_id) AND topic_id = OLD.topic_id AND result = OLD.result;
END;
CREATE TRIGGER topic_day_visit AFTER UPDATE OF visited_on, status, deleted ON visits
WHEN OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status
  OR OLD.deleted IS NOT NEW.deleted
BEGIN
  UPDATE topic_day SET n = n - 1
    WHERE OLD.deleted = 0 AND day = OLD.visited_on AND status = OLD.status
      AND EXISTS (SELECT 1 FROM visit_topics x WHERE x.visit_id = OLD.id AND topic_day.topic_id = x.topic_id AND topic_day.result = x.result);
  UPDATE topic_day SET n = n + 1
    WHERE NEW.deleted = 0 AND day = NEW.visited_on AND status = NEW.status
      AND EXISTS (SELECT 1 FROM visit_topics x WHERE x.visit_id = NEW.id AND topic_day.topic_id = x.topic_id AND topic_day.result = x.result);
  INSERT INTO topic_day(day, status, topic_id, result, n)
    SELECT NEW.visited_on, NEW.status, x.topic_id, x.result, 1 FROM visit_topics x
    WHERE x.visit_id = NEW.id AND NEW.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM topic_day WHERE day = NEW.visited_on AND status = NEW.status
                      AND topic_day.topic_id = x.topic_id AND topic_day.result = x.result);
END;
INSERT INTO topic_day(day, status, topic_id, result, n)
  SELECT v.visited_on, v.status, x.topic_id, x.result, count(*)
  FROM visit_topics x JOIN visits v ON v.id = x.visit_id
  WHERE v.deleted = 0 GROUP BY 1, 2, 3, 4;

CREATE TABLE member_day(
  day TEXT NOT NULL,
  status TEXT NOT NULL,
  member_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY(day, status, member_id)) WITHOUT ROWID;
CREATE TRIGGER member_day_insert AFTER INSERT ON visit_members BEGIN
  UPDATE member_day SET n = n + 1
    WHERE day = (SELECT visited_on FROM visits WHERE id = NEW.visit_id AND deleted = 0)
      AND status = (SELECT status FROM visits WHERE id = NEW.visit_id) AND member_id = NEW.member_id;
  INSERT INTO member_day(day, status, member_id, n)
    SELECT v.visited_on, v.status, NEW.member_id, 1 FROM visits v
    WHERE v.id = NEW.visit_id AND v.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM member_day WHERE day = v.visited_on AND status = v.status
                      AND member_id = NEW.member_id);
END;
CREATE TRIGGER member_day_delete AFTER DELETE ON visit_members BEGIN
  UPDATE member_day SET n = n - 1
    WHERE day = (SELECT visited_on FROM visits WHERE id = OLD.visit_id AND deleted = 0)
      AND status = (SELECT status FROM visits WHERE id = OLD.visit_id) AND member_id = OLD.member_id;
END;
CREATE TRIGGER member_day_visit AFTER UPDATE OF visited_on, status, deleted ON visits
WHEN OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status
  OR OLD.deleted IS NOT NEW.deleted
BEGIN
  UPDATE member_day SET n = n - 1
    WHERE OLD.deleted = 0 AND day = OLD.visited_on AND status = OLD.status
      AND EXISTS (SELECT 1 FROM visit_members x WHERE x.visit_id = OLD.id AND member_day.member_id = x.member_id);
  UPDATE member_day SET n = n + 1
    WHERE NEW.deleted = 0 AND day = NEW.visited_on AND status = NEW.status
      AND EXISTS (SELECT 1 FROM visit_members x WHERE x.visit_id = NEW.id AND member_day.member_id = x.member_id);
  INSERT INTO member_day(day, status, member_id, n)
    SELECT NEW.visited_on, NEW.status, x.member_id, 1 FROM visit_members x
    WHERE x.visit_id = NEW.id AND NEW.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM member_day WHERE day = NEW.visited_on AND status = NEW.status
                      AND member_day.member_id = x.member_id);
END;
INSERT INTO member_day(day, status, member_id, n)
  SELECT v.visited_on, v.status, x.member_id, count(*)
  FROM visit_members x JOIN visits v ON v.id = x.visit_id
  WHERE v.deleted = 0 GROUP BY 1, 2, 3;
)SQL";

// v6: a conflict records what it is about in full for the leader: the value the later change
// started from (its base, JSON text; "" = the hub's log did not hold it) and the members who
// made each side ("" = not said). Filled by the hub when it makes the conflict.
const char kV6[] = R"SQL(
ALTER TABLE conflicts ADD COLUMN value_base TEXT NOT NULL DEFAULT '';
ALTER TABLE conflicts ADD COLUMN author_a TEXT NOT NULL DEFAULT '';
ALTER TABLE conflicts ADD COLUMN author_b TEXT NOT NULL DEFAULT '';
)SQL";

// v7: the dashboard's activity per village over a long period (storage/dashboard/period_activity.h).
// For each household of the register, its counted visits all time (not deleted, not returned;
// and the approved ones apart): first and last day, number of visits and of guidance sessions
// (visit_persons rows). For each (village, person) guided in a visit of a household of the
// register: first and last day of those visits. A period that holds an entity's whole span
// counts its all-time figures; only the entities straddling an end of the period are looked
// at visit by visit. Kept by triggers that recompute an entity from its few visits whenever a
// visit, a visit's persons or a household changes (whoever writes). visits_household gains the
// columns the recomputation and the straddlers' probes read, so they never read a visit row.
// Same rules as v3: derived, local, no OR REPLACE.
#define GOCUA_V7_HOUSEHOLD(hh)                                                                 \
  "DELETE FROM household_span WHERE household_id IN (" hh ");\n"                                \
  "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c,\n" \
  "    first_a, last_a, visits_a, sessions_a)\n"                                               \
  "  SELECT h.village_id, h.id, min(v.visited_on), max(v.visited_on), count(*),\n"             \
  "    sum((SELECT count(*) FROM visit_persons vp WHERE vp.visit_id = v.id)),\n"                \
  "    min(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    max(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    sum(v.status = 'approved'),\n"                                                          \
  "    sum(CASE WHEN v.status = 'approved'\n"                                                  \
  "        THEN (SELECT count(*) FROM visit_persons vp WHERE vp.visit_id = v.id) ELSE 0 END)\n" \
  "  FROM households h JOIN visits v ON v.household_id = h.id\n"                               \
  "  WHERE h.id IN (" hh ") AND h.deleted = 0 AND h.village_id IS NOT NULL\n"                  \
  "    AND v.deleted = 0 AND v.status <> 'returned'\n"                                         \
  "  GROUP BY h.id;\n"
#define GOCUA_V7_PERSONS(ps)                                                                   \
  "DELETE FROM person_span WHERE person_id IN (" ps ");\n"                                      \
  "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)\n"         \
  "  SELECT h.village_id, vp.person_id, min(v.visited_on), max(v.visited_on),\n"               \
  "    min(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    max(CASE WHEN v.status = 'approved' THEN v.visited_on END)\n"                           \
  "  FROM visit_persons vp JOIN visits v ON v.id = vp.visit_id\n"                              \
  "    JOIN households h ON h.id = v.household_id\n"                                           \
  "  WHERE vp.person_id IN (" ps ") AND h.deleted = 0 AND h.village_id IS NOT NULL\n"          \
  "    AND v.deleted = 0 AND v.status <> 'returned'\n"                                         \
  "  GROUP BY h.village_id, vp.person_id;\n"
// The hot path of a sync, a new visit and its persons, adds to the spans in place instead.
// A visit `V` (NEW) counts for household_span when not deleted, not returned, its household in
// the register; min() of NULL is NULL, hence the coalesce for the approved columns.
#define GOCUA_V7_COUNTED(v) v ".deleted = 0 AND " v ".status <> 'returned'"
#define GOCUA_V7_SESSIONS(v) "(SELECT count(*) FROM visit_persons x WHERE x.visit_id = " v ".id)"
#define GOCUA_V7_ADD_VISIT                                                                   \
  "UPDATE household_span SET first_c = min(first_c, NEW.visited_on),\n"                      \
  "    last_c = max(last_c, NEW.visited_on), visits_c = visits_c + 1,\n"                     \
  "    sessions_c = sessions_c + " GOCUA_V7_SESSIONS("NEW") ",\n"                             \
  "    first_a = CASE WHEN NEW.status = 'approved'\n"                                        \
  "      THEN coalesce(min(first_a, NEW.visited_on), NEW.visited_on) ELSE first_a END,\n"    \
  "    last_a = CASE WHEN NEW.status = 'approved'\n"                                         \
  "      THEN coalesce(max(last_a, NEW.visited_on), NEW.visited_on) ELSE last_a END,\n"      \
  "    visits_a = visits_a + (NEW.status = 'approved'),\n"                                   \
  "    sessions_a = sessions_a + CASE WHEN NEW.status = 'approved'\n"                        \
  "      THEN " GOCUA_V7_SESSIONS("NEW") " ELSE 0 END\n"                                       \
  "  WHERE household_id = NEW.household_id AND " GOCUA_V7_COUNTED("NEW") ";\n"               \
  "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c,\n" \
  "    first_a, last_a, visits_a, sessions_a)\n"                                             \
  "  SELECT h.village_id, h.id, NEW.visited_on, NEW.visited_on, 1, " GOCUA_V7_SESSIONS("NEW") ",\n" \
  "    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,\n"                         \
  "    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,\n"                         \
  "    NEW.status = 'approved',\n"                                                           \
  "    CASE WHEN NEW.status = 'approved' THEN " GOCUA_V7_SESSIONS("NEW") " ELSE 0 END\n"       \
  "  FROM households h WHERE h.id = NEW.household_id AND h.deleted = 0\n"                    \
  "    AND h.village_id IS NOT NULL AND " GOCUA_V7_COUNTED("NEW") "\n"                         \
  "    AND NOT EXISTS (SELECT 1 FROM household_span WHERE household_id = NEW.household_id);\n"
// A visit_persons row `r` (NEW or OLD) of a counted visit: its household's sessions move by
// `d`; a new one also widens its person's span in the household's village.
#define GOCUA_V7_SESSION(r, d)                                                                \
  "UPDATE household_span SET sessions_c = sessions_c + (" d "),\n"                           \
  "    sessions_a = sessions_a + (" d ") * (SELECT v.status = 'approved' FROM visits v\n"    \
  "      WHERE v.id = " r ".visit_id)\n"                                                      \
  "  WHERE household_id = (SELECT v.household_id FROM visits v WHERE v.id = " r ".visit_id\n"  \
  "    AND " GOCUA_V7_COUNTED("v") ");\n"
#define GOCUA_V7_ADD_PERSON                                                                  \
  "UPDATE person_span SET first_c = min(first_c, v.visited_on),\n"                           \
  "    last_c = max(last_c, v.visited_on),\n"                                                \
  "    first_a = CASE WHEN v.status = 'approved'\n"                                          \
  "      THEN coalesce(min(first_a, v.visited_on), v.visited_on) ELSE first_a END,\n"        \
  "    last_a = CASE WHEN v.status = 'approved'\n"                                           \
  "      THEN coalesce(max(last_a, v.visited_on), v.visited_on) ELSE last_a END\n"           \
  "  FROM visits v JOIN households h ON h.id = v.household_id\n"                             \
  "  WHERE v.id = NEW.visit_id AND " GOCUA_V7_COUNTED("v") " AND h.deleted = 0\n"              \
  "    AND person_span.village_id = h.village_id AND person_span.person_id = NEW.person_id;\n" \
  "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)\n"       \
  "  SELECT h.village_id, NEW.person_id, v.visited_on, v.visited_on,\n"                      \
  "    CASE WHEN v.status = 'approved' THEN v.visited_on END,\n"                             \
  "    CASE WHEN v.status = 'approved' THEN v.visited_on END\n"                              \
  "  FROM visits v JOIN households h ON h.id = v.household_id\n"                             \
  "  WHERE v.id = NEW.visit_id AND " GOCUA_V7_COUNTED("v") " AND h.deleted = 0\n"              \
  "    AND h.village_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person_span s\n"            \
  "      WHERE s.village_id = h.village_id AND s.person_id = NEW.person_id);\n"
// The persons of one visit, and of every visit of one household.
#define GOCUA_V7_VISIT_PERSONS(visit) "SELECT person_id FROM visit_persons WHERE visit_id = " visit
#define GOCUA_V7_HOUSEHOLD_PERSONS(hh)                                                        \
  "SELECT x.person_id FROM visits w JOIN visit_persons x ON x.visit_id = w.id "               \
  "WHERE w.household_id = " hh
const char kV7[] =
    "DROP INDEX visits_household;\n"
    "CREATE INDEX visits_household ON visits(household_id, visited_on, deleted, status, id);\n"
    "CREATE TABLE household_span(\n"
    "  village_id TEXT NOT NULL,\n"
    "  household_id TEXT NOT NULL,\n"
    "  first_c TEXT NOT NULL, last_c TEXT NOT NULL,\n"
    "  visits_c INTEGER NOT NULL, sessions_c INTEGER NOT NULL,\n"
    "  first_a TEXT, last_a TEXT,\n"
    "  visits_a INTEGER NOT NULL, sessions_a INTEGER NOT NULL,\n"
    "  PRIMARY KEY(village_id, household_id)) WITHOUT ROWID;\n"
    "CREATE UNIQUE INDEX household_span_household ON household_span(household_id);\n"
    "CREATE TABLE person_span(\n"
    "  village_id TEXT NOT NULL,\n"
    "  person_id TEXT NOT NULL,\n"
    "  first_c TEXT NOT NULL, last_c TEXT NOT NULL,\n"
    "  first_a TEXT, last_a TEXT,\n"
    "  PRIMARY KEY(village_id, person_id)) WITHOUT ROWID;\n"
    "CREATE INDEX person_span_person ON person_span(person_id);\n"
    "CREATE TRIGGER span_visit_insert AFTER INSERT ON visits BEGIN\n"
    GOCUA_V7_ADD_VISIT
    GOCUA_V7_PERSONS(GOCUA_V7_VISIT_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_visit_update AFTER UPDATE OF household_id, visited_on, status, deleted\n"
    "  ON visits WHEN OLD.household_id IS NOT NEW.household_id\n"
    "    OR OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status\n"
    "    OR OLD.deleted IS NOT NEW.deleted BEGIN\n"
    GOCUA_V7_HOUSEHOLD("OLD.household_id, NEW.household_id")
    GOCUA_V7_PERSONS(GOCUA_V7_VISIT_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_visit_delete AFTER DELETE ON visits BEGIN\n"
    GOCUA_V7_HOUSEHOLD("OLD.household_id")
    GOCUA_V7_PERSONS(GOCUA_V7_VISIT_PERSONS("OLD.id"))
    "END;\n"
    "CREATE TRIGGER span_visit_persons_insert AFTER INSERT ON visit_persons BEGIN\n"
    GOCUA_V7_SESSION("NEW", "1")
    GOCUA_V7_ADD_PERSON
    "END;\n"
    "CREATE TRIGGER span_visit_persons_delete AFTER DELETE ON visit_persons BEGIN\n"
    GOCUA_V7_SESSION("OLD", "-1")
    GOCUA_V7_PERSONS("OLD.person_id")
    "END;\n"
    "CREATE TRIGGER span_household_insert AFTER INSERT ON households BEGIN\n"
    GOCUA_V7_HOUSEHOLD("NEW.id")
    GOCUA_V7_PERSONS(GOCUA_V7_HOUSEHOLD_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_household_update AFTER UPDATE OF village_id, deleted ON households\n"
    "  WHEN OLD.village_id IS NOT NEW.village_id OR OLD.deleted IS NOT NEW.deleted BEGIN\n"
    GOCUA_V7_HOUSEHOLD("NEW.id")
    GOCUA_V7_PERSONS(GOCUA_V7_HOUSEHOLD_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_household_delete AFTER DELETE ON households BEGIN\n"
    GOCUA_V7_HOUSEHOLD("OLD.id")
    GOCUA_V7_PERSONS(GOCUA_V7_HOUSEHOLD_PERSONS("OLD.id"))
    "END;\n"
    GOCUA_V7_HOUSEHOLD("SELECT id FROM households")
    GOCUA_V7_PERSONS("SELECT person_id FROM visit_persons");
#undef GOCUA_V7_HOUSEHOLD
#undef GOCUA_V7_PERSONS
#undef GOCUA_V7_VISIT_PERSONS
#undef GOCUA_V7_HOUSEHOLD_PERSONS
#undef GOCUA_V7_COUNTED
#undef GOCUA_V7_SESSIONS
#undef GOCUA_V7_ADD_VISIT
#undef GOCUA_V7_SESSION
#undef GOCUA_V7_ADD_PERSON

// v8: the register's list order. Households::List pages through a village's households by
// head name; with only a village index every page sorted the whole village (and read all of
// it into the page cache). household_order holds each live household's village and a sort key
// made in C++ (HouseholdSortKey: folded, then as written, so "Đỗ" sorts with "Do"), kept by
// RefreshDerived like the search index and filled right after this migration
// (FillHouseholdOrder, storage/core/database.cpp). Derived, local, never synced.
const char kV8[] = R"SQL(
CREATE TABLE household_order(
  household_id TEXT PRIMARY KEY,
  village_id TEXT NOT NULL,
  sort_key TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX household_order_list ON household_order(village_id, sort_key, household_id);
)SQL";

// v9: two indexes no query reads, dropped. v1 made visit_members_member and visit_topics_topic
// for the filters by member and by topic, but those test a visit's own rows (EXISTS … WHERE
// m.visit_id = v.id AND m.member_id = ?: the primary keys), the triggers look rows up by visit,
// and the dashboard reads the daily sums (v5). Every visit saved or pulled paid an entry in
// each per member and per topic, a third of its visit_* index work. IF EXISTS, as the top of
// this file asks.
const char kV9[] = R"SQL(
DROP INDEX IF EXISTS visit_members_member;
DROP INDEX IF EXISTS visit_topics_topic;
)SQL";

// v10: a household's removal reason (storage/core/schema.cpp, households.removed_reason): a
// synced text field like any other, written with the tombstone (storage/device/
// household_removal.h). The hub's mirror column is its own migration (hub_schema.cpp). The
// column is added in C++ (AddRemovedReason, storage/core/database.cpp), only where it is missing:
// SQLite has no ADD COLUMN IF NOT EXISTS.
const char kV10[] = "";

// v11 (issue 18, a leaner file): two indexes that repeat a prefix of another, dropped — visits_visited_on
// (visits_period starts with visited_on) and households_village (households_register starts
// with village_id); the planner takes the longer one for every query and foreign-key check the
// short one served. Right after this SQL every record's stamps are rewritten in the binary
// form (RewriteStamps, storage/core/record_store.h; storage/core/stamps_text.h), the device id
// once per row instead of once per field. IF EXISTS, as the top of this file asks.
const char kV11[] = R"SQL(
DROP INDEX IF EXISTS visits_visited_on;
DROP INDEX IF EXISTS households_village;
)SQL";

// v12 (issue 18, the compact change log): the change log a record run a row instead of a field
// a row (storage/core/outbox_runs.h states the form). Right after this SQL the per-field
// `outbox` of schema <= 11 is copied into it, run by run, and dropped (CompactOldChangeLog,
// storage/core/outbox_runs.h). IF NOT EXISTS, as the top of this file asks.
const char kV12[] = R"SQL(
CREATE TABLE IF NOT EXISTS outbox_runs(
  seq INTEGER PRIMARY KEY,
  n INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  author TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  entries BLOB NOT NULL);
)SQL";

// v13 (issue 18, a leaner file): integer keys in the derived visit tables. Their every key was
// a 36-character id, ~600 B a visit of the ~1,500 a visit took. Now:
//  - a visit is its `visits.rowid`. Visit rows are never deleted (tombstones), and SQLite
//    keeps a rowid through VACUUM INTO (backups) always and through VACUUM for a table with an
//    index (every record table has its id's): the search index has keyed on households' and
//    persons' rowids since v1 (tests/storage/core/schema_v13_test.cpp checks a VACUUM);
//  - a person or member id is its key in `ref_keys` (INTEGER PRIMARY KEY: stable), made on
//    first reference and never removed, so a visit may name a person this device does not
//    hold (yet), as before;
//  - visits_period and visits_household lose `id` (their rowid now joins the visit_* rows).
// The tables are rebuilt from the old ones and every trigger that read them is made again
// with the new keys (v5's day sums, v7's spans; the same statements otherwise); the tables'
// triggers go with them. person_span, member_day and the rest keep their text ids. Derived,
// local, never synced; same rules as v3 (no OR REPLACE). One transaction, as every step.
// The statements run in C++ (KeyDerivedVisitRows, storage/core/database.cpp) only where
// visit_persons still has its text column: the step must be harmless where it ran.
#define GOCUA_V13_ID_OF(k) "(SELECT r.id FROM ref_keys r WHERE r.k = " k ")"
#define GOCUA_V13_HOUSEHOLD(hh)                                                                \
  "DELETE FROM household_span WHERE household_id IN (" hh ");\n"                                \
  "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c,\n" \
  "    first_a, last_a, visits_a, sessions_a)\n"                                               \
  "  SELECT h.village_id, h.id, min(v.visited_on), max(v.visited_on), count(*),\n"             \
  "    sum((SELECT count(*) FROM visit_persons vp WHERE vp.visit = v.rowid)),\n"                \
  "    min(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    max(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    sum(v.status = 'approved'),\n"                                                          \
  "    sum(CASE WHEN v.status = 'approved'\n"                                                  \
  "        THEN (SELECT count(*) FROM visit_persons vp WHERE vp.visit = v.rowid) ELSE 0 END)\n" \
  "  FROM households h JOIN visits v ON v.household_id = h.id\n"                               \
  "  WHERE h.id IN (" hh ") AND h.deleted = 0 AND h.village_id IS NOT NULL\n"                  \
  "    AND v.deleted = 0 AND v.status <> 'returned'\n"                                         \
  "  GROUP BY h.id;\n"
#define GOCUA_V13_PERSONS(ps)                                                                  \
  "DELETE FROM person_span WHERE person_id IN (" ps ");\n"                                      \
  "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)\n"         \
  "  SELECT h.village_id, r.id, min(v.visited_on), max(v.visited_on),\n"                       \
  "    min(CASE WHEN v.status = 'approved' THEN v.visited_on END),\n"                          \
  "    max(CASE WHEN v.status = 'approved' THEN v.visited_on END)\n"                           \
  "  FROM ref_keys r JOIN visit_persons vp ON vp.person = r.k\n"                               \
  "    JOIN visits v ON v.rowid = vp.visit JOIN households h ON h.id = v.household_id\n"       \
  "  WHERE r.id IN (" ps ") AND h.deleted = 0 AND h.village_id IS NOT NULL\n"                  \
  "    AND v.deleted = 0 AND v.status <> 'returned'\n"                                         \
  "  GROUP BY h.village_id, r.id;\n"
#define GOCUA_V13_COUNTED(v) v ".deleted = 0 AND " v ".status <> 'returned'"
#define GOCUA_V13_SESSIONS(v) "(SELECT count(*) FROM visit_persons x WHERE x.visit = " v ".rowid)"
#define GOCUA_V13_ADD_VISIT                                                                  \
  "UPDATE household_span SET first_c = min(first_c, NEW.visited_on),\n"                      \
  "    last_c = max(last_c, NEW.visited_on), visits_c = visits_c + 1,\n"                     \
  "    sessions_c = sessions_c + " GOCUA_V13_SESSIONS("NEW") ",\n"                            \
  "    first_a = CASE WHEN NEW.status = 'approved'\n"                                        \
  "      THEN coalesce(min(first_a, NEW.visited_on), NEW.visited_on) ELSE first_a END,\n"    \
  "    last_a = CASE WHEN NEW.status = 'approved'\n"                                         \
  "      THEN coalesce(max(last_a, NEW.visited_on), NEW.visited_on) ELSE last_a END,\n"      \
  "    visits_a = visits_a + (NEW.status = 'approved'),\n"                                   \
  "    sessions_a = sessions_a + CASE WHEN NEW.status = 'approved'\n"                        \
  "      THEN " GOCUA_V13_SESSIONS("NEW") " ELSE 0 END\n"                                      \
  "  WHERE household_id = NEW.household_id AND " GOCUA_V13_COUNTED("NEW") ";\n"              \
  "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c,\n" \
  "    first_a, last_a, visits_a, sessions_a)\n"                                             \
  "  SELECT h.village_id, h.id, NEW.visited_on, NEW.visited_on, 1, " GOCUA_V13_SESSIONS("NEW") ",\n" \
  "    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,\n"                         \
  "    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,\n"                         \
  "    NEW.status = 'approved',\n"                                                           \
  "    CASE WHEN NEW.status = 'approved' THEN " GOCUA_V13_SESSIONS("NEW") " ELSE 0 END\n"      \
  "  FROM households h WHERE h.id = NEW.household_id AND h.deleted = 0\n"                    \
  "    AND h.village_id IS NOT NULL AND " GOCUA_V13_COUNTED("NEW") "\n"                        \
  "    AND NOT EXISTS (SELECT 1 FROM household_span WHERE household_id = NEW.household_id);\n"
#define GOCUA_V13_SESSION(r, d)                                                               \
  "UPDATE household_span SET sessions_c = sessions_c + (" d "),\n"                           \
  "    sessions_a = sessions_a + (" d ") * (SELECT v.status = 'approved' FROM visits v\n"    \
  "      WHERE v.rowid = " r ".visit)\n"                                                      \
  "  WHERE household_id = (SELECT v.household_id FROM visits v WHERE v.rowid = " r ".visit\n"  \
  "    AND " GOCUA_V13_COUNTED("v") ");\n"
#define GOCUA_V13_ADD_PERSON                                                                 \
  "UPDATE person_span SET first_c = min(first_c, v.visited_on),\n"                           \
  "    last_c = max(last_c, v.visited_on),\n"                                                \
  "    first_a = CASE WHEN v.status = 'approved'\n"                                          \
  "      THEN coalesce(min(first_a, v.visited_on), v.visited_on) ELSE first_a END,\n"        \
  "    last_a = CASE WHEN v.status = 'approved'\n"                                           \
  "      THEN coalesce(max(last_a, v.visited_on), v.visited_on) ELSE last_a END\n"           \
  "  FROM (SELECT visited_on, status, deleted, household_id FROM visits\n"                   \
  "    WHERE rowid = NEW.visit) v JOIN households h ON h.id = v.household_id\n"               \
  "  WHERE " GOCUA_V13_COUNTED("v") " AND h.deleted = 0\n"                                    \
  "    AND person_span.village_id = h.village_id\n"                                          \
  "    AND person_span.person_id = " GOCUA_V13_ID_OF("NEW.person") ";\n"                   \
  "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)\n"       \
  "  SELECT h.village_id, " GOCUA_V13_ID_OF("NEW.person") ", v.visited_on, v.visited_on,\n" \
  "    CASE WHEN v.status = 'approved' THEN v.visited_on END,\n"                             \
  "    CASE WHEN v.status = 'approved' THEN v.visited_on END\n"                              \
  "  FROM visits v JOIN households h ON h.id = v.household_id\n"                             \
  "  WHERE v.rowid = NEW.visit AND " GOCUA_V13_COUNTED("v") " AND h.deleted = 0\n"             \
  "    AND h.village_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM person_span s\n"            \
  "      WHERE s.village_id = h.village_id AND s.person_id = " GOCUA_V13_ID_OF("NEW.person") ");\n"
#define GOCUA_V13_VISIT_PERSONS(visit)                                                        \
  "SELECT r.id FROM visit_persons x JOIN ref_keys r ON r.k = x.person WHERE x.visit = " visit
#define GOCUA_V13_HOUSEHOLD_PERSONS(hh)                                                       \
  "SELECT r.id FROM visits w JOIN visit_persons x ON x.visit = w.rowid "                      \
  "JOIN ref_keys r ON r.k = x.person WHERE w.household_id = " hh
const char kV13Keys[] =
    // The tables with the new keys, filled from the old ones; the old ones go (their triggers
    // with them), and every trigger that read them is made again. (UPDATE … FROM cannot read a
    // joined table's rowid: a subquery picks the visit there.)
    "CREATE TABLE ref_keys(k INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE);\n"
    "INSERT INTO ref_keys(id) SELECT member_id FROM visit_members\n"
    "  UNION SELECT person_id FROM visit_persons;\n"
    "CREATE TABLE visit_members_v13(visit INTEGER NOT NULL, member INTEGER NOT NULL,\n"
    "  PRIMARY KEY(visit, member)) WITHOUT ROWID;\n"
    "INSERT INTO visit_members_v13 SELECT v.rowid, r.k FROM visit_members x\n"
    "  JOIN visits v ON v.id = x.visit_id JOIN ref_keys r ON r.id = x.member_id;\n"
    "CREATE TABLE visit_persons_v13(visit INTEGER NOT NULL, person INTEGER NOT NULL,\n"
    "  PRIMARY KEY(visit, person)) WITHOUT ROWID;\n"
    "INSERT INTO visit_persons_v13 SELECT v.rowid, r.k FROM visit_persons x\n"
    "  JOIN visits v ON v.id = x.visit_id JOIN ref_keys r ON r.id = x.person_id;\n"
    "CREATE TABLE visit_topics_v13(visit INTEGER NOT NULL, topic_id TEXT NOT NULL,\n"
    "  result TEXT NOT NULL, PRIMARY KEY(visit, topic_id)) WITHOUT ROWID;\n"
    "INSERT INTO visit_topics_v13 SELECT v.rowid, x.topic_id, x.result FROM visit_topics x\n"
    "  JOIN visits v ON v.id = x.visit_id;\n"
    "DROP TRIGGER topic_day_visit;\n"
    "DROP TRIGGER member_day_visit;\n"
    "DROP TRIGGER span_visit_insert;\n"
    "DROP TRIGGER span_visit_update;\n"
    "DROP TRIGGER span_visit_delete;\n"
    "DROP TRIGGER span_household_insert;\n"
    "DROP TRIGGER span_household_update;\n"
    "DROP TRIGGER span_household_delete;\n"
    "DROP TABLE visit_members;\n"
    "DROP TABLE visit_persons;\n"
    "DROP TABLE visit_topics;\n"
    "ALTER TABLE visit_members_v13 RENAME TO visit_members;\n"
    "ALTER TABLE visit_persons_v13 RENAME TO visit_persons;\n"
    "ALTER TABLE visit_topics_v13 RENAME TO visit_topics;\n"
    "CREATE INDEX visit_persons_person ON visit_persons(person);\n"
    "DROP INDEX visits_period;\n"
    "CREATE INDEX visits_period ON visits(visited_on, deleted, status, household_id);\n"
    "DROP INDEX visits_household;\n"
    "CREATE INDEX visits_household ON visits(household_id, visited_on, deleted, status);\n"
    // v5's day sums.
    "CREATE TRIGGER topic_day_insert AFTER INSERT ON visit_topics BEGIN\n"
    "  UPDATE topic_day SET n = n + 1\n"
    "    WHERE day = (SELECT visited_on FROM visits WHERE rowid = NEW.visit AND deleted = 0)\n"
    "      AND status = (SELECT status FROM visits WHERE rowid = NEW.visit)\n"
    "      AND topic_id = NEW.topic_id AND result = NEW.result;\n"
    "  INSERT INTO topic_day(day, status, topic_id, result, n)\n"
    "    SELECT v.visited_on, v.status, NEW.topic_id, NEW.result, 1 FROM visits v\n"
    "    WHERE v.rowid = NEW.visit AND v.deleted = 0\n"
    "      AND NOT EXISTS (SELECT 1 FROM topic_day WHERE day = v.visited_on AND status = v.status\n"
    "                      AND topic_id = NEW.topic_id AND result = NEW.result);\n"
    "END;\n"
    "CREATE TRIGGER topic_day_delete AFTER DELETE ON visit_topics BEGIN\n"
    "  UPDATE topic_day SET n = n - 1\n"
    "    WHERE day = (SELECT visited_on FROM visits WHERE rowid = OLD.visit AND deleted = 0)\n"
    "      AND status = (SELECT status FROM visits WHERE rowid = OLD.visit)\n"
    "      AND topic_id = OLD.topic_id AND result = OLD.result;\n"
    "END;\n"
    "CREATE TRIGGER topic_day_visit AFTER UPDATE OF visited_on, status, deleted ON visits\n"
    "WHEN OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status\n"
    "  OR OLD.deleted IS NOT NEW.deleted\n"
    "BEGIN\n"
    "  UPDATE topic_day SET n = n - 1\n"
    "    WHERE OLD.deleted = 0 AND day = OLD.visited_on AND status = OLD.status\n"
    "      AND EXISTS (SELECT 1 FROM visit_topics x WHERE x.visit = OLD.rowid\n"
    "        AND topic_day.topic_id = x.topic_id AND topic_day.result = x.result);\n"
    "  UPDATE topic_day SET n = n + 1\n"
    "    WHERE NEW.deleted = 0 AND day = NEW.visited_on AND status = NEW.status\n"
    "      AND EXISTS (SELECT 1 FROM visit_topics x WHERE x.visit = NEW.rowid\n"
    "        AND topic_day.topic_id = x.topic_id AND topic_day.result = x.result);\n"
    "  INSERT INTO topic_day(day, status, topic_id, result, n)\n"
    "    SELECT NEW.visited_on, NEW.status, x.topic_id, x.result, 1 FROM visit_topics x\n"
    "    WHERE x.visit = NEW.rowid AND NEW.deleted = 0\n"
    "      AND NOT EXISTS (SELECT 1 FROM topic_day WHERE day = NEW.visited_on\n"
    "        AND status = NEW.status AND topic_day.topic_id = x.topic_id\n"
    "        AND topic_day.result = x.result);\n"
    "END;\n"
    "CREATE TRIGGER member_day_insert AFTER INSERT ON visit_members BEGIN\n"
    "  UPDATE member_day SET n = n + 1\n"
    "    WHERE day = (SELECT visited_on FROM visits WHERE rowid = NEW.visit AND deleted = 0)\n"
    "      AND status = (SELECT status FROM visits WHERE rowid = NEW.visit)\n"
    "      AND member_id = " GOCUA_V13_ID_OF("NEW.member") ";\n"
    "  INSERT INTO member_day(day, status, member_id, n)\n"
    "    SELECT v.visited_on, v.status, " GOCUA_V13_ID_OF("NEW.member") ", 1 FROM visits v\n"
    "    WHERE v.rowid = NEW.visit AND v.deleted = 0\n"
    "      AND NOT EXISTS (SELECT 1 FROM member_day WHERE day = v.visited_on AND status = v.status\n"
    "                      AND member_id = " GOCUA_V13_ID_OF("NEW.member") ");\n"
    "END;\n"
    "CREATE TRIGGER member_day_delete AFTER DELETE ON visit_members BEGIN\n"
    "  UPDATE member_day SET n = n - 1\n"
    "    WHERE day = (SELECT visited_on FROM visits WHERE rowid = OLD.visit AND deleted = 0)\n"
    "      AND status = (SELECT status FROM visits WHERE rowid = OLD.visit)\n"
    "      AND member_id = " GOCUA_V13_ID_OF("OLD.member") ";\n"
    "END;\n"
    "CREATE TRIGGER member_day_visit AFTER UPDATE OF visited_on, status, deleted ON visits\n"
    "WHEN OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status\n"
    "  OR OLD.deleted IS NOT NEW.deleted\n"
    "BEGIN\n"
    "  UPDATE member_day SET n = n - 1\n"
    "    WHERE OLD.deleted = 0 AND day = OLD.visited_on AND status = OLD.status\n"
    "      AND EXISTS (SELECT 1 FROM visit_members x JOIN ref_keys r ON r.k = x.member\n"
    "        WHERE x.visit = OLD.rowid AND member_day.member_id = r.id);\n"
    "  UPDATE member_day SET n = n + 1\n"
    "    WHERE NEW.deleted = 0 AND day = NEW.visited_on AND status = NEW.status\n"
    "      AND EXISTS (SELECT 1 FROM visit_members x JOIN ref_keys r ON r.k = x.member\n"
    "        WHERE x.visit = NEW.rowid AND member_day.member_id = r.id);\n"
    "  INSERT INTO member_day(day, status, member_id, n)\n"
    "    SELECT NEW.visited_on, NEW.status, r.id, 1\n"
    "    FROM visit_members x JOIN ref_keys r ON r.k = x.member\n"
    "    WHERE x.visit = NEW.rowid AND NEW.deleted = 0\n"
    "      AND NOT EXISTS (SELECT 1 FROM member_day WHERE day = NEW.visited_on\n"
    "        AND status = NEW.status AND member_day.member_id = r.id);\n"
    "END;\n"
    // v7's spans.
    "CREATE TRIGGER span_visit_insert AFTER INSERT ON visits BEGIN\n"
    GOCUA_V13_ADD_VISIT
    GOCUA_V13_PERSONS(GOCUA_V13_VISIT_PERSONS("NEW.rowid"))
    "END;\n"
    "CREATE TRIGGER span_visit_update AFTER UPDATE OF household_id, visited_on, status, deleted\n"
    "  ON visits WHEN OLD.household_id IS NOT NEW.household_id\n"
    "    OR OLD.visited_on IS NOT NEW.visited_on OR OLD.status IS NOT NEW.status\n"
    "    OR OLD.deleted IS NOT NEW.deleted BEGIN\n"
    GOCUA_V13_HOUSEHOLD("OLD.household_id, NEW.household_id")
    GOCUA_V13_PERSONS(GOCUA_V13_VISIT_PERSONS("NEW.rowid"))
    "END;\n"
    "CREATE TRIGGER span_visit_delete AFTER DELETE ON visits BEGIN\n"
    GOCUA_V13_HOUSEHOLD("OLD.household_id")
    GOCUA_V13_PERSONS(GOCUA_V13_VISIT_PERSONS("OLD.rowid"))
    "END;\n"
    "CREATE TRIGGER span_visit_persons_insert AFTER INSERT ON visit_persons BEGIN\n"
    GOCUA_V13_SESSION("NEW", "1")
    GOCUA_V13_ADD_PERSON
    "END;\n"
    "CREATE TRIGGER span_visit_persons_delete AFTER DELETE ON visit_persons BEGIN\n"
    GOCUA_V13_SESSION("OLD", "-1")
    GOCUA_V13_PERSONS("SELECT r.id FROM ref_keys r WHERE r.k = OLD.person")
    "END;\n"
    "CREATE TRIGGER span_household_insert AFTER INSERT ON households BEGIN\n"
    GOCUA_V13_HOUSEHOLD("NEW.id")
    GOCUA_V13_PERSONS(GOCUA_V13_HOUSEHOLD_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_household_update AFTER UPDATE OF village_id, deleted ON households\n"
    "  WHEN OLD.village_id IS NOT NEW.village_id OR OLD.deleted IS NOT NEW.deleted BEGIN\n"
    GOCUA_V13_HOUSEHOLD("NEW.id")
    GOCUA_V13_PERSONS(GOCUA_V13_HOUSEHOLD_PERSONS("NEW.id"))
    "END;\n"
    "CREATE TRIGGER span_household_delete AFTER DELETE ON households BEGIN\n"
    GOCUA_V13_HOUSEHOLD("OLD.id")
    GOCUA_V13_PERSONS(GOCUA_V13_HOUSEHOLD_PERSONS("OLD.id"))
    "END;\n";
#undef GOCUA_V13_ID_OF
#undef GOCUA_V13_HOUSEHOLD
#undef GOCUA_V13_PERSONS
#undef GOCUA_V13_VISIT_PERSONS
#undef GOCUA_V13_HOUSEHOLD_PERSONS
#undef GOCUA_V13_COUNTED
#undef GOCUA_V13_SESSIONS
#undef GOCUA_V13_ADD_VISIT
#undef GOCUA_V13_SESSION
#undef GOCUA_V13_ADD_PERSON
const char kV13[] = "";

// v14 (issue 18, no redundant indexes): visits_status (status, visited_on), made by v1 for a
// list by status, is read by no query of the device: Visits::List and the review queue take a
// status as (?1 = '' OR status = ?1), which no index serves (they walk visits_period), and the
// dashboard's count by status reads visits_review. Every visit saved or pulled paid an entry in
// it. The hub's own visits_status (sync/hub/store/sqlite/hub_schema.cpp) is another schema's.
// IF EXISTS, as the top of this file asks.
const char kV14[] = R"SQL(
DROP INDEX IF EXISTS visits_status;
)SQL";

// v15 (issue 18, a local save that costs less): a visit saved on the laptop paid ~0.9 M
// instructions in the derived tables' triggers, half of its CPU (docs/benchmarks.md). The same
// rows, fewer steps, in every database:
// - visits_followup (followup_on, partial) is read by no query of the device: follow-ups are
//   read from visit_latest (visit_latest_followup, storage/device/today.cpp). Every visit with a
//   follow-up paid an entry in it (a page of the WAL on half the saves).
// - member_day_insert and topic_day_insert: one upsert instead of an UPDATE and an INSERT that
//   each looked the visit up twice. Same day sums: a deleted visit still counts nothing, and a
//   member key with no ref_keys row still fails on member_id's NOT NULL.
// - span_visit_persons_insert: the person's span widened by one upsert instead of an UPDATE ...
//   FROM (which SQLite runs through a temporary table) and an INSERT ... NOT EXISTS.
// - span_visit_insert: its person half (re-span the visit's persons) moved to its own trigger
//   that fires only when the new visit has visit_persons rows (a reused rowid's): a visit is
//   inserted before its derived rows, so it had none, and the half built two temporary tables
//   for an empty set on every insert. The household half is unchanged.
// IF EXISTS, as the top of this file asks.
const char kV15[] = R"SQL(
DROP INDEX IF EXISTS visits_followup;
DROP TRIGGER IF EXISTS member_day_insert;
CREATE TRIGGER member_day_insert AFTER INSERT ON visit_members BEGIN
  INSERT INTO member_day(day, status, member_id, n)
    SELECT v.visited_on, v.status, (SELECT r.id FROM ref_keys r WHERE r.k = NEW.member), 1
    FROM visits v WHERE v.rowid = NEW.visit AND v.deleted = 0
  ON CONFLICT(day, status, member_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS topic_day_insert;
CREATE TRIGGER topic_day_insert AFTER INSERT ON visit_topics BEGIN
  INSERT INTO topic_day(day, status, topic_id, result, n)
    SELECT v.visited_on, v.status, NEW.topic_id, NEW.result, 1
    FROM visits v WHERE v.rowid = NEW.visit AND v.deleted = 0
  ON CONFLICT(day, status, topic_id, result) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS span_visit_persons_insert;
CREATE TRIGGER span_visit_persons_insert AFTER INSERT ON visit_persons BEGIN
UPDATE household_span SET sessions_c = sessions_c + (1),
    sessions_a = sessions_a + (1) * (SELECT v.status = 'approved' FROM visits v
      WHERE v.rowid = NEW.visit)
  WHERE household_id = (SELECT v.household_id FROM visits v WHERE v.rowid = NEW.visit
    AND v.deleted = 0 AND v.status <> 'returned');
INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)
  SELECT h.village_id, (SELECT r.id FROM ref_keys r WHERE r.k = NEW.person), v.visited_on,
    v.visited_on, CASE WHEN v.status = 'approved' THEN v.visited_on END,
    CASE WHEN v.status = 'approved' THEN v.visited_on END
  FROM visits v JOIN households h ON h.id = v.household_id
  WHERE v.rowid = NEW.visit AND v.deleted = 0 AND v.status <> 'returned' AND h.deleted = 0
    AND h.village_id IS NOT NULL
  ON CONFLICT(village_id, person_id) DO UPDATE SET
    first_c = min(first_c, excluded.first_c), last_c = max(last_c, excluded.last_c),
    first_a = CASE WHEN excluded.first_a IS NULL THEN first_a
      ELSE coalesce(min(first_a, excluded.first_a), excluded.first_a) END,
    last_a = CASE WHEN excluded.last_a IS NULL THEN last_a
      ELSE coalesce(max(last_a, excluded.last_a), excluded.last_a) END;
END;
DROP TRIGGER IF EXISTS span_visit_insert;
CREATE TRIGGER span_visit_insert AFTER INSERT ON visits BEGIN
UPDATE household_span SET first_c = min(first_c, NEW.visited_on),
    last_c = max(last_c, NEW.visited_on), visits_c = visits_c + 1,
    sessions_c = sessions_c + (SELECT count(*) FROM visit_persons x WHERE x.visit = NEW.rowid),
    first_a = CASE WHEN NEW.status = 'approved'
      THEN coalesce(min(first_a, NEW.visited_on), NEW.visited_on) ELSE first_a END,
    last_a = CASE WHEN NEW.status = 'approved'
      THEN coalesce(max(last_a, NEW.visited_on), NEW.visited_on) ELSE last_a END,
    visits_a = visits_a + (NEW.status = 'approved'),
    sessions_a = sessions_a + CASE WHEN NEW.status = 'approved'
      THEN (SELECT count(*) FROM visit_persons x WHERE x.visit = NEW.rowid) ELSE 0 END
  WHERE household_id = NEW.household_id AND NEW.deleted = 0 AND NEW.status <> 'returned';
INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c,
    first_a, last_a, visits_a, sessions_a)
  SELECT h.village_id, h.id, NEW.visited_on, NEW.visited_on, 1, (SELECT count(*) FROM visit_persons x WHERE x.visit = NEW.rowid),
    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,
    CASE WHEN NEW.status = 'approved' THEN NEW.visited_on END,
    NEW.status = 'approved',
    CASE WHEN NEW.status = 'approved' THEN (SELECT count(*) FROM visit_persons x WHERE x.visit = NEW.rowid) ELSE 0 END
  FROM households h WHERE h.id = NEW.household_id AND h.deleted = 0
    AND h.village_id IS NOT NULL AND NEW.deleted = 0 AND NEW.status <> 'returned'
    AND NOT EXISTS (SELECT 1 FROM household_span WHERE household_id = NEW.household_id);
END;
DROP TRIGGER IF EXISTS span_visit_insert_persons;
CREATE TRIGGER span_visit_insert_persons AFTER INSERT ON visits
  WHEN EXISTS (SELECT 1 FROM visit_persons x WHERE x.visit = NEW.rowid) BEGIN
DELETE FROM person_span WHERE person_id IN (SELECT r.id FROM visit_persons x JOIN ref_keys r ON r.k = x.person WHERE x.visit = NEW.rowid);
INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a)
  SELECT h.village_id, r.id, min(v.visited_on), max(v.visited_on),
    min(CASE WHEN v.status = 'approved' THEN v.visited_on END),
    max(CASE WHEN v.status = 'approved' THEN v.visited_on END)
  FROM ref_keys r JOIN visit_persons vp ON vp.person = r.k
    JOIN visits v ON v.rowid = vp.visit JOIN households h ON h.id = v.household_id
  WHERE r.id IN (SELECT r.id FROM visit_persons x JOIN ref_keys r ON r.k = x.person WHERE x.visit = NEW.rowid) AND h.deleted = 0 AND h.village_id IS NOT NULL
    AND v.deleted = 0 AND v.status <> 'returned'
  GROUP BY h.village_id, r.id;
END;
)SQL";
}  // namespace

const char* DerivedVisitKeysSql() { return kV13Keys; }

const std::vector<const char*>& Migrations() {
  static const std::vector<const char*> m = {kV1, kV2, kV3, kV4,  kV5,  kV6,
                                             kV7, kV8, kV9, kV10, kV11, kV12, kV13, kV14,
                                             kV15, kMigrationV16};
  return m;
}

}  // namespace gocua
