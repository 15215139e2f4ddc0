// Device schema v16 (issue 18, a later visit that writes fewer rows).
// Its own file: migrations.cpp lists it in order with the others (Migrations()); its text
// never changes once shipped, as theirs.
#include "storage/core/migration_steps.h"

namespace gocua {

// v16: visit_latest kept in place. A new visit of a household already visited replaced its
// row by DELETE and INSERT (v4's visit_latest_insert), which took the latest visit's
// visit_latest_members rows away and wrote them back (v4's triggers on visit_latest), the same
// rows most of the time. Now one upsert that writes only when the latest visit changed, and an
// UPDATE trigger on visit_latest that changes only the members rows that differ (a member gone
// or added, or the follow-up day moved). No statement updates a visit_latest row's
// household_id. The other triggers on visits still replace the row (DELETE, INSERT), as v4
// made them. Derived, local, never synced; same rules as v3. IF EXISTS, as migrations.cpp asks.
//
// Tried and left out: household_span keyed by household and person_span by (person, village),
// without the second index each has (a first visit of a household writes both b-trees of
// each: ~3 of the ~34 pages a save writes). The dashboard's whole-period figures group those
// tables by village; without the village-first key that became a sort, 97 -> 155 ms of CPU
// over 200,000 visits (gocua-bench --only dashboard), past the 100 ms budget.
const char kMigrationV16[] = R"SQL(
DROP TRIGGER IF EXISTS visit_latest_insert;
CREATE TRIGGER visit_latest_insert AFTER INSERT ON visits WHEN NEW.household_id IS NOT NULL
BEGIN
  INSERT INTO visit_latest(household_id, visit_id, visited_on, followup_on)
    SELECT household_id, id, visited_on, followup_on FROM visits
    WHERE household_id = NEW.household_id AND deleted = 0
      AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = NEW.household_id AND h.deleted = 1)
    ORDER BY visited_on DESC, id DESC LIMIT 1
  ON CONFLICT(household_id) DO UPDATE SET visit_id = excluded.visit_id,
    visited_on = excluded.visited_on, followup_on = excluded.followup_on
    WHERE visit_id IS NOT excluded.visit_id OR visited_on IS NOT excluded.visited_on
      OR followup_on IS NOT excluded.followup_on;
END;
DROP TRIGGER IF EXISTS visit_latest_members_update;
CREATE TRIGGER visit_latest_members_update AFTER UPDATE ON visit_latest BEGIN
  DELETE FROM visit_latest_members WHERE household_id = NEW.household_id
    AND member_id NOT IN (SELECT je.value
      FROM visits v, json_each(CASE WHEN json_valid(v.members) THEN v.members ELSE '[]' END) je
      WHERE v.id = NEW.visit_id AND je.type = 'text');
  INSERT INTO visit_latest_members(household_id, member_id, followup_on)
    SELECT DISTINCT NEW.household_id, je.value, NEW.followup_on
    FROM visits v, json_each(CASE WHEN json_valid(v.members) THEN v.members ELSE '[]' END) je
    WHERE v.id = NEW.visit_id AND je.type = 'text'
  ON CONFLICT(household_id, member_id) DO UPDATE SET followup_on = excluded.followup_on
    WHERE followup_on IS NOT excluded.followup_on;
END;
)SQL";

}  // namespace gocua
