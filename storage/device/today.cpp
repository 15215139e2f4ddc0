#include "storage/device/today.h"

#include "storage/core/change_log.h"
#include "storage/device/replica.h"
#include "storage/core/sqlite_db.h"

namespace gocua {
namespace {

// Follow-ups still open: the household's latest visit asks for one (visit_latest, kept by
// triggers since schema v3, holds each household's latest visit; a household deleted from
// the register has none). Reads the partial index on follow-up dates, not the visits.
constexpr const char* kOpenFollowups = R"SQL(
  FROM visit_latest l JOIN households h ON h.id = l.household_id AND h.deleted = 0
  LEFT JOIN villages vi ON vi.id = h.village_id
  WHERE l.followup_on <> '' AND l.followup_on <= date(?1, '+' || ?2 || ' days')
)SQL";

// Heads in the order people read them, as the Households list sorts them (household_order,
// schema v8: folded, Đ with D); one primary-key probe per row the sort sees.
constexpr const char* kHeadOrder =
    "(SELECT o.sort_key FROM household_order o WHERE o.household_id = h.id)";

// Households never visited, in the member's villages: ?2 is a JSON array of village ids, or
// NULL for every village.
constexpr const char* kNotVisited = R"SQL(
  FROM households h LEFT JOIN villages vi ON vi.id = h.village_id
  WHERE h.deleted = 0
    AND NOT EXISTS (SELECT 1 FROM visit_latest l WHERE l.household_id = h.id)
    AND (?2 IS NULL OR h.village_id IN (SELECT value FROM json_each(?2)))
)SQL";

// The member's villages: those of the households whose latest visit the member took part in
// (visit_latest_members, kept by triggers since schema v4; a scan of it costs tens of ms at
// 50,000 households, where walking the member's whole visit history cost half a second).
// A JSON array, or "" when there are none (a member who has not visited yet sees every village).
Result<std::string> MemberVillages(Database::Impl& d, const std::string& member_id) {
  Status st;
  auto q = d.Prepare(
      "SELECT json_group_array(DISTINCT h.village_id) FROM visit_latest_members lm "
      "JOIN households h ON h.id = lm.household_id WHERE lm.member_id = ?1 "
      "AND h.village_id IS NOT NULL",
      &st);
  if (!q) return st;
  q->Bind(1, member_id);
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("today", rc);
  const std::string villages = q->Text(0);
  return villages == "[]" ? std::string() : villages;
}

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
    auto q = d.Prepare(std::string("SELECT l.visit_id, l.household_id, h.head_name, h.address, "
                                   "coalesce(vi.name, ''), l.followup_on") +
                           kOpenFollowups + " ORDER BY l.followup_on, " + kHeadOrder + " LIMIT ?3",
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
  auto villages = MemberVillages(d, tq.member_id);
  if (!villages) return villages.error();
  auto bind_villages = [&](Stmt& q, int i) {
    if (villages->empty()) {
      q.BindNull(i);
    } else {
      q.Bind(i, *villages);
    }
  };
  {
    auto q = d.Prepare(std::string("SELECT h.id, h.village_id, h.address, h.head_name, h.phone, "
                                   "h.members_count, h.working_age_count, h.smartphones, "
                                   "h.home_internet") +
                           kNotVisited + " ORDER BY vi.name, " + kHeadOrder + ", h.id LIMIT ?1",
                       &st);
    if (!q) return st;
    q->Bind(1, tq.limit);
    bind_villages(*q, 2);
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
                             [&](Stmt& q) { bind_villages(q, 2); });
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
