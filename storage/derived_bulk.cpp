#include "storage/derived_bulk.h"

#include <array>
#include <map>
#include <tuple>

#include "storage/derived_writes.h"

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

Status SetTriggers(Database::Impl& d, bool on) {
  int now = -1;
  const int rc = sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, on ? 1 : 0, &now);
  if (rc != SQLITE_OK || now != (on ? 1 : 0))
    return {ErrorCode::kInternal, std::string("cannot turn triggers ") + (on ? "on" : "off")};
  return Status::Ok();
}

}  // namespace

BulkDerived::~BulkDerived() { End(); }

Status BulkDerived::Begin() {
  if (!d_.in_tx) return {ErrorCode::kInternal, "BulkDerived outside a transaction"};
  if (begun_ || d_.bulk) return {ErrorCode::kInternal, "BulkDerived inside another batch"};
  begun_ = true;
  if (!d_.derived) return Status::Ok();  // a hub's connection: no derived data, triggers off
  if (Status st = SetTriggers(d_, false); !st) {
    SetTriggers(d_, true);
    return st;
  }
  running_ = true;
  d_.bulk = this;
  return Status::Ok();
}

void BulkDerived::End() {
  if (!running_) return;
  running_ = false;
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
  s.followup_on = Text(Field(values, "followup_on"));
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
  if (!begun_) return {ErrorCode::kInternal, "BulkDerived::Finish without Begin"};
  if (!running_) return Status::Ok();
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
  for (const auto& [key, delta] : topics)
    if (delta != 0)
      if (Status st = AddToTopicDay(d_, key[0], key[1], key[2], key[3], delta); !st) return st;
  for (const auto& [key, delta] : members)
    if (delta != 0)
      if (Status st = AddToMemberDay(d_, key[0], key[1], key[2], delta); !st) return st;
  return Status::Ok();
}

// The other tables are functions of the current rows. A household or a person whose rows the
// batch may have changed or taken away is recomputed; one that only gained visits (the hot path
// of a pull: new visits of households already there) is widened in place, as the triggers do.
Status BulkDerived::Recompute() {
  // Households whose own row changed (village, tombstone) and that existed before: a new one
  // has no visits or persons but the batch's own (see the header).
  std::set<std::string> changed_households;
  for (const auto& [id, existed] : households_)
    if (existed) changed_households.insert(id);
  std::set<std::string> households = changed_households;  // latest visit and span recomputed
  std::set<std::string> span_persons;                     // person span recomputed
  for (const auto& [id, change] : visits_) {
    const VisitState& before = change.before;
    if (!before.present) continue;
    if (!before.household_id.empty()) households.insert(before.household_id);
    span_persons.insert(before.persons.begin(), before.persons.end());
  }
  std::set<std::string> online(persons_.begin(), persons_.end());  // person_online
  if (Status st = PersonsOfVisitsOf(d_, changed_households, &span_persons); !st) return st;
  if (Status st = PersonsLivingIn(d_, changed_households, &online); !st) return st;
  if (Status st = RecomputeVisitLatest(d_, households); !st) return st;
  if (Status st = RecomputeHouseholdSpans(d_, households); !st) return st;
  if (Status st = RecomputePersonSpans(d_, span_persons); !st) return st;
  if (Status st = RecomputePersonOnline(d_, online); !st) return st;
  return Grow(households, span_persons);
}

// Each household not in `households_done` gains the written visits that now name it (none of its
// older visits was written, and its own row is as before or new); each person not in
// `persons_done` gains the written visits that now list them. Their rows widen by these.
Status BulkDerived::Grow(const std::set<std::string>& households_done,
                         const std::set<std::string>& persons_done) {
  std::map<std::string, HouseholdNow> read;
  auto household = [&](const std::string& id) -> Result<const HouseholdNow*> {
    auto it = read.find(id);
    if (it == read.end()) {
      auto h = ReadHousehold(d_, id);
      if (!h) return h.error();
      it = read.emplace(id, std::move(*h)).first;
    }
    return &it->second;
  };
  std::map<std::string, std::pair<const std::string*, const VisitState*>> latest;
  std::map<std::string, Widening> household_spans;
  std::map<std::pair<std::string, std::string>, Widening> person_spans;  // village, person
  for (const auto& [id, change] : visits_) {
    const VisitState& v = change.after;
    if (!v.present || v.deleted || v.household_id.empty()) continue;
    const bool grows = households_done.count(v.household_id) == 0;
    if (grows) {
      auto& best = latest[v.household_id];
      if (!best.first ||
          std::tie(v.visited_on, id) > std::tie(best.second->visited_on, *best.first))
        best = {&id, &v};
    }
    if (v.status == "returned") continue;  // counted: not deleted, not returned
    auto h = household(v.household_id);
    if (!h) return h.error();
    if (!(*h)->InRegister()) continue;
    const bool approved = v.status == "approved";
    if (grows) household_spans[v.household_id].Add(v.visited_on, approved, v.persons.size());
    for (const std::string& p : v.persons)
      if (persons_done.count(p) == 0)
        person_spans[{*(*h)->village, p}].Add(v.visited_on, approved, 0);
  }
  for (const auto& [household_id, best] : latest) {
    auto h = household(household_id);
    if (!h) return h.error();
    if ((*h)->exists && (*h)->deleted) continue;
    const VisitState& v = *best.second;
    if (Status st =
            GrowLatest(d_, household_id, *best.first, v.visited_on, v.followup_on, v.members);
        !st)
      return st;
  }
  for (const auto& [household_id, w] : household_spans) {
    auto h = household(household_id);
    if (!h) return h.error();
    if (Status st = GrowHouseholdSpan(d_, *(*h)->village, household_id, w); !st) return st;
  }
  for (const auto& [key, w] : person_spans)
    if (Status st = GrowPersonSpan(d_, key.first, key.second, w); !st) return st;
  return Status::Ok();
}

}  // namespace gocua
