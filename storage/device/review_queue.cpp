#include "storage/device/review_queue.h"

#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/places.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/visits.h"

namespace gocua {
namespace {

// The filters of ReviewQueueQuery: ?1 status, ?2 village, ?3 member, ?4 topic, ?5..?6 dates.
constexpr const char* kMatching = R"SQL(
  FROM visits v JOIN households h ON h.id = v.household_id
  WHERE v.deleted = 0 AND (?1 = '' OR v.status = ?1) AND (?2 = '' OR h.village_id = ?2)
    AND (?3 = '' OR EXISTS (SELECT 1 FROM visit_members m WHERE m.visit = v.rowid
                            AND m.member = (SELECT k FROM ref_keys WHERE id = ?3)))
    AND (?4 = '' OR EXISTS (SELECT 1 FROM visit_topics t WHERE t.visit = v.rowid
                            AND t.topic_id = ?4))
    AND v.visited_on BETWEEN ?5 AND ?6
)SQL";

bool IsDay(const std::string& s) {
  static const FieldDef kDate{"date", FieldKind::kDate, 0};
  static const RecordDef kDef{"date", "", {kDate}};
  return CheckValue(kDef, kDate, s).ok();
}

void BindFilters(Stmt& q, const ReviewQueueQuery& rq) {
  q.Bind(1, rq.status).Bind(2, rq.village_id).Bind(3, rq.member_id).Bind(4, rq.topic_id);
  q.Bind(5, rq.from.empty() ? "0000-00-00" : rq.from);
  q.Bind(6, rq.to.empty() ? "9999-12-31" : rq.to);
}

}  // namespace

Result<ReviewQueuePage> ReviewQueue::List(const ReviewQueueQuery& rq) {
  if (rq.limit < 1 || rq.limit > 1000 || rq.offset < 0)
    return InvalidInput("Số dòng mỗi trang phải từ 1 đến 1000 — limit must be 1..1000");
  if (!IsDay(rq.from) || !IsDay(rq.to))
    return InvalidInput("Ngày không hợp lệ, cần dạng YYYY-MM-DD — invalid date");
  Database::Impl& d = db_.impl();
  ReviewQueuePage page;
  std::vector<std::string> ids;
  Status st;
  {
    auto q = d.Prepare(std::string("SELECT v.id") + kMatching +
                           " ORDER BY v.visited_on DESC, v.id DESC LIMIT ?7 OFFSET ?8",
                       &st);
    if (!q) return st;
    BindFilters(*q, rq);
    q->Bind(7, rq.limit).Bind(8, rq.offset);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
    if (rc != SQLITE_DONE) return d.Error("review queue", rc);
  }
  {
    auto q = d.Prepare(std::string("SELECT count(*)") + kMatching, &st);
    if (!q) return st;
    BindFilters(*q, rq);
    if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("review queue", rc);
    page.total = q->Int(0);
  }
  for (const std::string& id : ids) {
    auto item = Item(id);
    if (!item) return item.error();
    page.items.push_back(std::move(*item));
  }
  return page;
}

Result<ReviewQueuePage> ReviewQueue::ReturnedTo(const std::string& member_id, int limit,
                                                int offset) {
  if (member_id.empty()) return InvalidInput("Cần chọn thành viên — member_id is required");
  ReviewQueueQuery q;
  q.status = kStatusReturned;
  q.member_id = member_id;
  q.limit = limit;
  q.offset = offset;
  return List(q);
}

Result<std::vector<BatchItemResult>> ReviewQueue::DecideMany(
    const std::vector<std::string>& visit_ids, const std::string& leader_id,
    const std::string& decision, const std::string& comment) {
  auto leader = Members(db_).Get(leader_id);
  if (!leader) return leader.error();
  if (leader->role != Role::kLeader)
    return InvalidInput(leader->name + " không phải tổ trưởng — only a leader reviews");
  std::vector<BatchItemResult> out;
  Visits visits(db_);
  Reviews reviews(db_);
  for (const std::string& id : visit_ids) {
    BatchItemResult r{id, Status::Ok()};
    auto v = visits.Get(id);
    if (!v) {
      r.status = v.error();
    } else if (v->status != kStatusPending) {
      r.status = {ErrorCode::kConflict, "Lượt thăm ngày " + v->visited_on +
                                            " không còn chờ duyệt — visit is no longer pending"};
    } else if (auto done = reviews.Decide(id, leader_id, decision, comment); !done) {
      r.status = done.error();
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<ReviewEntry>> ReviewQueue::History(const std::string& visit_id) {
  auto reviews = Reviews(db_).OfVisit(visit_id);
  if (!reviews) return reviews.error();
  std::vector<ReviewEntry> out;
  for (Review& r : *reviews) {
    auto leader = Members(db_).Get(r.leader_id);
    out.push_back({std::move(r), leader ? leader->name : std::string()});
  }
  return out;
}

Result<ReviewQueueItem> ReviewQueue::Item(const std::string& visit_id) {
  ReviewQueueItem item;
  auto v = Visits(db_).Get(visit_id);
  if (!v) return v.error();
  item.visit = std::move(*v);
  auto h = Households(db_).Get(item.visit.household_id);
  if (h) {
    item.head_name = h->head_name;
    item.address = h->address;
    item.village_id = h->village_id;
    if (auto village = Places(db_).FindVillage(h->village_id)) item.village_name = village->name;
  }
  for (const std::string& m : item.visit.members) {
    auto member = Members(db_).Get(m);
    item.member_names.push_back(member ? member->name : std::string());
  }
  auto history = History(visit_id);
  if (!history) return history.error();
  item.decisions = static_cast<int>(history->size());
  if (!history->empty()) {
    item.has_last_review = true;
    item.last_review = history->back();
  }
  return item;
}

}  // namespace gocua
