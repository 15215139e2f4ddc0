#include "storage/device/derived_writes.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

#include "storage/device/derived_rows.h"

namespace gocua {
namespace {

// Runs `sql` once with the id set bound as ?1.
Status RunFor(Database::Impl& d, const char* sql, const std::string& ids) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, ids);
  const int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("derived tables", rc);
}

// Calls `row` on every row of `sql`, run with the id set bound as ?1; `what` names the table
// in an error.
template <typename Row>
Status ForRowsOf(Database::Impl& d, const char* sql, const std::string& ids, const char* what,
                 Row&& row) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, ids);
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) row(*q);
  return rc == SQLITE_DONE ? Status::Ok() : d.Error(what, rc);
}

// Adds to `out` the first column of every row of `sql`, run with the id set bound as ?1.
Status CollectFor(Database::Impl& d, const char* sql, const std::string& ids,
                  std::set<std::string>* out) {
  return ForRowsOf(d, sql, ids, "derived tables", [out](Stmt& q) { out->insert(q.Text(0)); });
}

#define GOCUA_IDS "(SELECT value FROM json_each(?1))"

// The recomputations below are the triggers' own (migrations.cpp: v4's visit_latest_* and
// person_online_*, v7's GOCUA_V7_HOUSEHOLD and GOCUA_V7_PERSONS) over a set of keys.
// tests/storage/device/derived_bulk_test.cpp holds the two together.
constexpr const char* kLatest[] = {
    "DELETE FROM visit_latest_members WHERE household_id IN " GOCUA_IDS,
    "DELETE FROM visit_latest WHERE household_id IN " GOCUA_IDS,
    // A household's latest visit not deleted, unless the household is deleted.
    "INSERT INTO visit_latest(household_id, visit_id, visited_on, followup_on) "
    "SELECT v.household_id, v.id, v.visited_on, v.followup_on FROM json_each(?1) j "
    "JOIN visits v ON v.id = (SELECT w.id FROM visits w WHERE w.household_id = j.value "
    "  AND w.deleted = 0 ORDER BY w.visited_on DESC, w.id DESC LIMIT 1) "
    "WHERE NOT EXISTS (SELECT 1 FROM households h WHERE h.id = j.value AND h.deleted = 1)",
    "INSERT INTO visit_latest_members(household_id, member_id, followup_on) "
    "SELECT DISTINCT l.household_id, je.value, l.followup_on "
    "FROM json_each(?1) j JOIN visit_latest l ON l.household_id = j.value "
    "JOIN visits v ON v.id = l.visit_id, "
    "  json_each(CASE WHEN json_valid(v.members) THEN v.members ELSE '[]' END) je "
    "WHERE je.type = 'text'",
};
constexpr const char* kHouseholdSpan[] = {
    "DELETE FROM household_span WHERE household_id IN " GOCUA_IDS,
    "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, sessions_c, "
    "  first_a, last_a, visits_a, sessions_a) "
    "SELECT h.village_id, h.id, min(v.visited_on), max(v.visited_on), count(*), "
    "  sum((SELECT count(*) FROM visit_persons vp WHERE vp.visit = v.rowid)), "
    "  min(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  max(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  sum(v.status = 'approved'), "
    "  sum(CASE WHEN v.status = 'approved' "
    "      THEN (SELECT count(*) FROM visit_persons vp WHERE vp.visit = v.rowid) ELSE 0 END) "
    "FROM households h JOIN visits v ON v.household_id = h.id "
    "WHERE h.id IN " GOCUA_IDS
    " AND h.deleted = 0 AND h.village_id IS NOT NULL "
    "  AND v.deleted = 0 AND v.status <> 'returned' "
    "GROUP BY h.id",
};
constexpr const char* kPersonSpan[] = {
    "DELETE FROM person_span WHERE person_id IN " GOCUA_IDS,
    "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a) "
    "SELECT h.village_id, r.id, min(v.visited_on), max(v.visited_on), "
    "  min(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  max(CASE WHEN v.status = 'approved' THEN v.visited_on END) "
    "FROM ref_keys r JOIN visit_persons vp ON vp.person = r.k "
    "  JOIN visits v ON v.rowid = vp.visit JOIN households h ON h.id = v.household_id "
    "WHERE r.id IN " GOCUA_IDS
    " AND h.deleted = 0 AND h.village_id IS NOT NULL "
    "  AND v.deleted = 0 AND v.status <> 'returned' "
    "GROUP BY h.village_id, r.id",
};
constexpr const char* kPersonOnline[] = {
    "DELETE FROM person_online WHERE person_id IN " GOCUA_IDS,
    "INSERT INTO person_online(person_id, household_id, village_id, birth_year, five) "
    "SELECT p.id, p.household_id, h.village_id, p.birth_year, "
    "  p.skill_shopping = 'proficient' AND p.skill_payment = 'proficient' "
    "    AND p.skill_safety = 'proficient' AND p.skill_platforms = 'proficient' "
    "FROM persons p JOIN households h ON h.id = p.household_id "
    "WHERE p.id IN " GOCUA_IDS
    " AND p.skill_public_services = 'proficient' AND p.deleted = 0 "
    "  AND h.deleted = 0 AND h.village_id IS NOT NULL",
};
// The persons of every visit of a household, and the persons living in a household.
constexpr const char kVisitPersonsOf[] =
    "SELECT r.id FROM visits w JOIN visit_persons x ON x.visit = w.rowid "
    "JOIN ref_keys r ON r.k = x.person "
    "WHERE w.household_id IN " GOCUA_IDS;
