#pragma once
// Writes of the trigger-kept derived tables (storage/migrations.cpp, v3–v7) by key, leaving
// them as the triggers would, for BulkDerived (storage/derived_bulk.h): each function either
// recomputes a set of keys from the rows as they are now, or widens one key's rows by visits
// it gained. The recomputations are the triggers' own statements over a set of keys;
// tests/storage/derived_bulk_test.cpp holds the two together.
// REQUIRES: inside a transaction, with the connection's triggers off (the tables written here
// have triggers of their own).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/sqlite_db.h"

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
Result<HouseholdNow> ReadHousehold(Database::Impl& d, const std::string& id);

// What counted visits add to a span: first and last day, visits and sessions, and the same for
// the approved ones (none approved: no approved days, NULL in the table).
struct Widening {
  std::string first_c, last_c;
  std::optional<std::string> first_a, last_a;
  int64_t visits_c = 0, sessions_c = 0, visits_a = 0, sessions_a = 0;

  void Add(const std::string& day, bool approved, size_t sessions);
};

// The span of `household_id` (in the register, in `village`) widened by `w`, or made from it.
Status GrowHouseholdSpan(Database::Impl& d, const std::string& village,
                         const std::string& household_id, const Widening& w);
// The span of (`village`, `person_id`) widened by `w`, or made from it.
Status GrowPersonSpan(Database::Impl& d, const std::string& village, const std::string& person_id,
                      const Widening& w);
// `household_id`'s latest visit becomes `visit_id` (not deleted, its household not deleted;
// `members` as visit_members holds them) if it is later than the one it has: by day, then id.
Status GrowLatest(Database::Impl& d, const std::string& household_id, const std::string& visit_id,
                  const std::string& visited_on, const std::string& followup_on,
                  const std::vector<std::string>& members);

// The daily sums moved by `delta` visits (≠ 0). A key that shrinks must have its row.
Status AddToTopicDay(Database::Impl& d, const std::string& day, const std::string& status,
                     const std::string& topic, const std::string& result, int64_t delta);
Status AddToMemberDay(Database::Impl& d, const std::string& day, const std::string& status,
                      const std::string& member, int64_t delta);

}  // namespace gocua
