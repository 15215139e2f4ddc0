#include "storage/dashboard/indicators.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>

#include "storage/core/change_log.h"
#include "storage/device/members.h"
#include "storage/dashboard/period_activity.h"
#include "storage/device/places.h"
#include "storage/core/record_store.h"
#include "storage/device/replica.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/topics.h"

namespace gocua {
namespace {

// Open period ends, as bounds every date sorts between.
constexpr const char* kMinDate = "0000-00-00";
constexpr const char* kMaxDate = "9999-12-31";

// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm), and back.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::string CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int y = static_cast<int>(yoe + era * 400 + (m <= 2));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

bool ParseDate(const std::string& s, int* y, int* m, int* d) {
  static const FieldDef kDate{"date", FieldKind::kDate, 0};
  static const RecordDef kDef{"date", "", {kDate}};
  if (s.empty() || !CheckValue(kDef, kDate, s)) return false;
  *y = std::stoi(s.substr(0, 4));
  *m = std::stoi(s.substr(5, 2));
  *d = std::stoi(s.substr(8, 2));
  return true;
}

// Runs `sql` with `bind`, calling `row` for each result row.
Status ForEachRow(Database::Impl& d, const std::string& sql, const std::function<void(Stmt&)>& bind,
                  const std::function<void(Stmt&)>& row) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  bind(*q);
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) row(*q);
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("indicators", rc);
}

void AddInto(VillageIndicators& total, const VillageIndicators& r) {
  total.households += r.households;
  total.working_age += r.working_age;
  total.working_age_online += r.working_age_online;
  total.households_five_skills += r.households_five_skills;
  total.visits += r.visits;
  total.households_visited += r.households_visited;
  total.persons_guided += r.persons_guided;
  total.guidance_sessions += r.guidance_sessions;
}

// Register, profiles and period activity per village id.
Status VillageFigures(Database& db, const Dashboard& out, const std::string& from,
                      const std::string& to, std::map<std::string, VillageIndicators>* by_id) {
  Database::Impl& d = db.impl();
  auto& rows = *by_id;
  Status st = ForEachRow(
      d,
      "SELECT village_id, count(*), total(working_age_count) FROM households "
      "INDEXED BY households_register "
      "WHERE deleted = 0 GROUP BY village_id",
      [](Stmt&) {},
      [&](Stmt& q) {
        auto& r = rows[q.Text(0)];
        r.households = q.Int(1);
        r.working_age = static_cast<int64_t>(sqlite3_column_double(q.raw(), 2));
      });
  if (!st) return st;
  // Reference year of the working-age band: the period's end, else today.
  const std::string& ref = out.query.to.empty() ? out.query.today : out.query.to;
  const int year = std::stoi(ref.substr(0, 4));
  st = ForEachRow(
      d,
      "SELECT village_id, total(birth_year BETWEEN ?1 AND ?2), "
      "count(DISTINCT CASE WHEN five THEN household_id END) "
      "FROM person_online INDEXED BY person_online_village GROUP BY village_id",
      [&](Stmt& q) {
        q.Bind(1, year - out.settings.working_age_max).Bind(2, year - out.settings.working_age_min);
      },
      [&](Stmt& q) {
        auto& r = rows[q.Text(0)];
        r.working_age_online = static_cast<int64_t>(sqlite3_column_double(q.raw(), 1));
        r.households_five_skills = q.Int(2);
      });
  if (!st) return st;
  // Visits, households visited, persons guided and sessions: storage/dashboard/period_activity.h.
  return PeriodActivity(db, {from, to, out.query.approved_only, ActivityPath::kAuto}, by_id);
}

