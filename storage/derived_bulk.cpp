#include "storage/derived_bulk.h"

#include <array>
#include <map>

namespace gocua {
namespace {

// Whether writing `field` of a `type` record can move a trigger-kept table: the columns the
// triggers of storage/migrations.cpp fire on (UPDATE OF …), and for a visit also the columns
// RefreshDerived turns into visit_members / visit_persons / visit_topics rows.
bool Watches(std::string_view type, const std::string& field) {
  if (field == "deleted") return true;
  if (type == "visit")
    return field == "household_id" || field == "visited_on" || field == "followup_on" ||
           field == "status" || field == "members" || field == "persons" || field == "topics";
  if (type == "household") return field == "village_id";
  if (type == "person")
    return field == "household_id" || field == "birth_year" || field.rfind("skill_", 0) == 0;
  return false;
}

const json& Field(const json& values, const char* name) {
  static const json kNull;
  auto it = values.find(name);
  return it == values.end() ? kNull : *it;
}

std::string Text(const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

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

Status SetTriggers(Database::Impl& d, bool on) {
  int now = -1;
  const int rc = sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, &now);
  if (rc != SQLITE_OK || now != (on ? 1 : 0))
    return {ErrorCode::kInternal, std::string("cannot turn triggers ") + (on ? "on" : "off")};
  return Status::Ok();
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

}  // namespace

BulkDerived::~BulkDerived() { End(); }

Status BulkDerived::Begin() {
  if (!d_.in_tx) return {ErrorCode::kInternal, "BulkDerived outside a transaction"};
  if (begun_ || d_.bulk) return {ErrorCode::kInternal, "BulkDerived inside another batch"};
  if (Status st = SetTriggers(d_, false); !st) {
    SetTriggers(d_, true);
    return st;
  }
  begun_ = true;
  d_.bulk = this;
  return Status::Ok();
}

void BulkDerived::End() {
  if (!begun_ || ended_) return;
  ended_ = true;
  d_.bulk = nullptr;
  SetTriggers(d_, true);
}

BulkDerived::VisitState BulkDerived::StateOf(const json& values) {
  // Keep in step with RefreshDerived (record_store.cpp), which writes the visit_* rows.
  VisitState s;
  s.present = true;
  s.household_id = Text(Field(values, "household_id"));
  s.visited_on = Text(Field(values, "visited_on"));
  s.status = Text(Field(values, "status"));
  s.deleted = values.value("deleted", 0) != 0;  // as RefreshDerived reads it
  std::set<std::string> members, persons;       // INSERT OR IGNORE: each once
  for (const auto& m : Field(values, "members"))
    if (m.is_string()) members.insert(m.get<std::string>());
  for (const auto& p : Field(values, "persons"))
    if (p.is_string()) persons.insert(p.get<std::string>());
  std::map<std::string, std::string> topics;  // INSERT OR REPLACE: the last result of a topic
  for (const auto& [topic, result] : Field(values, "topics").items())
    if (result.is_string()) topics[topic] = result.get<std::string>();
  s.members.assign(members.begin(), members.end());
  s.persons.assign(persons.begin(), persons.end());
  s.topics.assign(topics.begin(), topics.end());
  return s;
}

Status BulkDerived::Writing(const RecordDef& def, const std::string& id, bool exists,
                            const std::set<std::string>* fields) {
  const std::string_view type = def.type;
  if (type != "visit" && type != "household" && type != "person") return Status::Ok();
  if (exists && fields) {
    bool watched = false;
    for (const std::string& f : *fields) watched = watched || Watches(type, f);
    if (!watched) return Status::Ok();
  }
  if (type == "household") {
    households_.try_emplace(id, exists);
    return Status::Ok();
  }
  if (type == "person") {
    persons_.insert(id);
    return Status::Ok();
  }
  auto [it, first] = visits_.try_emplace(id);
  if (!first || !exists) return Status::Ok();
  auto row = ReadRow(d_, def, id);
  if (!row) return row.error();
  it->second.before = StateOf(row->values);
  return Status::Ok();
}

void BulkDerived::Written(const RecordDef& def, const std::string& id, const json& values) {
  if (std::string_view(def.type) != "visit") return;
  auto it = visits_.find(id);
  if (it != visits_.end()) it->second.after = StateOf(values);  // the last write is what stays
}

Status BulkDerived::Finish() {
  if (!begun_ || ended_) return {ErrorCode::kInternal, "BulkDerived::Finish without Begin"};
  Status st = ApplyDaySums();
  if (st) st = Recompute();
  End();
  return st;
}

// The day sums hold, per key, the number of visits not deleted on that day and status with
// that topic result (member). The triggers keep that count exact row by row; here each key
// moves by the batch's net change, one statement per key that moved.
Status BulkDerived::ApplyDaySums() {
  std::map<std::array<std::string, 4>, int64_t> topics;   // day, status, topic, result → Δn
  std::map<std::array<std::string, 3>, int64_t> members;  // day, status, member → Δn
  auto count = [&](const VisitState& s, int sign) {
    if (!s.present || s.deleted) return;
    for (const auto& [topic, result] : s.topics)
      topics[{s.visited_on, s.status, topic, result}] += sign;
    for (const std::string& m : s.members) members[{s.visited_on, s.status, m}] += sign;
  };
  for (const auto& [id, change] : visits_) {
    count(change.before, -1);
    count(change.after, +1);
  }
  // A key that grows may be new; one that shrinks was counted before, so its row exists.
  Status st;
  for (const auto& [key, delta] : topics) {
    if (delta == 0) continue;
    auto q = d_.Prepare(
        delta > 0 ? "INSERT INTO topic_day(day, status, topic_id, result, n) "
                    "VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(day, status, topic_id, result) "
                    "DO UPDATE SET n = n + excluded.n"
                  : "UPDATE topic_day SET n = n + ?5 "
                    "WHERE day = ?1 AND status = ?2 AND topic_id = ?3 AND result = ?4",
        &st);
    if (!q) return st;
    q->Bind(1, key[0]).Bind(2, key[1]).Bind(3, key[2]).Bind(4, key[3]).Bind(5, delta);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d_.Error("topic_day", rc);
  }
  for (const auto& [key, delta] : members) {
    if (delta == 0) continue;
    auto q = d_.Prepare(
        delta > 0 ? "INSERT INTO member_day(day, status, member_id, n) VALUES(?1, ?2, ?3, ?4) "
                    "ON CONFLICT(day, status, member_id) DO UPDATE SET n = n + excluded.n"
                  : "UPDATE member_day SET n = n + ?4 "
                    "WHERE day = ?1 AND status = ?2 AND member_id = ?3",
        &st);
    if (!q) return st;
    q->Bind(1, key[0]).Bind(2, key[1]).Bind(3, key[2]).Bind(4, delta);
    if (int rc = q->Step(); rc != SQLITE_DONE) return d_.Error("member_day", rc);
  }
  return Status::Ok();
}

// The other tables are functions of the current rows; each is recomputed for the keys whose
// rows the batch may have changed.
Status BulkDerived::Recompute() {
  // Households whose own row changed (village, tombstone) and that existed before: a new one
  // has no visits or persons but the batch's own (see the header).
  std::set<std::string> changed_households;
  for (const auto& [id, existed] : households_)
    if (existed) changed_households.insert(id);
  std::set<std::string> households = changed_households;  // latest visit, household span
  std::set<std::string> span_persons;                     // person span
  for (const auto& [id, change] : visits_) {
    for (const VisitState* s : {&change.before, &change.after}) {
      if (!s->household_id.empty()) households.insert(s->household_id);
      span_persons.insert(s->persons.begin(), s->persons.end());
    }
  }
  std::set<std::string> online(persons_.begin(), persons_.end());  // person_online
  if (!changed_households.empty()) {
    const std::string array = IdArray(changed_households);
    if (Status st = CollectFor(d_, kVisitPersonsOf, array, &span_persons); !st) return st;
    if (Status st = CollectFor(d_, kPersonsOf, array, &online); !st) return st;
  }
  if (Status st = RunAll(d_, kLatest, households); !st) return st;
  if (Status st = RunAll(d_, kHouseholdSpan, households); !st) return st;
  if (Status st = RunAll(d_, kPersonSpan, span_persons); !st) return st;
  return RunAll(d_, kPersonOnline, online);
}

}  // namespace gocua
