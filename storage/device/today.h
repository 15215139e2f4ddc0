#pragma once
// What a member sees first when signing in (the app's Today screen): follow-ups due and
// overdue, households not yet visited in the member's villages, and how sync stands.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

struct FollowUp {
  std::string visit_id, household_id, head_name, address, village_name;
  std::string followup_on;  // YYYY-MM-DD
  bool overdue = false;     // before today
};

struct TodaySummary {
  // Visits whose follow-up date is on or before `today + days_ahead`, with no later visit of
  // the same household yet; overdue first, then by date. At most `limit`; the total beside.
  std::vector<FollowUp> followups;
  int64_t followups_total = 0;
  // Households never visited, in the member's villages (those of the households whose latest
  // visit the member took part in; every village while there are none). At most `limit`.
  std::vector<Household> not_visited;
  int64_t not_visited_total = 0;
  int64_t unsynced = 0;      // change-log entries the hub has not acknowledged
  int64_t last_sync_ms = 0;  // 0 = never synced
};

struct TodayQuery {
  std::string today;  // YYYY-MM-DD
  std::string member_id;
  int days_ahead = 7;
  int limit = 20;
};

Result<TodaySummary> LoadToday(Database& db, const TodayQuery& q);

}  // namespace gocua