constexpr const char kPersonsOf[] = "SELECT id FROM persons WHERE household_id IN " GOCUA_IDS;

#undef GOCUA_IDS

template <size_t N>
Status RunAll(Database::Impl& d, const char* const (&sqls)[N], const std::set<std::string>& ids) {
  if (ids.empty()) return Status::Ok();
  const std::string array = IdArray(ids);
  for (const char* sql : sqls)
    if (Status st = RunFor(d, sql, array); !st) return st;
  return Status::Ok();
}

Status Done(Database::Impl& d, Stmt& q, const char* what) {
  const int rc = q.Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error(what, rc);
}

}  // namespace

Status RecomputeVisitLatest(Database::Impl& d, const std::set<std::string>& households) {
  return RunAll(d, kLatest, households);
}
Status RecomputeHouseholdSpans(Database::Impl& d, const std::set<std::string>& households) {
  return RunAll(d, kHouseholdSpan, households);
}
Status RecomputePersonSpans(Database::Impl& d, const std::set<std::string>& persons) {
  return RunAll(d, kPersonSpan, persons);
}
Status RecomputePersonOnline(Database::Impl& d, const std::set<std::string>& persons) {
  return RunAll(d, kPersonOnline, persons);
}
Status PersonsOfVisitsOf(Database::Impl& d, const std::set<std::string>& households,
                         std::set<std::string>* out) {
  return households.empty() ? Status::Ok()
                            : CollectFor(d, kVisitPersonsOf, IdArray(households), out);
}
Status PersonsLivingIn(Database::Impl& d, const std::set<std::string>& households,
                       std::set<std::string>* out) {
  return households.empty() ? Status::Ok() : CollectFor(d, kPersonsOf, IdArray(households), out);
}

Status ReadHouseholds(Database::Impl& d, const std::vector<std::string_view>& ids,
                      std::unordered_map<std::string_view, HouseholdNow>* out) {
  for (std::string_view id : ids) (*out)[id];  // absent: !exists
  if (ids.empty()) return Status::Ok();
  return ForRowsOf(
      d,
      // The device's covering index (migration v3): the wide household rows stay unread.
      "SELECT id, deleted, village_id FROM households INDEXED BY households_by_id "
      "WHERE id IN (SELECT value FROM json_each(?1))",
      IdArray(ids), "household", [out](Stmt& q) {
        auto it = out->find(q.Bytes(0));
        if (it == out->end()) return;  // not one of `ids`: cannot be
        HouseholdNow& h = it->second;
        h.exists = true;
        h.deleted = q.Int(1) != 0;
        if (!q.IsNull(2)) h.village = q.Text(2);
      });
}

void Widening::Add(const std::string& day, bool approved, size_t sessions) {
  if (visits_c == 0 || day < first_c) first_c = day;
  if (visits_c == 0 || day > last_c) last_c = day;
  ++visits_c;
  sessions_c += static_cast<int64_t>(sessions);
  if (!approved) return;
  if (!first_a || day < *first_a) first_a = day;
  if (!last_a || day > *last_a) last_a = day;
  ++visits_a;
  sessions_a += static_cast<int64_t>(sessions);
}

namespace {

Cell Day(const std::optional<std::string>& day) { return day ? Cell(*day) : Cell(); }

// The approved days of a span widened: min()/max() of NULL is NULL, hence the CASE.
#define GOCUA_WIDEN_APPROVED                                                                   \
  "first_a = CASE WHEN excluded.first_a IS NULL THEN first_a "                                 \
  "  ELSE coalesce(min(first_a, excluded.first_a), excluded.first_a) END, "                    \
  "last_a = CASE WHEN excluded.last_a IS NULL THEN last_a "                                    \
  "  ELSE coalesce(max(last_a, excluded.last_a), excluded.last_a) END"

}  // namespace

