#pragma once
// Household visits (lượt hướng dẫn tại hộ) and leaders' reviews of them.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

struct VisitQuery {
  std::string household_id;  // "" = any
  std::string member_id;     // "" = any; else visits this member took part in
  std::string status;        // "" = any
  std::string from, to;      // visited_on range, inclusive, "" = open
  int limit = 100;
  int offset = 0;
};

class Visits {
 public:
  explicit Visits(Database& db) : db_(db) {}

  // Records a new visit (v.id empty) or edits one. Checks the household, members, persons
  // (of that household), topics and results, dates (not in the future; follow-up not before
  // the visit) and minutes. In the same transaction it raises the skills of every person guided:
  // a topic "done" makes its skill "proficient", any other result but "no_conditions" makes it
  // at least "guided". An edit of a returned visit sends it back to "pending" (resubmission).
  Result<Visit> Save(const Visit& v);
  Result<Visit> Get(const std::string& id);
  // Newest first.
  Result<std::vector<Visit>> List(const VisitQuery& q);
  Status Remove(const std::string& id);

 private:
  Database& db_;
};

class Reviews {
 public:
  explicit Reviews(Database& db) : db_(db) {}

  // A leader approves or returns a visit. A returned visit needs a comment. Writes the review
  // record and the visit's status in one transaction.
  Result<Review> Decide(const std::string& visit_id, const std::string& leader_id,
                        const std::string& decision, const std::string& comment);
  // A leader reopens an approved visit: it goes back to "pending" (into the review queue, and
  // editable again). Written like a decision — a review record with decision "pending" and the
  // visit's status, one transaction, the leader as author of both ops — so it syncs like an
  // approval and the hub checks it the same way. Earlier decisions stay in the history.
  // kConflict when the visit is not approved; kInvalidInput when `leader_id` is not a leader.
  Result<Review> Reopen(const std::string& visit_id, const std::string& leader_id,
                        const std::string& comment = "");
  // Decisions on a visit, oldest first.
  Result<std::vector<Review>> OfVisit(const std::string& visit_id);

 private:
  // The review record and the visit's new status, as `leader_id`, in one transaction.
  Result<Review> Write(const std::string& visit_id, const std::string& leader_id,
                       const std::string& decision, const std::string& comment);
  Database& db_;
};

}  // namespace gocua
