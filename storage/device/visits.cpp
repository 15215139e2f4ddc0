#include "storage/device/visits.h"

#include <algorithm>

#include "platform/clock.h"
#include "storage/core/record_store.h"
#include "storage/core/visit_values.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/topics.h"

namespace gocua {
namespace {

const RecordDef& Def() { return *FindRecordDef("visit"); }

bool IsResult(const std::string& r) {
  for (const char* k : kTopicResults)
    if (r == k) return true;
  return false;
}

int Rank(const std::string& level) {
  return level == kSkillProficient ? 2 : level == kSkillGuided ? 1 : 0;
}

// Skill levels of `person` after the visit's topics; only raised, never lowered.
json RaisedSkills(const Person& person, const std::map<std::string, std::string>& results,
                  const std::vector<Topic>& catalog) {
  json changes = json::object();
  for (const auto& [topic_id, result] : results) {
    auto t = std::find_if(catalog.begin(), catalog.end(),
                          [&id = topic_id](const Topic& c) { return c.id == id; });
    if (t == catalog.end() || t->skill.empty() || result == "no_conditions") continue;
    const std::string target = result == "done" ? kSkillProficient : kSkillGuided;
    const std::string field = "skill_" + t->skill;
    std::string current = person.skills.count(t->skill) ? person.skills.at(t->skill) : kSkillNone;
    if (changes.contains(field)) current = changes[field];
    if (Rank(target) > Rank(current)) changes[field] = target;
  }
  return changes;
}

}  // namespace

Result<Visit> Visits::Save(const Visit& in) {
  Visit v = in;
  const bool is_new = v.id.empty();
  std::string prior_status;
  if (!is_new) {
    auto current = Get(v.id);
    if (!current) return current.error();
    prior_status = current->status;
  }
  if (auto h = Households(db_).Get(v.household_id); !h) return h.error();
  // Dates: the visit cannot be in the future (one day of slack for clocks and time zones).
  const std::string today = LocalDate(db_.clock().NowMs());
  const std::string tomorrow = LocalDate(db_.clock().NowMs() + 86400000);
  auto date_ok = CheckValue(Def(), *Def().Field("visited_on"), v.visited_on);
  if (!date_ok || v.visited_on.empty())
    return InvalidInput("Ngày thăm không hợp lệ, cần dạng YYYY-MM-DD — visited_on must be a date");
  if (v.visited_on > tomorrow)
    return InvalidInput("Ngày thăm " + v.visited_on + " ở tương lai — visited_on is in the future");
  if (!CheckValue(Def(), *Def().Field("followup_on"), v.followup_on))
    return InvalidInput("Ngày hẹn quay lại không hợp lệ — followup_on must be YYYY-MM-DD");
  if (!v.followup_on.empty() && v.followup_on < v.visited_on)
    return InvalidInput("Ngày hẹn quay lại phải sau ngày thăm — followup_on before visited_on");
  if (v.minutes < 1 || v.minutes > 600)
    return InvalidInput("Thời gian phải từ 1 đến 600 phút — minutes must be 1..600");
  if (v.members.empty())
    return InvalidInput("Cần ít nhất một thành viên đi thăm — at least one member is required");
  for (const std::string& m : v.members)
    if (auto r = Members(db_).Get(m); !r) return r.error();
  Persons persons(db_);
  std::vector<Person> guided;
  for (const std::string& pid : v.persons) {
    auto p = persons.Get(pid);
    if (!p) return p.error();
    if (p->household_id != v.household_id)
      return InvalidInput("Người " + p->name + " không thuộc hộ này — person not in household");
    guided.push_back(std::move(*p));
  }
  if (v.topics.empty())
    return InvalidInput("Cần ít nhất một nội dung hướng dẫn — at least one topic is required");
  auto catalog = Topics(db_).List();
  if (!catalog) return catalog.error();
  for (const auto& [topic, result] : v.topics) {
    if (auto t = Topics(db_).Get(topic); !t) return t.error();
    if (!IsResult(result))
      return InvalidInput("Kết quả '" + result +
                          "' không hợp lệ — result must be guided|done|"
                          "needs_followup|no_conditions");
  }
  // Sets are stored sorted and unique so that equal visits compare equal everywhere.
  std::sort(v.members.begin() + 1, v.members.end());
  v.members.erase(std::unique(v.members.begin(), v.members.end()), v.members.end());
  std::sort(v.persons.begin(), v.persons.end());
  v.persons.erase(std::unique(v.persons.begin(), v.persons.end()), v.persons.end());
  if (is_new) {
    v.id = NewUuidV7(db_.clock().NowMs());
    v.created_by = v.members.front();
    v.status = kStatusPending;
  } else if (prior_status == kStatusReturned) {
    v.status = kStatusPending;
  } else {
    v.status = prior_status;
  }
  json fields = VisitValues(v);
  if (!is_new) fields.erase("created_by");  // set once, by whoever recorded the visit

  Database::Impl& d = db_.impl();
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), v.id, fields);
    if (!w) return w.error();
    for (const Person& p : guided) {
      json raise = RaisedSkills(p, v.topics, *catalog);
      if (raise.empty()) continue;
      auto pw = WriteLocal(d, *FindRecordDef("person"), p.id, raise);
      if (!pw) return pw.error();
    }
    return Status::Ok();
  });
  if (!st) return st;
  return Get(v.id);
}

