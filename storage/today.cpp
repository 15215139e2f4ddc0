#include "storage/today.h"

#include "storage/change_log.h"
#include "storage/replica.h"
#include "storage/sqlite_db.h"

namespace gocua {
namespace {

// Follow-ups still open: no visit of the same household on a later date.
constexpr const char* kOpenFollowups = R"SQL(
  FROM visits v JOIN households h ON h.id = v.household_id AND h.deleted = 0
  LEFT JOIN villages vi ON vi.id = h.village_id
  WHERE v.deleted = 0 AND v.followup_on <> '' AND v.followup_on <= date(?1, '+' || ?2 || ' days')
    AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = v.household_id
                    AND w.deleted = 0 AND w.visited_on > v.visited_on)
)SQL";

// Households never visited, in the villages the member has worked in (all if none).
constexpr const char* kNotVisited = R"SQL(
  FROM households h LEFT JOIN villages vi ON vi.id = h.village_id
  WHERE h.deleted = 0
    AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.household_id = h.id AND v.deleted = 0)
    AND (NOT EXISTS (SELECT 1 FROM visit_members m WHERE m.member_id = ?1)
         OR h.village_id IN (SELECT DISTINCT hh.village_id FROM visit_members m
                             JOIN visits v ON v.id = m.visit_id AND v.deleted = 0
                             JOIN households hh ON hh.id = v.household_id
                             WHERE m.member_id = ?1))
)SQL";

Result<int64_t> CountOf(Database::Impl& d, const std::string& sql,
                        const std::function<void(Stmt&)>& bind) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  bind(*q);
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("today", rc);
  return q->Int(0);
}

}  // namespace

Result<TodaySummary> LoadToday(Database& db, const TodayQuery& tq) {
  Database::Impl& d = db.impl();
  TodaySummary out;
  Status st;
  {
    auto q = d.Prepare(std::string("SELECT v.id, v.household_id, h.head_name, h.address, "
                                   "coalesce(vi.name, ''), v.followup_on") +
                           kOpenFollowups + " ORDER BY v.followup_on, h.head_name LIMIT ?3",
                       &st);
    if (!q) return st;
    q->Bind(1, tq.today).Bind(2, tq.days_ahead).Bind(3, tq.limit);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      FollowUp f{q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Text(5)};
      f.overdue = f.followup_on < tq.today;
      out.followups.push_back(std::move(f));
    }
    if (rc != SQLITE_DONE) return d.Error("today", rc);
  }
  auto followups = CountOf(d, std::string("SELECT count(*)") + kOpenFollowups,
                           [&](Stmt& q) { q.Bind(1, tq.today).Bind(2, tq.days_ahead); });
  if (!followups) return followups.error();
  out.followups_total = *followups;
  {
    auto q = d.Prepare(std::string("SELECT h.id, h.village_id, h.address, h.head_name, h.phone, "
                                   "h.members_count, h.working_age_count, h.smartphones, "
                                   "h.home_internet") +
                           kNotVisited + " ORDER BY vi.name, h.head_name, h.id LIMIT ?2",
                       &st);
    if (!q) return st;
    q->Bind(1, tq.member_id).Bind(2, tq.limit);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) {
      Household h;
      h.id = q->Text(0);
      h.village_id = q->Text(1);
      h.address = q->Text(2);
      h.head_name = q->Text(3);
      h.phone = q->Text(4);
      h.members_count = static_cast<int>(q->Int(5));
      h.working_age_count = static_cast<int>(q->Int(6));
      h.smartphones = static_cast<int>(q->Int(7));
      h.home_internet = q->Int(8) != 0;
      out.not_visited.push_back(std::move(h));
    }
    if (rc != SQLITE_DONE) return d.Error("today", rc);
  }
  auto not_visited = CountOf(d, std::string("SELECT count(*)") + kNotVisited,
                             [&](Stmt& q) { q.Bind(1, tq.member_id); });
  if (!not_visited) return not_visited.error();
  out.not_visited_total = *not_visited;

  auto pending = ChangeLog(db).PendingCount();
  if (!pending) return pending.error();
  out.unsynced = *pending;
  auto state = Replica(db).State();
  if (!state) return state.error();
  out.last_sync_ms = state->last_sync_ms;
  return out;
}

}  // namespace gocua