Status TopicFigures(Database::Impl& d, Database& db, Dashboard& out, const std::string& from,
                    const std::string& to) {
  auto catalog = Topics(db).List();
  if (!catalog) return catalog.error();
  std::map<std::string, size_t> index;
  for (const Topic& t : *catalog) {
    index[t.id] = out.topics.size();
    out.topics.push_back({t.id, t.name_vi, t.name_en});
  }
  return ForEachRow(
      d,
      // Daily sums kept by triggers (migration v5): the counted visits of period_activity.h.
      "SELECT topic_id, result, sum(n) FROM topic_day "
      "WHERE day BETWEEN ?1 AND ?2 AND status <> 'returned' AND (?3 = 0 OR status = 'approved') "
      "GROUP BY topic_id, result",
      [&](Stmt& q) { q.Bind(1, from).Bind(2, to).Bind(3, out.query.approved_only ? 1 : 0); },
      [&](Stmt& q) {
        auto it = index.find(q.Text(0));
        if (it == index.end()) return;  // a topic deleted from the catalog
        TopicIndicators& t = out.topics[it->second];
        const std::string result = q.Text(1);
        const int64_t n = q.Int(2);
        if (result == "guided")
          t.guided += n;
        else if (result == "done")
          t.done += n;
        else if (result == "needs_followup")
          t.needs_followup += n;
        else if (result == "no_conditions")
          t.no_conditions += n;
      });
}

Status MemberFigures(Database::Impl& d, Database& db, Dashboard& out, const std::string& from,
                     const std::string& to) {
  auto members = Members(db).List();
  if (!members) return members.error();
  std::map<std::string, size_t> index;
  for (const Member& m : *members) {
    index[m.id] = out.members.size();
    out.members.push_back({m.id, m.name, m.role == Role::kLeader});
  }
  // One pass over the counted visits of the period, the week and the month together.
  const std::string lo = std::min({from, out.week_from, out.month_from});
  const std::string hi = std::max({to, out.week_to, out.month_to});
  Status st = ForEachRow(
      d,
      // Daily sums kept by triggers (migration v5): the counted visits of period_activity.h.
      "SELECT member_id, total(CASE WHEN day BETWEEN ?4 AND ?5 THEN n END), "
      "total(CASE WHEN day BETWEEN ?6 AND ?7 THEN n END), "
      "total(CASE WHEN day BETWEEN ?8 AND ?9 THEN n END) FROM member_day "
      "WHERE day BETWEEN ?1 AND ?2 AND status <> 'returned' AND (?3 = 0 OR status = 'approved') "
      "GROUP BY member_id",
      [&](Stmt& q) {
        q.Bind(1, lo).Bind(2, hi).Bind(3, out.query.approved_only ? 1 : 0);
        q.Bind(4, from).Bind(5, to).Bind(6, out.week_from).Bind(7, out.week_to);
        q.Bind(8, out.month_from).Bind(9, out.month_to);
      },
      [&](Stmt& q) {
        auto it = index.find(q.Text(0));
        if (it == index.end()) return;
        MemberIndicators& m = out.members[it->second];
        m.visits_period = static_cast<int64_t>(sqlite3_column_double(q.raw(), 1));
        m.visits_week = static_cast<int64_t>(sqlite3_column_double(q.raw(), 2));
        m.visits_month = static_cast<int64_t>(sqlite3_column_double(q.raw(), 3));
      });
  if (!st) return st;
  // Overdue follow-ups: each household's latest visit whose follow-up date has passed, and
  // per member the same among the visits they took part in (tables visit_latest and
  // visit_latest_members, kept by triggers: migrations v3 and v4).
  st = ForEachRow(
      d,
      "SELECT count(*) FROM visit_latest INDEXED BY visit_latest_followup "
      "WHERE followup_on <> '' AND followup_on < ?1",
      [&](Stmt& q) { q.Bind(1, out.query.today); },
      [&](Stmt& q) { out.overdue_followups = q.Int(0); });
  if (!st) return st;
  return ForEachRow(
      d,
      "SELECT member_id, count(*) FROM visit_latest_members INDEXED BY visit_latest_members_due "
      "WHERE followup_on <> '' AND followup_on < ?1 GROUP BY member_id",
      [&](Stmt& q) { q.Bind(1, out.query.today); },
      [&](Stmt& q) {
        auto it = index.find(q.Text(0));
        if (it != index.end()) out.members[it->second].overdue_followups = q.Int(1);
      });
}

