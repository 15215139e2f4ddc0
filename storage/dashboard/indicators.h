#pragma once
// The indicators a commune leader follows (DOMAIN.md, "Indicators a leader needs to see"), per
// village and for the commune, computed with SQL aggregates over this laptop's database.
//
// Two kinds of figures:
//  - activity over the chosen period [from, to] (visit dates, inclusive): visits, households
//    visited, persons guided, per-topic results, each member's visits in the period;
//  - state now: the household register, the persons' five-skills profiles (working-age persons
//    who can use online public services, households with a person proficient in all five
//    skills), this week's and this month's visits, overdue follow-ups, the review queue, open
//    conflicts, sync freshness. Skills are a profile that visits raise, not dated events, so a
//    past period shows today's profile.
//
// Which visits count: not deleted and not "returned" (a leader sent it back for correction);
// pending and approved both count unless `approved_only`. A visit returned and then approved
// counts once, as approved. A person guided twice in the period is one person guided and two
// guidance sessions (lượt người). The per-village figures count households in the register
// only (a household deleted from it, and its visits, are left out); the per-topic and
// per-member figures count the work done, so a visit to a household deleted since still counts.
// Overdue follow-ups, as the Today screen counts them (storage/device/today.h): a visit not deleted,
// whatever its review state, whose follow-up date is before today, with no later visit of the
// household — that is, the household's latest visit (of two on the same day, the one recorded
// last). A household deleted from the register has none.
//
// Threading: like every storage call, one thread per Database. Reads only; no transaction.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "storage/dashboard/indicator_settings.h"

namespace gocua {

struct DashboardQuery {
  std::string from, to;  // visit dates, inclusive, YYYY-MM-DD; "" = open
  std::string today;     // YYYY-MM-DD for "this week/month" and overdue; "" = the clock's date
  bool approved_only = false;
};

struct VillageIndicators {
  std::string village_id;    // "" for the commune row
  std::string village_name;  // "Toàn xã" for the commune row
  // Register and profiles, now.
  int64_t households = 0;              // not deleted
  int64_t working_age = 0;             // sum of the households' declared working-age counts
  int64_t working_age_online = 0;      // persons of working age proficient in public services
  int64_t households_five_skills = 0;  // with >= 1 person proficient in all five skills
  // Activity in the period.
  int64_t visits = 0;
  int64_t households_visited = 0;  // with >= 1 counted visit
  int64_t persons_guided = 0;      // distinct persons
  int64_t guidance_sessions = 0;  // (visit, person) pairs: lượt người được hướng dẫn
};

// Counted visits in the period that covered the topic, by result.
struct TopicIndicators {
  std::string topic_id, name_vi, name_en;
  int64_t guided = 0, done = 0, needs_followup = 0, no_conditions = 0;
};

struct MemberIndicators {
  std::string member_id, name;
  bool leader = false;
  int64_t visits_week = 0;        // counted visits the member took part in, this week (Mon–Sun)
  int64_t visits_month = 0;       // ... this calendar month
  int64_t visits_period = 0;      // ... in the period
  int64_t overdue_followups = 0;  // overdue follow-ups of visits the member took part in
};

// Sync freshness: this laptop first, then the commune's other devices as the hub listed them
// on this laptop's last pull (Replica::DeviceContacts: their last push or completed pull).
struct DeviceSyncInfo {
  std::string device_id;
  bool this_device = true;
  int64_t last_sync_ms = 0;  // hub time of the last completed sync; 0 = never
  int64_t unsynced = -1;     // change-log entries not yet acknowledged; -1 = not known (others)
  std::string name;          // as enrolled on the hub; "" for this laptop before any pull said
};

struct Dashboard {
  // The query as resolved: open ends stay "", `today` is filled in.
  DashboardQuery query;
  std::string week_from, week_to, month_from, month_to;  // YYYY-MM-DD
  IndicatorSettings settings;
  // The target line for the period's year (the year of `to`, else of `today`).
  TargetLine target;
  std::vector<VillageIndicators> villages;  // by name
  VillageIndicators commune;                // the sum of the villages' rows
  std::vector<TopicIndicators> topics;      // catalog order
  std::vector<MemberIndicators> members;    // by name
  int64_t overdue_followups = 0;
  int64_t pending_reviews = 0;  // visits waiting for a leader (not deleted)
  int64_t returned_visits = 0;  // visits returned and not yet resubmitted
  int64_t open_conflicts = 0;
  std::vector<DeviceSyncInfo> devices;
};

// Percent of `part` in `whole`, 0 when whole is 0.
double PercentOf(int64_t part, int64_t whole);

// Computes every figure above. kInvalidInput for a bad date or from > to.
Result<Dashboard> ComputeDashboard(Database& db, const DashboardQuery& query);

// Date helpers for the period pickers: the Monday..Sunday week and the calendar month holding
// `day` (YYYY-MM-DD). Empty strings for an invalid date.
std::pair<std::string, std::string> WeekOf(const std::string& day);
std::pair<std::string, std::string> MonthOf(const std::string& day);

}  // namespace gocua
