// Device schema v7 to v12: the spans of the dashboard's period activity (v7), the register's
// list order (v8), indexes dropped (v9, v11), the removal reason (v10, made in C++) and the
// compact change log (v12). Its own file: migrations.cpp lists these in order with the others
// (Migrations()); their text never changes once shipped, as theirs. The GOCUA_V7_* macros
// only build kMigrationV7's text and are undefined after it.
#include "storage/core/migration_steps.h"

namespace gocua {

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
const char kMigrationV7[] =
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
const char kMigrationV8[] = R"SQL(
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
// each per member and per topic, a third of its visit_* index work. IF EXISTS, as migrations.cpp
// asks.
const char kMigrationV9[] = R"SQL(
DROP INDEX IF EXISTS visit_members_member;
DROP INDEX IF EXISTS visit_topics_topic;
)SQL";

// v10: a household's removal reason (storage/core/schema.cpp, households.removed_reason): a
// synced text field like any other, written with the tombstone (storage/device/
// household_removal.h). The hub's mirror column is its own migration (hub_schema_v7_v11.cpp). The
// column is added in C++ (AddRemovedReason, storage/core/database.cpp), only where it is missing:
// SQLite has no ADD COLUMN IF NOT EXISTS.
const char kMigrationV10[] = "";

// v11 (issue 18, a leaner file): two indexes that repeat a prefix of another, dropped — visits_visited_on
// (visits_period starts with visited_on) and households_village (households_register starts
// with village_id); the planner takes the longer one for every query and foreign-key check the
// short one served. Right after this SQL every record's stamps are rewritten in the binary
// form (RewriteStamps, storage/core/record_store.h; storage/core/stamps_text.h), the device id
// once per row instead of once per field. IF EXISTS, as migrations.cpp asks.
const char kMigrationV11[] = R"SQL(
DROP INDEX IF EXISTS visits_visited_on;
DROP INDEX IF EXISTS households_village;
)SQL";

// v12 (issue 18, the compact change log): the change log a record run a row instead of a field
// a row (storage/core/outbox_runs.h states the form). Right after this SQL the per-field
// `outbox` of schema <= 11 is copied into it, run by run, and dropped (CompactOldChangeLog,
// storage/core/outbox_runs.h). IF NOT EXISTS, as migrations.cpp asks.
const char kMigrationV12[] = R"SQL(
CREATE TABLE IF NOT EXISTS outbox_runs(
  seq INTEGER PRIMARY KEY,
  n INTEGER NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  author TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  entries BLOB NOT NULL);
)SQL";

}  // namespace gocua
