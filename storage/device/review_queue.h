#pragma once
// The leader's review queue and a member's returned visits, over Visits and Reviews
// (storage/device/visits.h). A decision is a review record plus the visit's status, written in one
// transaction by Reviews::Decide; both sync like any record, so after the next sync the member
// sees the returned visit with the comment. Editing a returned visit (Visits::Save) sends it
// back to "pending", into the queue again.
//
// Threading: like every storage call, one thread per Database.
#include <cstdint>
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

struct ReviewQueueQuery {
  std::string status = kStatusPending;  // "pending" | "returned" | "approved" | "" = any
  std::string village_id;               // "" = any
  std::string member_id;                // "" = any; else visits the member took part in
  std::string topic_id;                 // "" = any; else visits that covered the topic
  std::string from, to;                 // visit dates, inclusive; "" = open
  int limit = 50;                       // 1..1000
  int offset = 0;
};

// A decision with the leader's name, for the history shown beside a visit.
struct ReviewEntry {
  Review review;
  std::string leader_name;
};

struct ReviewQueueItem {
  Visit visit;
  std::string village_id, village_name, head_name, address;
  std::vector<std::string> member_names;  // in visit.members order
  int decisions = 0;                      // reviews so far (a resubmitted visit has some)
  bool has_last_review = false;
  ReviewEntry last_review;  // the latest decision: for a returned visit, the comment to fix
};

struct ReviewQueuePage {
  std::vector<ReviewQueueItem> items;  // newest visit date first, then newest id
  int64_t total = 0;                   // matching the filters, over all pages
};

// What happened to one visit of a batch decision.
struct BatchItemResult {
  std::string visit_id;
  Status status;  // ok, or why this visit was not decided
};

class ReviewQueue {
 public:
  explicit ReviewQueue(Database& db) : db_(db) {}

  // Visits matching `q`, paged. kInvalidInput for bad dates or limits.
  Result<ReviewQueuePage> List(const ReviewQueueQuery& q);
  // The visits `member_id` took part in that a leader returned and nobody has fixed yet,
  // each with the leader's comment (last_review). The member's "to fix" list.
  Result<ReviewQueuePage> ReturnedTo(const std::string& member_id, int limit = 50, int offset = 0);
  // Decides several visits the same way (approve several at once; a return needs `comment`).
  // One transaction per visit, so one that cannot be decided (deleted, no longer pending
  // because someone else decided or the member is editing it) does not hold up the others:
  // each visit's outcome is in the result, in the order given. Only pending visits are
  // decided; the rest get kConflict. Fails as a whole only if `leader_id` is not a leader.
  Result<std::vector<BatchItemResult>> DecideMany(const std::vector<std::string>& visit_ids,
                                                  const std::string& leader_id,
                                                  const std::string& decision,
                                                  const std::string& comment = "");
  // Every decision on the visit, oldest first, with the leaders' names.
  Result<std::vector<ReviewEntry>> History(const std::string& visit_id);

 private:
  Result<ReviewQueueItem> Item(const std::string& visit_id);
  Database& db_;
};

}  // namespace gocua
