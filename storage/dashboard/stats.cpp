#include "storage/dashboard/stats.h"

#include <map>

#include "storage/device/places.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

Result<std::vector<CoverageRow>> Coverage(Database& db, const StatsPeriod& period) {
  auto villages = Places(db).Villages();
  if (!villages) return villages.error();
  Database::Impl& d = db.impl();
  Status st;
  // Visits in the period, not deleted, per village.
  auto q = d.Prepare(R"SQL(
    WITH hv AS (SELECT id, village_id, working_age_count FROM households WHERE deleted = 0),
    pv AS (SELECT v.id, v.household_id FROM visits v
           WHERE v.deleted = 0 AND (?1 = '' OR v.visited_on >= ?1) AND (?2 = '' OR v.visited_on <= ?2))
    SELECT hv.village_id,
      count(*),
      sum(EXISTS (SELECT 1 FROM pv WHERE pv.household_id = hv.id)),
      (SELECT count(*) FROM persons p JOIN hv h2 ON h2.id = p.household_id
         WHERE p.deleted = 0 AND h2.village_id = hv.village_id),
      (SELECT count(DISTINCT vp.person_id) FROM pv JOIN visit_persons vp ON vp.visit_id = pv.id
         JOIN hv h3 ON h3.id = pv.household_id WHERE h3.village_id = hv.village_id),
      (SELECT count(*) FROM pv JOIN hv h4 ON h4.id = pv.household_id
         WHERE h4.village_id = hv.village_id),
      sum(hv.working_age_count)
    FROM hv GROUP BY hv.village_id
  )SQL",
                     &st);
  if (!q) return st;
  q->Bind(1, period.from).Bind(2, period.to);
  std::map<std::string, CoverageRow> by_village;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    CoverageRow r;
    r.village_id = q->Text(0);
    r.households = q->Int(1);
    r.households_visited = q->Int(2);
    r.persons = q->Int(3);
    r.persons_guided = q->Int(4);
    r.visits = q->Int(5);
    r.working_age = q->Int(6);
    by_village[r.village_id] = r;
  }
  if (rc != SQLITE_DONE) return d.Error("coverage", rc);
  std::vector<CoverageRow> out;
  CoverageRow total;
  total.village_name = "Toàn xã";
  for (const Village& v : *villages) {
    CoverageRow r = by_village.count(v.id) ? by_village[v.id] : CoverageRow{};
    r.village_id = v.id;
    r.village_name = v.name;
    total.households += r.households;
    total.households_visited += r.households_visited;
    total.persons += r.persons;
    total.persons_guided += r.persons_guided;
    total.visits += r.visits;
    total.working_age += r.working_age;
    out.push_back(std::move(r));
  }
  out.push_back(total);
  return out;
}

}  // namespace gocua
