#include "storage/derived_writes.h"

#include <nlohmann/json.hpp>

namespace gocua {
namespace {

using json = nlohmann::json;

// A JSON array of `ids`, bound as ?1 and read back with json_each: one statement for a set.
std::string IdArray(const std::set<std::string>& ids) {
  json a = json::array();
  for (const std::string& id : ids) a.push_back(id);
  return a.dump();
}

// Runs `sql` once with the id set bound as ?1.
Status RunFor(Database::Impl& d, const char* sql, const std::string& ids) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, ids);
  const int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("derived tables", rc);
}

// Adds to `out` the first column of every row of `sql`, run with the id set bound as ?1.
Status CollectFor(Database::Impl& d, const char* sql, const std::string& ids,
                  std::set<std::string>* out) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, ids);
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) out->insert(q->Text(0));
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("derived tables", rc);
}

#define GOCUA_IDS "(SELECT value FROM json_each(?1))"

// The recomputations below are the triggers' own (migrations.cpp: v4's visit_latest_* and
// person_online_*, v7's GOCUA_V7_HOUSEHOLD and GOCUA_V7_PERSONS) over a set of keys.
// tests/storage/derived_bulk_test.cpp holds the two together.
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
    "  sum((SELECT count(*) FROM visit_persons vp WHERE vp.visit_id = v.id)), "
    "  min(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  max(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  sum(v.status = 'approved'), "
    "  sum(CASE WHEN v.status = 'approved' "
    "      THEN (SELECT count(*) FROM visit_persons vp WHERE vp.visit_id = v.id) ELSE 0 END) "
    "FROM households h JOIN visits v ON v.household_id = h.id "
    "WHERE h.id IN " GOCUA_IDS
    " AND h.deleted = 0 AND h.village_id IS NOT NULL "
    "  AND v.deleted = 0 AND v.status <> 'returned' "
    "GROUP BY h.id",
};
constexpr const char* kPersonSpan[] = {
    "DELETE FROM person_span WHERE person_id IN " GOCUA_IDS,
    "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a) "
    "SELECT h.village_id, vp.person_id, min(v.visited_on), max(v.visited_on), "
    "  min(CASE WHEN v.status = 'approved' THEN v.visited_on END), "
    "  max(CASE WHEN v.status = 'approved' THEN v.visited_on END) "
    "FROM visit_persons vp JOIN visits v ON v.id = vp.visit_id "
    "  JOIN households h ON h.id = v.household_id "
    "WHERE vp.person_id IN " GOCUA_IDS
    " AND h.deleted = 0 AND h.village_id IS NOT NULL "
    "  AND v.deleted = 0 AND v.status <> 'returned' "
    "GROUP BY h.village_id, vp.person_id",
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
    "SELECT x.person_id FROM visits w JOIN visit_persons x ON x.visit_id = w.id "
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

void BindDay(Stmt& q, int i, const std::optional<std::string>& day) {
  if (day)
    q.Bind(i, *day);
  else
    q.BindNull(i);
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

Result<HouseholdNow> ReadHousehold(Database::Impl& d, const std::string& id) {
  Status st;
  auto q = d.Prepare("SELECT deleted, village_id FROM households WHERE id = ?1", &st);
  if (!q) return st;
  q->Bind(1, id);
  HouseholdNow h;
  const int rc = q->Step();
  if (rc == SQLITE_ROW) {
    h.exists = true;
    h.deleted = q->Int(0) != 0;
    if (!q->IsNull(1)) h.village = q->Text(1);
  } else if (rc != SQLITE_DONE) {
    return d.Error("household", rc);
  }
  return h;
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

// The span of `household_id` (in the register, in `village`) widened by `w`, or made from it.
Status GrowHouseholdSpan(Database::Impl& d, const std::string& village,
                         const std::string& household_id, const Widening& w) {
  Status st;
  {
    auto q = d.Prepare(
        "UPDATE household_span SET first_c = min(first_c, ?2), last_c = max(last_c, ?3), "
        "  visits_c = visits_c + ?4, sessions_c = sessions_c + ?5, "
        "  first_a = CASE WHEN ?6 IS NULL THEN first_a ELSE coalesce(min(first_a, ?6), ?6) END, "
        "  last_a = CASE WHEN ?7 IS NULL THEN last_a ELSE coalesce(max(last_a, ?7), ?7) END, "
        "  visits_a = visits_a + ?8, sessions_a = sessions_a + ?9 "
        "WHERE household_id = ?1",
        &st);
    if (!q) return st;
    q->Bind(1, household_id).Bind(2, w.first_c).Bind(3, w.last_c).Bind(4, w.visits_c);
    q->Bind(5, w.sessions_c).Bind(8, w.visits_a).Bind(9, w.sessions_a);
    BindDay(*q, 6, w.first_a);
    BindDay(*q, 7, w.last_a);
    if (Status s = Done(d, *q, "household_span"); !s) return s;
  }
  if (sqlite3_changes(d.db) > 0) return Status::Ok();
  auto q = d.Prepare(
      "INSERT INTO household_span(village_id, household_id, first_c, last_c, visits_c, "
      "  sessions_c, first_a, last_a, visits_a, sessions_a) "
      "VALUES(?10, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      &st);
  if (!q) return st;
  q->Bind(1, household_id).Bind(2, w.first_c).Bind(3, w.last_c).Bind(4, w.visits_c);
  q->Bind(5, w.sessions_c).Bind(8, w.visits_a).Bind(9, w.sessions_a).Bind(10, village);
  BindDay(*q, 6, w.first_a);
  BindDay(*q, 7, w.last_a);
  return Done(d, *q, "household_span");
}

// The span of (`village`, `person_id`) widened by `w`, or made from it.
Status GrowPersonSpan(Database::Impl& d, const std::string& village, const std::string& person_id,
                      const Widening& w) {
  Status st;
  {
    auto q = d.Prepare(
        "UPDATE person_span SET first_c = min(first_c, ?3), last_c = max(last_c, ?4), "
        "  first_a = CASE WHEN ?5 IS NULL THEN first_a ELSE coalesce(min(first_a, ?5), ?5) END, "
        "  last_a = CASE WHEN ?6 IS NULL THEN last_a ELSE coalesce(max(last_a, ?6), ?6) END "
        "WHERE village_id = ?1 AND person_id = ?2",
        &st);
    if (!q) return st;
    q->Bind(1, village).Bind(2, person_id).Bind(3, w.first_c).Bind(4, w.last_c);
    BindDay(*q, 5, w.first_a);
    BindDay(*q, 6, w.last_a);
    if (Status s = Done(d, *q, "person_span"); !s) return s;
  }
  if (sqlite3_changes(d.db) > 0) return Status::Ok();
  auto q = d.Prepare(
      "INSERT INTO person_span(village_id, person_id, first_c, last_c, first_a, last_a) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
      &st);
  if (!q) return st;
  q->Bind(1, village).Bind(2, person_id).Bind(3, w.first_c).Bind(4, w.last_c);
  BindDay(*q, 5, w.first_a);
  BindDay(*q, 6, w.last_a);
  return Done(d, *q, "person_span");
}

// `household_id`'s latest visit becomes `visit` (not deleted, household not deleted) if it is
// later than the one it has: by day, then by id.
Status GrowLatest(Database::Impl& d, const std::string& household_id, const std::string& visit_id,
                  const std::string& visited_on, const std::string& followup_on,
                  const std::vector<std::string>& members) {
  Status st;
  {
    auto q =
        d.Prepare("SELECT visited_on, visit_id FROM visit_latest WHERE household_id = ?1", &st);
    if (!q) return st;
    q->Bind(1, household_id);
    const int rc = q->Step();
    if (rc == SQLITE_ROW &&
        std::make_pair(q->Text(0), q->Text(1)) >= std::make_pair(visited_on, visit_id))
      return Status::Ok();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("visit_latest", rc);
  }
  for (const char* sql : {"DELETE FROM visit_latest_members WHERE household_id = ?1",
                          "DELETE FROM visit_latest WHERE household_id = ?1"}) {
    auto q = d.Prepare(sql, &st);
    if (!q) return st;
    q->Bind(1, household_id);
    if (Status s = Done(d, *q, "visit_latest"); !s) return s;
  }
  {
    auto q = d.Prepare(
        "INSERT INTO visit_latest(household_id, visit_id, visited_on, followup_on) "
        "VALUES(?1, ?2, ?3, ?4)",
        &st);
    if (!q) return st;
    q->Bind(1, household_id).Bind(2, visit_id).Bind(3, visited_on).Bind(4, followup_on);
    if (Status s = Done(d, *q, "visit_latest"); !s) return s;
  }
  for (const std::string& m : members) {
    auto q = d.Prepare(
        "INSERT INTO visit_latest_members(household_id, member_id, followup_on) "
        "VALUES(?1, ?2, ?3)",
        &st);
    if (!q) return st;
    q->Bind(1, household_id).Bind(2, m).Bind(3, followup_on);
    if (Status s = Done(d, *q, "visit_latest_members"); !s) return s;
  }
  return Status::Ok();
}

Status AddToTopicDay(Database::Impl& d, const std::string& day, const std::string& status,
                     const std::string& topic, const std::string& result, int64_t delta) {
  Status st;
  auto q = d.Prepare(delta > 0 ? "INSERT INTO topic_day(day, status, topic_id, result, n) "
                                 "VALUES(?1, ?2, ?3, ?4, ?5) "
                                 "ON CONFLICT(day, status, topic_id, result) "
                                 "DO UPDATE SET n = n + excluded.n"
                               : "UPDATE topic_day SET n = n + ?5 "
                                 "WHERE day = ?1 AND status = ?2 AND topic_id = ?3 AND result = ?4",
                     &st);
  if (!q) return st;
  q->Bind(1, day).Bind(2, status).Bind(3, topic).Bind(4, result).Bind(5, delta);
  return Done(d, *q, "topic_day");
}

Status AddToMemberDay(Database::Impl& d, const std::string& day, const std::string& status,
                      const std::string& member, int64_t delta) {
  Status st;
  auto q =
      d.Prepare(delta > 0 ? "INSERT INTO member_day(day, status, member_id, n) "
                            "VALUES(?1, ?2, ?3, ?4) "
                            "ON CONFLICT(day, status, member_id) DO UPDATE SET n = n + excluded.n"
                          : "UPDATE member_day SET n = n + ?4 "
                            "WHERE day = ?1 AND status = ?2 AND member_id = ?3",
                &st);
  if (!q) return st;
  q->Bind(1, day).Bind(2, status).Bind(3, member).Bind(4, delta);
  return Done(d, *q, "member_day");
}

}  // namespace gocua
