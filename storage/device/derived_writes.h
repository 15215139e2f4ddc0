#pragma once
// Writes of the trigger-kept derived tables (storage/core/migrations.cpp, v3–v7) by key, leaving
// them as the triggers would, for BulkDerived (storage/device/derived_bulk.h): each function either
// recomputes a set of keys from the rows as they are now, or widens a set of keys' rows by the
// visits they gained, a few statements for the whole set (storage/device/derived_rows.h). The
// recomputations are the triggers' own statements over a set of keys;
// tests/storage/device/derived_bulk_test.cpp holds the two together.
// REQUIRES: inside a transaction, with the connection's triggers off (the tables written here
// have triggers of their own).
#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/device/derived_rows.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

// visit_latest and visit_latest_members of `households`: each one's latest visit not deleted
// (by day, then id), none for a deleted household.
Status RecomputeVisitLatest(Database::Impl& d, const std::set<std::string>& households);
// household_span of `households`: their counted visits (not deleted, not returned) if they
// are in the register (not deleted, in a village).
Status RecomputeHouseholdSpans(Database::Impl& d, const std::set<std::string>& households);
// person_span of `persons`, in every village.
Status RecomputePersonSpans(Database::Impl& d, const std::set<std::string>& persons);
// person_online of `persons`.
Status RecomputePersonOnline(Database::Impl& d, const std::set<std::string>& persons);
// Adds to *out the persons of every visit of `households` (visit_persons), and the persons
// living in `households` (persons.household_id).
Status PersonsOfVisitsOf(Database::Impl& d, const std::set<std::string>& households,
                         std::set<std::string>* out);
Status PersonsLivingIn(Database::Impl& d, const std::set<std::string>& households,
                       std::set<std::string>* out);

// A household as the spans and the latest visit read it now.
struct HouseholdNow {
  bool exists = false;
  bool deleted = false;
  std::optional<std::string> village;  // null: none
  bool InRegister() const { return exists && !deleted && village; }
};
// Adds to *out each of `ids` (sorted, distinct) as it is now (one statement for the set); the
// keys of *out are the views of `ids`.
Status ReadHouseholds(Database::Impl& d, const std::vector<std::string_view>& ids,
                      std::unordered_map<std::string_view, HouseholdNow>* out);

// What counted visits add to a span: first and last day, visits and sessions, and the same for
// the approved ones (none approved: no approved days, NULL in the table).
struct Widening {
  std::string first_c, last_c;
  std::optional<std::string> first_a, last_a;
  int64_t visits_c = 0, sessions_c = 0, visits_a = 0, sessions_a = 0;

  void Add(const std::string& day, bool approved, size_t sessions);
};
// Village, household or person; pointing into the caller's strings.
using SpanKey = std::pair<std::string_view, std::string_view>;
// Widenings by key, sorted by key, each key once.
using Widenings = std::vector<std::pair<SpanKey, Widening>>;

// Each span of (village, household) — the household in the register, in that village —
// widened by its widening, or made from it.
Status GrowHouseholdSpans(Database::Impl& d, const Widenings& spans);
// Each span of (village, person) widened by its widening, or made from it.
Status GrowPersonSpans(Database::Impl& d, const Widenings& spans);

// A visit that may become its household's latest (not deleted, its household not deleted;
// `members` as visit_members holds them). Points into the caller's data.
struct LatestVisit {
  const std::string* visit_id;
  const std::string* visited_on;
  const std::string* followup_on;
  const std::vector<std::string>* members;
};
// Each household's latest visit becomes its candidate if that is later than the one it has:
// by day, then id. Its visit_latest_members rows change only where they differ (a member gone,
// added, or a follow-up day moved), as the triggers of schema v16 do.
// `candidates` is keyed by household id (pointing into the caller's strings).
Status GrowLatest(Database::Impl& d,
                  const std::unordered_map<std::string_view, LatestVisit>& candidates);

// The daily sums moved by their deltas (0: unmoved): day, status, topic, result → Δn, and
// day, status, member → Δn. A key that shrinks must have its row. The keys point into the
// caller's strings.
using TopicDayKey = std::array<std::string_view, 4>;
using MemberDayKey = std::array<std::string_view, 3>;
Status AddToDaySums(Database::Impl& d, const std::map<TopicDayKey, int64_t>& topics,
                    const std::map<MemberDayKey, int64_t>& members);

// A row of visit_members or visit_persons as a batch knows it: the visit's rowid and the
// member's or person's id (pointing into the caller's strings).
struct VisitRef {
  int64_t visit;
  std::string_view ref;
};

// The visit_* rows of visits written by a batch, as RefreshDerived (record_store.cpp) writes
// them one visit at a time: the rows of the visits `cleared` (rowids) are deleted, then
// `members`, `persons` and `topics` (visit rowid, topic, result) are inserted. The tables are
// keyed by integers (migration v13: the visit's rowid, the person's or member's ref_keys, made
// here when new): the ids are turned into keys once each, in memory, and the rows go in in key
// order.
Status ReplaceVisitRows(Database::Impl& d, const std::vector<int64_t>& cleared,
                        const std::vector<VisitRef>& members, const std::vector<VisitRef>& persons,
                        const std::vector<Cell>& topics);

}  // namespace gocua
