#include "storage/device/visits.h"

#include <algorithm>
#include <map>

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

// Skill levels of the person whose stored values are `person` after the visit's topics, whose
// skills are `skills` (topic id → its skill code, "" for none); only raised, never lowered.
json RaisedSkills(const json& person, const std::map<std::string, std::string>& results,
                  const std::map<std::string, std::string>& skills) {
  json changes = json::object();
  for (const auto& [topic_id, result] : results) {
    auto t = skills.find(topic_id);
    if (t == skills.end() || t->second.empty() || result == "no_conditions") continue;
    const std::string target = result == "done" ? kSkillProficient : kSkillGuided;
    const std::string field = "skill_" + t->second;
    const json& stored = person.contains(field) ? person[field] : json(kSkillNone);
    std::string current = stored.is_string() ? stored.get<std::string>() : kSkillNone;
    if (changes.contains(field)) current = changes[field];
    if (Rank(target) > Rank(current)) changes[field] = target;
  }
  return changes;
}

// Whether record `id` is there and not deleted, by `sql` (one primary-key probe that returns a
// row only then): a save checks its household and members this way, not by reading them whole.
Result<bool> IsLive(Database::Impl& d, const char* sql, const std::string& id) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, id);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return d.Error("visit check", rc);
}

// The skill code of live topic `id` ("" for none), or NotFound as Topics::Get says it.
Result<std::string> TopicSkill(Database::Impl& d, const std::string& id) {
  Status st;
  auto q = d.Prepare("SELECT skill FROM topics WHERE id = ?1 AND deleted = 0", &st);
  if (!q) return st;
  q->Bind(1, id);
  const int rc = q->Step();
  if (rc == SQLITE_DONE)
    return NotFound("Không có nội dung hướng dẫn '" + id + "' — no topic " + id);
  if (rc != SQLITE_ROW) return d.Error("topics", rc);
  return q->Text(0);
}

}  // namespace

// Everything, checks included, runs in the one write transaction: what is checked is what is
// written against, and each record is read once (the persons guided are read with their
// stamps and written from that read). The checks and their messages are those of the
// repositories' Get (households, members, persons, topics), in the same order as before.
Result<Visit> Visits::Save(const Visit& in) {
  Visit v = in;
  const bool is_new = v.id.empty();
  Database::Impl& d = db_.impl();
  StoredRow row;  // the visit as stored: read, then what WriteLocalRow wrote
  Status st = d.Transact([&]() -> Status {
    std::string prior_status;
    if (!is_new) {
      auto current = ReadRow(d, Def(), v.id);
      if (!current) return current.error();
      if (!current->exists || current->values["deleted"] != 0)
        return NotFound("Không có lượt thăm " + v.id + " — no such visit");
      prior_status = current->values["status"].get<std::string>();
      row = std::move(*current);
    }
    auto household =
        IsLive(d, "SELECT 1 FROM households WHERE id = ?1 AND deleted = 0", v.household_id);
    if (!household) return household.error();
    if (!*household) return NotFound("Không có hộ " + v.household_id + " — no such household");
    // Dates: the visit cannot be in the future (one day of slack for clocks and time zones).
    const std::string tomorrow = LocalDate(db_.clock().NowMs() + 86400000);
    auto date_ok = CheckValue(Def(), *Def().Field("visited_on"), v.visited_on);
    if (!date_ok || v.visited_on.empty())
      return InvalidInput(
          "Ngày thăm không hợp lệ, cần dạng YYYY-MM-DD — visited_on must be a date");
    if (v.visited_on > tomorrow)
      return InvalidInput("Ngày thăm " + v.visited_on +
                          " ở tương lai — visited_on is in the future");
    if (!CheckValue(Def(), *Def().Field("followup_on"), v.followup_on))
      return InvalidInput("Ngày hẹn quay lại không hợp lệ — followup_on must be YYYY-MM-DD");
    if (!v.followup_on.empty() && v.followup_on < v.visited_on)
      return InvalidInput("Ngày hẹn quay lại phải sau ngày thăm — followup_on before visited_on");
    if (v.minutes < 1 || v.minutes > 600)
      return InvalidInput("Thời gian phải từ 1 đến 600 phút — minutes must be 1..600");
    if (v.members.empty())
      return InvalidInput("Cần ít nhất một thành viên đi thăm — at least one member is required");
    for (const std::string& m : v.members) {
      auto live = IsLive(d, "SELECT 1 FROM members WHERE id = ?1 AND deleted = 0", m);
      if (!live) return live.error();
      if (!*live) return NotFound("Không có thành viên " + m + " — no such member");
    }
    const RecordDef& person_def = *FindRecordDef("person");
    std::vector<std::pair<std::string, StoredRow>> guided;
    for (const std::string& pid : v.persons) {
      auto seen = [&pid](const auto& g) { return g.first == pid; };
      if (std::any_of(guided.begin(), guided.end(), seen)) continue;  // one read, one write each
      auto p = ReadRow(d, person_def, pid);
      if (!p) return p.error();
      if (!p->exists || p->values["deleted"] != 0)
        return NotFound("Không có người " + pid + " — no such person");
      if (p->values["household_id"] != v.household_id)
        return InvalidInput("Người " + p->values["name"].get<std::string>() +
                            " không thuộc hộ này — person not in household");
      guided.emplace_back(pid, std::move(*p));
    }
    if (v.topics.empty())
      return InvalidInput("Cần ít nhất một nội dung hướng dẫn — at least one topic is required");
    std::map<std::string, std::string> skills;  // topic → its skill code
    for (const auto& [topic, result] : v.topics) {
      auto skill = TopicSkill(d, topic);
      if (!skill) return skill.error();
      if (!IsResult(result))
        return InvalidInput("Kết quả '" + result +
                            "' không hợp lệ — result must be guided|done|"
                            "needs_followup|no_conditions");
      skills.emplace(topic, std::move(*skill));
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
      auto fresh = ReadRow(d, Def(), v.id);  // a freshly minted id: the missing row
      if (!fresh) return fresh.error();
      row = std::move(*fresh);
    } else if (prior_status == kStatusReturned) {
      v.status = kStatusPending;
    } else {
      v.status = prior_status;
    }
    json fields = VisitValues(v);
    if (!is_new) fields.erase("created_by");  // set once, by whoever recorded the visit
    auto w = WriteLocalRow(d, Def(), v.id, row, fields);
    if (!w) return w.error();
    for (auto& [pid, p] : guided) {
      json raise = RaisedSkills(p.values, v.topics, skills);
      if (raise.empty()) continue;
      auto pw = WriteLocalRow(d, person_def, pid, p, raise);
      if (!pw) return pw.error();
    }
    return Status::Ok();
  });
  if (!st) return st;
  return VisitFromValues(v.id, row.values);
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
