// Device schema v13: integer keys in the derived visit tables. Its statements are
// kMigrationV13Keys (DerivedVisitKeysSql(), run in C++ by storage/core/database.cpp where it
// applies); kMigrationV13 itself is empty. Its own file: migrations.cpp lists it in order with
// the others (Migrations()); its text never changes once shipped, as theirs. The GOCUA_V13_*
// macros only build kMigrationV13Keys's text and are undefined after it.
#include "storage/core/migration_steps.h"

namespace gocua {

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
const char kMigrationV13Keys[] =
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
const char kMigrationV13[] = "";

}  // namespace gocua