Status QueueFigures(Database::Impl& d, Database& db, Dashboard& out) {
  Status st = ForEachRow(
      d,
      "SELECT status, count(*) FROM visits INDEXED BY visits_review "
      "WHERE status IN ('pending', 'returned') AND deleted = 0 GROUP BY status",
      [](Stmt&) {},
      [&](Stmt& q) {
        (q.Text(0) == kStatusPending ? out.pending_reviews : out.returned_visits) = q.Int(1);
      });
  if (!st) return st;
  st = ForEachRow(
      d, "SELECT count(*) FROM conflicts WHERE status = 'open' AND deleted = 0", [](Stmt&) {},
      [&](Stmt& q) { out.open_conflicts = q.Int(0); });
  if (!st) return st;
  auto state = Replica(db).State();
  if (!state) return state.error();
  auto unsynced = ChangeLog(db).PendingCount();
  if (!unsynced) return unsynced.error();
  out.devices.push_back({db.device_id(), true, state->last_sync_ms, *unsynced});
  auto others = Replica(db).DeviceContacts();
  if (!others) return others.error();
  for (const DeviceContact& c : *others) {
    if (c.device_id == db.device_id()) {
      out.devices.front().name = c.name;
      continue;
    }
    out.devices.push_back({c.device_id, false, c.last_seen_ms, -1, c.name});
  }
  return Status::Ok();
}

}  // namespace

double PercentOf(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::pair<std::string, std::string> WeekOf(const std::string& day) {
  int y, m, d;
  if (!ParseDate(day, &y, &m, &d)) return {};
  const int64_t days = DaysFromCivil(y, m, d);
  // 1970-01-01 was a Thursday: weekday 0 = Monday.
  const int64_t weekday = ((days + 3) % 7 + 7) % 7;
  return {CivilFromDays(days - weekday), CivilFromDays(days - weekday + 6)};
}

std::pair<std::string, std::string> MonthOf(const std::string& day) {
  int y, m, d;
  if (!ParseDate(day, &y, &m, &d)) return {};
  const int64_t first = DaysFromCivil(y, m, 1);
  const int64_t next = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
  return {CivilFromDays(first), CivilFromDays(next - 1)};
}

Result<Dashboard> ComputeDashboard(Database& db, const DashboardQuery& query) {
  Dashboard out;
  out.query = query;
  if (out.query.today.empty()) out.query.today = LocalDate(db.clock().NowMs());
  int y, m, dd;
  for (const std::string* s : {&out.query.from, &out.query.to, &out.query.today})
    if (!s->empty() && !ParseDate(*s, &y, &m, &dd))
      return InvalidInput("Ngày '" + *s + "' không hợp lệ, cần dạng YYYY-MM-DD — invalid date");
  if (!out.query.from.empty() && !out.query.to.empty() && out.query.from > out.query.to)
    return InvalidInput("Ngày bắt đầu sau ngày kết thúc — the period starts after it ends");
  std::tie(out.week_from, out.week_to) = WeekOf(out.query.today);
  std::tie(out.month_from, out.month_to) = MonthOf(out.query.today);
  auto settings = LoadIndicatorSettings(db);
  if (!settings) return settings.error();
  out.settings = *settings;
  const std::string& ref = out.query.to.empty() ? out.query.today : out.query.to;
  out.target = *TargetFor(out.settings, std::stoi(ref.substr(0, 4)));

  const std::string from = out.query.from.empty() ? kMinDate : out.query.from;
  const std::string to = out.query.to.empty() ? kMaxDate : out.query.to;
  Database::Impl& d = db.impl();
  auto villages = Places(db).Villages();
  if (!villages) return villages.error();
  std::map<std::string, VillageIndicators> by_id;
  if (Status st = VillageFigures(db, out, from, to, &by_id); !st) return st;
  out.commune.village_name = "Toàn xã";
  for (const Village& v : *villages) {
    VillageIndicators r = by_id.count(v.id) ? by_id[v.id] : VillageIndicators{};
    r.village_id = v.id;
    r.village_name = v.name;
    AddInto(out.commune, r);
    out.villages.push_back(std::move(r));
  }
  if (Status st = TopicFigures(d, db, out, from, to); !st) return st;
  if (Status st = MemberFigures(d, db, out, from, to); !st) return st;
  if (Status st = QueueFigures(d, db, out); !st) return st;
  return out;
}

}  // namespace gocua