Result<Visit> Visits::Get(const std::string& id) {
  auto row = ReadRow(db_.impl(), Def(), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có lượt thăm " + id + " — no such visit");
  return VisitFromValues(id, row->values);
}

Result<std::vector<Visit>> Visits::List(const VisitQuery& vq) {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT v.id FROM visits v WHERE v.deleted = 0 "
      "AND (?1 = '' OR v.household_id = ?1) AND (?2 = '' OR v.status = ?2) "
      "AND (?3 = '' OR v.visited_on >= ?3) AND (?4 = '' OR v.visited_on <= ?4) "
      "AND (?5 = '' OR EXISTS (SELECT 1 FROM visit_members m WHERE m.visit = v.rowid "
      "AND m.member = (SELECT k FROM ref_keys WHERE id = ?5))) "
      "ORDER BY v.visited_on DESC, v.id DESC LIMIT ?6 OFFSET ?7",
      &st);
  if (!q) return st;
  q->Bind(1, vq.household_id).Bind(2, vq.status).Bind(3, vq.from).Bind(4, vq.to);
  q->Bind(5, vq.member_id).Bind(6, vq.limit).Bind(7, vq.offset);
  std::vector<std::string> ids;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return db_.impl().Error("visits", rc);
  q.reset();
  std::vector<Visit> out;
  for (const std::string& id : ids) {
    auto v = Get(id);
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
  return out;
}

Status Visits::Remove(const std::string& id) {
  if (auto v = Get(id); !v) return v.error();
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), id, {{"deleted", 1}});
    return w ? Status::Ok() : w.error();
  });
}

Result<Review> Reviews::Decide(const std::string& visit_id, const std::string& leader_id,
                               const std::string& decision, const std::string& comment) {
  auto visit = Visits(db_).Get(visit_id);
  if (!visit) return visit.error();
  auto leader = Members(db_).Get(leader_id);
  if (!leader) return leader.error();
  if (leader->role != Role::kLeader)
    return InvalidInput(leader->name + " không phải tổ trưởng — only a leader reviews");
  if (decision != kStatusApproved && decision != kStatusReturned)
    return InvalidInput("Quyết định: approved hoặc returned — decision must be approved|returned");
  if (decision == kStatusReturned && comment.find_first_not_of(" \t\n") == std::string::npos)
    return InvalidInput("Trả lại cần ghi lý do — a returned visit needs a comment");
  return Write(visit_id, leader_id, decision, comment);
}

Result<Review> Reviews::Reopen(const std::string& visit_id, const std::string& leader_id,
                               const std::string& comment) {
  auto visit = Visits(db_).Get(visit_id);
  if (!visit) return visit.error();
  auto leader = Members(db_).Get(leader_id);
  if (!leader) return leader.error();
  if (leader->role != Role::kLeader)
    return InvalidInput(leader->name + " không phải tổ trưởng — only a leader reopens a visit");
  if (visit->status != kStatusApproved)
    return Status{ErrorCode::kConflict,
                  "Lượt thăm chưa được duyệt, không cần mở lại — "
                  "only an approved visit is reopened"};
  return Write(visit_id, leader_id, kStatusPending, comment);
}

Result<Review> Reviews::Write(const std::string& visit_id, const std::string& leader_id,
                              const std::string& decision, const std::string& comment) {
  Review r{
      NewUuidV7(db_.clock().NowMs()), visit_id, decision, comment, leader_id, db_.clock().NowMs()};
  Database::Impl& d = db_.impl();
  Status st = d.Transact([&]() -> Status {
    AuthorScope as_leader(d, leader_id);  // the hub checks that a leader approved or returned
    auto w = WriteLocal(d, *FindRecordDef("review"), r.id,
                        {{"visit_id", r.visit_id},
                         {"decision", r.decision},
                         {"comment", r.comment},
                         {"leader_id", r.leader_id},
                         {"decided_at", r.decided_at}});
    if (!w) return w.error();
    auto s = WriteLocal(d, Def(), visit_id, {{"status", decision}});
    return s ? Status::Ok() : s.error();
  });
  if (!st) return st;
  return r;
}

Result<std::vector<Review>> Reviews::OfVisit(const std::string& visit_id) {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id, visit_id, decision, comment, leader_id, decided_at FROM reviews "
      "WHERE visit_id = ? AND deleted = 0 ORDER BY decided_at, id",
      &st);
  if (!q) return st;
  q->Bind(1, visit_id);
  std::vector<Review> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0), q->Text(1), q->Text(2), q->Text(3), q->Text(4), q->Int(5)});
  if (rc != SQLITE_DONE) return db_.impl().Error("reviews", rc);
  return out;
}

}  // namespace gocua