// A span's row is keyed by (village, entity); the entity's village is as it was when its span
// was made (a household whose village changes is recomputed, never widened).
Status GrowHouseholdSpans(Database::Impl& d, const Widenings& spans) {
  std::vector<Cell> cells;
  cells.reserve(spans.size() * 10);
  for (const auto& [key, w] : spans) {
    cells.insert(cells.end(), {key.first, key.second, w.first_c, w.last_c, w.visits_c,
                               w.sessions_c, Day(w.first_a), Day(w.last_a), w.visits_a,
                               w.sessions_a});
  }
  return InsertRows(
      d,
      "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, "
      "  sessions_c, first_a, last_a, visits_a, sessions_a)",
      10, cells,
      "ON CONFLICT(village_id, household_id) DO UPDATE SET "
      "first_c = min(first_c, excluded.first_c), last_c = max(last_c, excluded.last_c), "
      "visits_c = visits_c + excluded.visits_c, sessions_c = sessions_c + excluded.sessions_c, "
      GOCUA_WIDEN_APPROVED ", "
      "visits_a = visits_a + excluded.visits_a, sessions_a = sessions_a + excluded.sessions_a",
      "household_span");
}

Status GrowPersonSpans(Database::Impl& d, const Widenings& spans) {
  std::vector<Cell> cells;
  cells.reserve(spans.size() * 6);
  for (const auto& [key, w] : spans)
    cells.insert(cells.end(),
                 {key.first, key.second, w.first_c, w.last_c, Day(w.first_a), Day(w.last_a)});
  return InsertRows(d,
                    "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, "
                    "  last_a)",
                    6, cells,
                    "ON CONFLICT(village_id, person_id) DO UPDATE SET "
                    "first_c = min(first_c, excluded.first_c), "
                    "last_c = max(last_c, excluded.last_c), " GOCUA_WIDEN_APPROVED
                    // A row the widening leaves as it is stays unwritten: most of a pull's
                    // visits fall inside their persons' spans.
                    " WHERE excluded.first_c < first_c OR excluded.last_c > last_c "
                    "OR (excluded.first_a IS NOT NULL AND (first_a IS NULL "
                    "  OR excluded.first_a < first_a)) "
                    "OR (excluded.last_a IS NOT NULL AND (last_a IS NULL "
                    "  OR excluded.last_a > last_a))",
                    "person_span");
}

#undef GOCUA_WIDEN_APPROVED

