#include "storage/dashboard/period_activity.h"

#include <functional>

#include "storage/core/sqlite_db.h"

namespace gocua {
namespace {

// The status test of a counted visit `v` beyond "not deleted": ?3 = 1 for approved only.
constexpr const char* kCountedStatus =
    "v.status <> 'returned' AND (?3 = 0 OR v.status = 'approved')";

Status ForEachRow(Database::Impl& d, const std::string& sql, const ActivityQuery& query,
                  int64_t extra, const std::function<void(Stmt&)>& row) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, query.from).Bind(2, query.to).Bind(3, query.approved_only ? 1 : 0);
  if (sql.find("?4") != std::string::npos) q->Bind(4, extra);
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) row(*q);
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("period activity", rc);
}

// Counted visits in the period, and outside it (counting the latter stops past `cap`).
Result<ActivityPath> Choose(Database::Impl& d, const ActivityQuery& query) {
  const std::string counted =
      " AND v.deleted = 0 AND " + std::string(kCountedStatus);
  int64_t inside = 0, outside = 0;
  Status st = ForEachRow(
      d,
      "SELECT count(*) FROM visits v INDEXED BY visits_period "
      "WHERE v.visited_on BETWEEN ?1 AND ?2" + counted,
      query, 0, [&](Stmt& q) { inside = q.Int(0); });
  if (!st) return st;
  st = ForEachRow(
      d,
      "SELECT count(*) FROM (SELECT 1 FROM visits v INDEXED BY visits_period "
      "WHERE v.visited_on < ?1" + counted +
          " UNION ALL SELECT 1 FROM visits v INDEXED BY visits_period WHERE v.visited_on > ?2" +
          counted + " LIMIT ?4)",
      query, inside / 2 + 1, [&](Stmt& q) { outside = q.Int(0); });
  if (!st) return st;
  return inside > 2 * outside ? ActivityPath::kSpans : ActivityPath::kVisits;
}

// Every counted visit of the period with its household (in the register) and its persons, in
// one pass. The join order is forced (CROSS JOIN) and the indexes named: the period's visits
// come from a covering index and the households are probed by key. A visit without persons
// still gives one row (LEFT JOIN), so visits are counted by distinct rowid (migration v13 keys
// visit_persons by it; visits_period holds it).
Status FromVisits(Database::Impl& d, const ActivityQuery& query,
                  std::map<std::string, VillageIndicators>& rows) {
  return ForEachRow(
      d,
      "SELECT h.village_id, count(DISTINCT v.rowid), count(DISTINCT v.household_id), "
      "count(DISTINCT vp.person), count(vp.person) "
      "FROM visits v INDEXED BY visits_period "
      "CROSS JOIN households h INDEXED BY households_by_id ON h.id = v.household_id "
      "LEFT JOIN visit_persons vp ON vp.visit = v.rowid "
      "WHERE v.visited_on BETWEEN ?1 AND ?2 AND v.deleted = 0 AND " +
          std::string(kCountedStatus) + " AND h.deleted = 0 GROUP BY h.village_id",
      query, 0, [&](Stmt& q) {
        auto& r = rows[q.Text(0)];
        r.visits = q.Int(1);
        r.households_visited = q.Int(2);
        r.persons_guided = q.Int(3);
        r.guidance_sessions = q.Int(4);
      });
}

// From the spans of migration v7. `f` picks the columns (c: not returned, a: approved) and
// `status` the matching test of a visit `v`, for the entities straddling an end of the period.
Status FromSpans(Database::Impl& d, const ActivityQuery& query,
                 std::map<std::string, VillageIndicators>& rows) {
  const std::string f = query.approved_only ? "_a" : "_c";
  const std::string status =
      query.approved_only ? "v.status = 'approved'" : "v.status <> 'returned'";
  const std::string inside = "s.first" + f + " >= ?1 AND s.last" + f + " <= ?2";
  const std::string in_period =
      " v.visited_on BETWEEN ?1 AND ?2 AND v.deleted = 0 AND " + status;
  // Households: all-time counts when the period holds the span, else counted in the period
  // from the covering index visits_household (and the visits' persons).
  Status st = ForEachRow(
      d,
      "SELECT village_id, total(n > 0), total(n), total(sessions) FROM ("
      "SELECT s.village_id AS village_id, "
      "CASE WHEN " + inside + " THEN s.visits" + f +
          " ELSE (SELECT count(*) FROM visits v INDEXED BY visits_household "
          "WHERE v.household_id = s.household_id AND" + in_period + ") END AS n, "
          "CASE WHEN " + inside + " THEN s.sessions" + f +
          " ELSE (SELECT count(*) FROM visits v INDEXED BY visits_household "
          "CROSS JOIN visit_persons vp ON vp.visit = v.rowid "
          "WHERE v.household_id = s.household_id AND" + in_period + ") END AS sessions "
          "FROM household_span s WHERE s.first" + f + " <= ?2 AND s.last" + f + " >= ?1) "
          "GROUP BY village_id",
      query, 0, [&](Stmt& q) {
        auto& r = rows[q.Text(0)];
        r.households_visited = static_cast<int64_t>(sqlite3_column_double(q.raw(), 1));
        r.visits = static_cast<int64_t>(sqlite3_column_double(q.raw(), 2));
        r.guidance_sessions = static_cast<int64_t>(sqlite3_column_double(q.raw(), 3));
      });
  if (!st) return st;
  // Persons: guided in the village in the period if the period holds the span, else if one of
  // their visits to a household of the village is in it.
  return ForEachRow(
      d,
      "SELECT s.village_id, count(*) FROM person_span s "
      "WHERE s.first" + f + " <= ?2 AND s.last" + f + " >= ?1 AND (" + inside +
          " OR EXISTS (SELECT 1 FROM visit_persons vp INDEXED BY visit_persons_person "
          "CROSS JOIN visits v ON v.rowid = vp.visit "
          "CROSS JOIN households h INDEXED BY households_by_id ON h.id = v.household_id "
          "WHERE vp.person = (SELECT k FROM ref_keys WHERE id = s.person_id) AND" + in_period +
          " AND h.village_id = s.village_id AND h.deleted = 0)) "
          "GROUP BY s.village_id",
      query, 0, [&](Stmt& q) { rows[q.Text(0)].persons_guided = q.Int(1); });
}

}  // namespace

Status PeriodActivity(Database& db, const ActivityQuery& query,
                      std::map<std::string, VillageIndicators>* by_village, ActivityPath* used) {
  Database::Impl& d = db.impl();
  ActivityPath path = query.path;
  if (path == ActivityPath::kAuto) {
    auto chosen = Choose(d, query);
    if (!chosen) return chosen.error();
    path = *chosen;
  }
  if (used) *used = path;
  return path == ActivityPath::kSpans ? FromSpans(d, query, *by_village)
                                      : FromVisits(d, query, *by_village);
}

}  // namespace gocua
