// Device schema v3 to v6: the dashboard's derived tables kept by triggers (v3 each
// household's latest visit, v4 its members and the persons online, v5 the daily sums), and v6
// a conflict's base and authors. Its own file: migrations.cpp lists these in order with the
// others (Migrations()); their text never changes once shipped, as theirs.
#include "storage/core/migration_steps.h"

namespace gocua {

// v3: for the leaders' dashboard (storage/dashboard/indicators.cpp), which must stay within 100 ms over
// 200,000 visits (docs/benchmarks.md). Covering indexes, so its aggregates never read the wide
// visit, person and household rows; and each household's latest visit (not deleted), kept by
// triggers on visits in the writing transaction — whoever writes (a local save, a pulled op,
// the hub's merge) — so overdue follow-ups are one index range instead of a probe per visit.
// Local and derived: never synced, never exported. The triggers never rely on OR REPLACE: a
// trigger fired by an upsert (PutRow) runs its statements under the upsert's conflict rule.
const char kMigrationV3[] = R"SQL(
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
const char kMigrationV4[] = R"SQL(
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
const char kMigrationV5[] = R"SQL(
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
const char kMigrationV6[] = R"SQL(
ALTER TABLE conflicts ADD COLUMN value_base TEXT NOT NULL DEFAULT '';
ALTER TABLE conflicts ADD COLUMN author_a TEXT NOT NULL DEFAULT '';
ALTER TABLE conflicts ADD COLUMN author_b TEXT NOT NULL DEFAULT '';
)SQL";

}  // namespace gocua
