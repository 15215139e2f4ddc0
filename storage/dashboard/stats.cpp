#include "storage/dashboard/stats.h"

#include <map>

#include "storage/core/sqlite_db.h"
#include "storage/dashboard/period_activity.h"
#include "storage/device/places.h"

namespace gocua {

Result<std::vector<CoverageRow>> Coverage(Database& db, const StatsPeriod& period) {
  auto villages = Places(db).Villages();
  if (!villages) return villages.error();
  Database::Impl& d = db.impl();
  Status st;
  // The register, now, per village.
  auto q = d.Prepare(R"SQL(
    WITH hv AS (SELECT id, village_id, working_age_count FROM households WHERE deleted = 0)
    SELECT hv.village_id,
      count(*),
      (SELECT count(*) FROM persons p JOIN hv h2 ON h2.id = p.household_id
         WHERE p.deleted = 0 AND h2.village_id = hv.village_id),
      sum(hv.working_age_count)
    FROM hv GROUP BY hv.village_id
  )SQL",
                     &st);
  if (!q) return st;
  std::map<std::string, CoverageRow> by_village;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    CoverageRow r;
    r.village_id = q->Text(0);
    r.households = q->Int(1);
    r.persons = q->Int(2);
    r.working_age = q->Int(3);
    by_village[r.village_id] = r;
  }
  if (rc != SQLITE_DONE) return d.Error("coverage", rc);
  q.reset();
  // Activity in the period: the dashboard's own figures (PeriodActivity), so that which
  // visits count (not deleted, not returned: indicators.h) is decided in one place for
  // gocua-cli stats, the dashboard and the monthly report.
  ActivityQuery activity;
  if (!period.from.empty()) activity.from = period.from;
  if (!period.to.empty()) activity.to = period.to;
  std::map<std::string, VillageIndicators> active;
  if (Status a = PeriodActivity(db, activity, &active); !a) return a;
  for (const auto& [village_id, v] : active) {
    auto it = by_village.find(village_id);
    if (it == by_village.end()) continue;  // no household in the register
    it->second.households_visited = v.households_visited;
    it->second.persons_guided = v.persons_guided;
    it->second.visits = v.visits;
  }
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
