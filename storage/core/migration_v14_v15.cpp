// Device schema v14 and v15 (issue 18): an index no query reads dropped, and the derived
// tables' triggers of a local save in fewer steps. Its own file: migrations.cpp lists these in
// order with the others (Migrations()); their text never changes once shipped, as theirs.
#include "storage/core/migration_steps.h"

namespace gocua {

// v14 (issue 18, no redundant indexes): visits_status (status, visited_on), made by v1 for a
// list by status, is read by no query of the device: Visits::List and the review queue take a
// status as (?1 = '' OR status = ?1), which no index serves (they walk visits_period), and the
// dashboard's count by status reads visits_review. Every visit saved or pulled paid an entry in
// it. The hub's own visits_status (sync/hub/store/sqlite/hub_schema_v1_v6.cpp) is another
// schema's. IF EXISTS, as migrations.cpp asks.
const char kMigrationV14[] = R"SQL(
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
// IF EXISTS, as migrations.cpp asks.
const char kMigrationV15[] = R"SQL(
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

}  // namespace gocua