Status GrowLatest(Database::Impl& d,
                  const std::unordered_map<std::string_view, LatestVisit>& candidates) {
  if (candidates.empty()) return Status::Ok();
  std::vector<std::string_view> households;  // in id order: the rows go in in key order
  households.reserve(candidates.size());
  for (const auto& [household_id, v] : candidates) households.push_back(household_id);
  std::sort(households.begin(), households.end());
  // Households whose latest visit stays (not earlier than the candidate), and those whose
  // latest visit the candidate replaces: its members rows may go.
  std::unordered_set<std::string_view> kept;
  std::vector<std::string_view> replaced;
  if (Status st = ForRowsOf(d,
                            "SELECT household_id, visited_on, visit_id FROM visit_latest "
                            "WHERE household_id IN (SELECT value FROM json_each(?1))",
                            IdArray(households), "visit_latest",
                            [&](Stmt& q) {
                              auto it = candidates.find(q.Bytes(0));
                              if (it == candidates.end()) return;  // cannot be
                              const LatestVisit& v = it->second;
                              if (std::make_pair(q.Bytes(1), q.Bytes(2)) >=
                                  std::make_pair(std::string_view(*v.visited_on),
                                                 std::string_view(*v.visit_id)))
                                kept.insert(it->first);
                              else
                                replaced.push_back(it->first);
                            });
      !st)
    return st;
  if (kept.size() == households.size()) return Status::Ok();
  // The members rows the replaced visits left (household → member, follow-up day): a pull's
  // new visit of a household usually has the same members, and often the same follow-up.
  std::unordered_map<std::string_view, std::vector<std::pair<std::string, std::string>>> had;
  if (!replaced.empty()) {
    std::sort(replaced.begin(), replaced.end());
    if (Status st = ForRowsOf(d,
                              "SELECT household_id, member_id, followup_on FROM "
                              "visit_latest_members WHERE household_id IN "
                              "(SELECT value FROM json_each(?1))",
                              IdArray(replaced), "visit_latest_members",
                              [&](Stmt& q) {
                                auto it = candidates.find(q.Bytes(0));
                                if (it == candidates.end()) return;  // cannot be
                                had[it->first].emplace_back(q.Text(1), q.Text(2));
                              });
        !st)
      return st;
  }
  std::vector<Cell> latest, members;
  for (std::string_view household_id : households) {
    if (kept.count(household_id)) continue;
    const LatestVisit& v = candidates.at(household_id);
    latest.insert(latest.end(), {household_id, *v.visit_id, *v.visited_on, *v.followup_on});
    std::vector<std::pair<std::string, std::string>>* old = nullptr;
    if (auto it = had.find(household_id); it != had.end()) old = &it->second;
    for (const std::string& m : *v.members) {
      if (old) {
        auto kept_row = std::find_if(old->begin(), old->end(),
                                     [&m](const auto& row) { return row.first == m; });
        if (kept_row != old->end()) {
          const bool same = kept_row->second == *v.followup_on;
          old->erase(kept_row);  // what is left of *old goes
          if (same) continue;
        }
      }
      members.insert(members.end(), {household_id, m, *v.followup_on});
    }
  }
  Status st;
  for (const auto& [household_id, gone] : had) {
    for (const auto& [member_id, followup_on] : gone) {
      auto q = d.Prepare(
          "DELETE FROM visit_latest_members WHERE household_id = ?1 AND member_id = ?2", &st);
      if (!q) return st;
      q->Bind(1, household_id).Bind(2, member_id);
      if (Status s = Done(d, *q, "visit_latest_members"); !s) return s;
    }
  }
  // The rows replaced in place: the same as deleting them and inserting the new ones.
  if (Status s = InsertRows(d,
                            "INSERT INTO visit_latest(household_id, visit_id, visited_on, "
                            "followup_on)",
                            4, latest,
                            "ON CONFLICT(household_id) DO UPDATE SET visit_id = excluded.visit_id, "
                            "visited_on = excluded.visited_on, followup_on = excluded.followup_on",
                            "visit_latest");
      !s)
    return s;
  return InsertRows(d, "INSERT INTO visit_latest_members(household_id, member_id, followup_on)", 3,
                    members,
                    "ON CONFLICT(household_id, member_id) DO UPDATE SET "
                    "followup_on = excluded.followup_on",
                    "visit_latest_members");
}

Status AddToDaySums(Database::Impl& d, const std::map<TopicDayKey, int64_t>& topics,
                    const std::map<MemberDayKey, int64_t>& members) {
  // A key that grows may be new: one upsert for them all. One that shrinks has its row (it
  // was counted before); rare in a pull (an edited visit), one UPDATE each.
  std::vector<Cell> grown;
  Status st;
  for (const auto& [key, delta] : topics) {
    if (delta > 0) {
      grown.insert(grown.end(), {key[0], key[1], key[2], key[3], delta});
    } else if (delta < 0) {
      auto q = d.Prepare(
          "UPDATE topic_day SET n = n + ?5 "
          "WHERE day = ?1 AND status = ?2 AND topic_id = ?3 AND result = ?4",
          &st);
      if (!q) return st;
      q->Bind(1, key[0]).Bind(2, key[1]).Bind(3, key[2]).Bind(4, key[3]).Bind(5, delta);
      if (Status s = Done(d, *q, "topic_day"); !s) return s;
    }
  }
  if (Status s = InsertRows(d, "INSERT INTO topic_day(day, status, topic_id, result, n)", 5,
                            grown, "ON CONFLICT(day, status, topic_id, result) "
                            "DO UPDATE SET n = n + excluded.n",
                            "topic_day");
      !s)
    return s;
  grown.clear();
  for (const auto& [key, delta] : members) {
    if (delta > 0) {
      grown.insert(grown.end(), {key[0], key[1], key[2], delta});
    } else if (delta < 0) {
      auto q = d.Prepare(
          "UPDATE member_day SET n = n + ?4 WHERE day = ?1 AND status = ?2 AND member_id = ?3",
          &st);
      if (!q) return st;
      q->Bind(1, key[0]).Bind(2, key[1]).Bind(3, key[2]).Bind(4, delta);
      if (Status s = Done(d, *q, "member_day"); !s) return s;
    }
  }
  return InsertRows(d, "INSERT INTO member_day(day, status, member_id, n)", 4, grown,
                    "ON CONFLICT(day, status, member_id) DO UPDATE SET n = n + excluded.n",
                    "member_day");
}

}  // namespace gocua
