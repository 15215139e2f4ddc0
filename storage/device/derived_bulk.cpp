#include "storage/device/derived_bulk.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "storage/device/derived_writes.h"

namespace gocua {
namespace {

// Whether writing `field` of a `type` record can move a trigger-kept table: the columns the
// triggers of storage/core/migrations.cpp fire on (UPDATE OF …), and for a visit also the columns
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
  if (d_.triggers_parked) {
    d_.triggers_parked = false;  // off since the last batch: no switch, nothing expires
  } else if (Status st = SetTriggers(d_, false); !st) {
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
  d_.triggers_parked = true;  // on again before the next write outside a batch (sqlite_db.h)
}

// The distinct strings of a json array, sorted (INSERT OR IGNORE: each once).
std::vector<std::string> DistinctStrings(const json& array) {
  std::vector<std::string> out;
  for (const auto& v : array)
    if (v.is_string()) out.push_back(v.get<std::string>());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

BulkDerived::VisitState BulkDerived::StateOf(const WrittenValues& values) {
  // Keep in step with RefreshDerived (record_store.cpp), which writes the visit_* rows.
  VisitState s;
  s.present = true;
  s.household_id = Text(values["household_id"]);
  s.visited_on = Text(values["visited_on"]);
  s.status = Text(values["status"]);
  s.followup_on = Text(values["followup_on"]);
  const json& deleted = values["deleted"];  // as RefreshDerived reads it (value("deleted", 0))
  s.deleted = !deleted.is_null() && deleted.get<int64_t>() != 0;
  s.members = DistinctStrings(values["members"]);
  s.persons = DistinctStrings(values["persons"]);
  // INSERT OR REPLACE: the last result of a topic. An object's keys are distinct and sorted.
  for (const auto& [topic, result] : values["topics"].items())
    if (result.is_string()) s.topics.emplace_back(topic, result.get<std::string>());
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
  it->second.before = StateOf(WrittenValues(row->values));
  it->second.rowid = row->rowid;
  return Status::Ok();
}

bool BulkDerived::ReadsValues(const RecordDef& def) const {
  return std::string_view(def.type) == "visit";
}

void BulkDerived::Written(const RecordDef& def, const std::string& id, int64_t rowid,
                          const WrittenValues& values) {
  if (std::string_view(def.type) != "visit") return;
  auto it = visits_.find(id);
  if (it == visits_.end()) return;
  it->second.after = StateOf(values);  // the last write is what stays
  it->second.rowid = rowid;
}

Status BulkDerived::Finish() {
  if (!begun_) return {ErrorCode::kInternal, "BulkDerived::Finish without Begin"};
  if (!running_) return Status::Ok();
  Status st = WriteVisitRows();  // first: Recompute reads visit_persons
  if (st) st = ApplyDaySums();
  if (st) st = Recompute();
  End();
  return st;
}

// RefreshDerived leaves a batch's visits to this: each visit whose rows may differ loses its
// old rows and gets those of its values now, all in a few statements, in the tables' key order
// (the visit's rowid first: a pull's new visits go in at the end of each table).
Status BulkDerived::WriteVisitRows() {
  std::vector<const VisitChange*> visits;
  visits.reserve(visits_.size());
  for (const auto& [id, change] : visits_) visits.push_back(&change);
  std::sort(visits.begin(), visits.end(), [](auto* a, auto* b) { return a->rowid < b->rowid; });
  std::vector<int64_t> cleared;
  std::vector<VisitRef> members, persons;
  std::vector<Cell> topics;
  for (const VisitChange* change : visits) {
    const VisitState &before = change->before, &after = change->after;
    const int64_t visit = change->rowid;
    const bool live = after.present && !after.deleted;
    if (before.present) {
      const bool same = before.deleted == after.deleted &&
                        (!live || (before.members == after.members &&
                                   before.persons == after.persons &&
                                   before.topics == after.topics));
      if (same) continue;  // e.g. only its day or status changed
      cleared.push_back(visit);
    }
    if (!live) continue;
    for (const std::string& m : after.members) members.push_back({visit, m});
    for (const std::string& p : after.persons) persons.push_back({visit, p});
    for (const auto& [topic, result] : after.topics)
      topics.insert(topics.end(), {visit, topic, result});  // a visit's topics are sorted
  }
  return ReplaceVisitRows(d_, cleared, members, persons, topics);
}

// The day sums hold, per key, the number of visits not deleted on that day and status with
// that topic result (member). The triggers keep that count exact row by row; here each key
// moves by the batch's net change.
Status BulkDerived::ApplyDaySums() {
  std::map<TopicDayKey, int64_t> topics;
  std::map<MemberDayKey, int64_t> members;
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
  return AddToDaySums(d_, topics, members);
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

namespace {

// Widenings summed by key as the visits come, hashed (by the entity: a key's village is its
// entity's), sorted by key at the end.
class SpanSums {
 public:
  void Add(SpanKey key, const std::string& day, bool approved, size_t sessions) {
    auto [it, fresh] = index_.try_emplace(key, rows_.size());
    if (fresh) rows_.emplace_back(key, Widening{});
    rows_[it->second].second.Add(day, approved, sessions);
  }
  Widenings Sorted() && {
    std::sort(rows_.begin(), rows_.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return std::move(rows_);
  }

 private:
  struct Hash {
    size_t operator()(const SpanKey& key) const {
      return std::hash<std::string_view>()(key.second);
    }
  };
  std::unordered_map<SpanKey, size_t, Hash> index_;
  Widenings rows_;
};

}  // namespace

// Each household not in `households_done` gains the written visits that now name it (none of its
// older visits was written, and its own row is as before or new); each person not in
// `persons_done` gains the written visits that now list them. Their rows widen by these.
Status BulkDerived::Grow(const std::set<std::string>& households_done,
                         const std::set<std::string>& persons_done) {
  std::vector<std::string_view> household_ids;
  for (const auto& [id, change] : visits_) {
    const VisitState& v = change.after;
    if (v.present && !v.deleted && !v.household_id.empty()) household_ids.push_back(v.household_id);
  }
  std::sort(household_ids.begin(), household_ids.end());
  household_ids.erase(std::unique(household_ids.begin(), household_ids.end()),
                      household_ids.end());
  std::unordered_map<std::string_view, HouseholdNow> households;
  if (Status st = ReadHouseholds(d_, household_ids, &households); !st) return st;
  std::unordered_map<std::string_view, LatestVisit> latest;
  SpanSums household_spans, person_spans;
  for (const auto& [id, change] : visits_) {
    const VisitState& v = change.after;
    if (!v.present || v.deleted || v.household_id.empty()) continue;
    const HouseholdNow& h = households.at(v.household_id);
    const bool grows = households_done.count(v.household_id) == 0;
    if (grows && !(h.exists && h.deleted)) {
      auto [it, first] = latest.try_emplace(v.household_id,
                                            LatestVisit{&id, &v.visited_on, &v.followup_on,
                                                        &v.members});
      if (!first && std::tie(v.visited_on, id) > std::tie(*it->second.visited_on,
                                                          *it->second.visit_id))
        it->second = LatestVisit{&id, &v.visited_on, &v.followup_on, &v.members};
    }
    if (v.status == "returned") continue;  // counted: not deleted, not returned
    if (!h.InRegister()) continue;
    const bool approved = v.status == "approved";
    if (grows) household_spans.Add({*h.village, v.household_id}, v.visited_on, approved,
                                   v.persons.size());
    for (const std::string& p : v.persons)
      if (persons_done.count(p) == 0) person_spans.Add({*h.village, p}, v.visited_on, approved, 0);
  }
  if (Status st = GrowLatest(d_, latest); !st) return st;
  if (Status st = GrowHouseholdSpans(d_, std::move(household_spans).Sorted()); !st) return st;
  return GrowPersonSpans(d_, std::move(person_spans).Sorted());
}

}  // namespace gocua
