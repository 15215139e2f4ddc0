#include "storage/device/conflicts.h"

#include "storage/core/ids.h"
#include "storage/device/members.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"

namespace gocua {
namespace {

const RecordDef& Def() { return *FindRecordDef("conflict"); }

json ParseOr(const std::string& text, const json& fallback) {
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? fallback : j;
}

std::string Label(Database::Impl& d, const std::string& type, const std::string& id) {
  const RecordDef* def = FindRecordDef(type);
  if (!def) return type + " " + id;
  auto row = ReadRow(d, *def, id);
  if (!row || !row->exists) return type + " " + id;
  const json& v = row->values;
  auto head_of = [&](const std::string& household_id) -> std::string {
    auto h = ReadRow(d, *FindRecordDef("household"), household_id);
    return h && h->exists ? h->values["head_name"].get<std::string>() : std::string();
  };
  if (type == "visit")
    return "Lượt thăm " + v["visited_on"].get<std::string>() + " — " +
           head_of(v["household_id"].get<std::string>());
  if (type == "household") return "Hộ " + v["head_name"].get<std::string>();
  if (type == "person" || type == "member" || type == "village") return v["name"];
  if (type == "review") return "Quyết định duyệt lượt thăm " + v["visit_id"].get<std::string>();
  return type + " " + id;
}

std::string MemberName(Database::Impl& d, const std::string& id) {
  if (id.empty()) return std::string();
  auto row = ReadRow(d, *FindRecordDef("member"), id);
  return row && row->exists ? row->values["name"].get<std::string>() : std::string();
}

Result<ConflictView> Load(Database::Impl& d, const std::string& id) {
  auto row = ReadRow(d, Def(), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có xung đột " + id + " — no such conflict");
  const json& v = row->values;
  ConflictView c;
  c.id = id;
  c.record_type = v["record_type"];
  c.record_id = v["record_id"];
  c.field = v["field"];
  c.value_a = ParseOr(v["value_a"], v["value_a"]);
  c.value_b = ParseOr(v["value_b"], v["value_b"]);
  if (const std::string base = v["value_base"]; !base.empty()) c.value_base = ParseOr(base, base);
  c.device_a = v["device_a"];
  c.device_b = v["device_b"];
  c.author_a = v["author_a"];
  c.author_b = v["author_b"];
  c.author_a_name = MemberName(d, c.author_a);
  c.author_b_name = MemberName(d, c.author_b);
  c.time_a_ms = HlcMillis(v["hlc_a"].get<int64_t>());
  c.time_b_ms = HlcMillis(v["hlc_b"].get<int64_t>());
  c.winner = v["winner"];
  c.status = v["status"];
  const json resolution = ParseOr(v["resolution"], json::object());
  if (resolution.is_object()) {
    c.choice = resolution.value("choice", "");
    c.resolved_value = resolution.value("value", json());
    c.resolved_by = resolution.value("by", "");
    c.resolved_at_ms = resolution.value("at", int64_t{0});
  }
  c.record_label = Label(d, c.record_type, c.record_id);
  if (const RecordDef* def = FindRecordDef(c.record_type)) {
    auto target = ReadRow(d, *def, c.record_id);
    if (target && target->values.contains(c.field)) c.current = target->values[c.field];
  }
  return c;
}

}  // namespace

Result<std::vector<ConflictView>> Conflicts::ListOpen(int limit, int offset) {
  Database::Impl& d = db_.impl();
  Status st;
  std::vector<std::string> ids;
  {
    auto q = d.Prepare(
        "SELECT id FROM conflicts WHERE status = 'open' AND deleted = 0 "
        "ORDER BY max(hlc_a, hlc_b) DESC, id LIMIT ? OFFSET ?",
        &st);
    if (!q) return st;
    q->Bind(1, limit).Bind(2, offset);
    int rc;
    while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
    if (rc != SQLITE_DONE) return d.Error("conflicts", rc);
  }
  std::vector<ConflictView> out;
  for (const std::string& id : ids) {
    auto c = Load(d, id);
    if (!c) return c.error();
    out.push_back(std::move(*c));
  }
  return out;
}

Result<int64_t> Conflicts::CountOpen() {
  Database::Impl& d = db_.impl();
  Status st;
  auto q = d.Prepare("SELECT count(*) FROM conflicts WHERE status = 'open' AND deleted = 0", &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("conflicts", rc);
  return q->Int(0);
}

Result<ConflictView> Conflicts::Get(const std::string& id) { return Load(db_.impl(), id); }

Status Conflicts::Keep(const std::string& id, const std::string& leader_id,
                       const std::string& side) {
  if (side != "a" && side != "b")
    return InvalidInput("Chọn giá trị a hoặc b — side must be a or b");
  auto c = Get(id);
  if (!c) return c.error();
  return Close(id, leader_id, side, side == "a" ? c->value_a : c->value_b);
}

Status Conflicts::Resolve(const std::string& id, const std::string& leader_id, const json& value) {
  return Close(id, leader_id, "merged", value);
}

Status Conflicts::Close(const std::string& id, const std::string& leader_id,
                        const std::string& choice, const json& value) {
  auto leader = Members(db_).Get(leader_id);
  if (!leader) return leader.error();
  if (leader->role != Role::kLeader)
    return InvalidInput(leader->name +
                        " không phải tổ trưởng/lãnh đạo — only a leader resolves a conflict");
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto c = Load(d, id);  // under the write lock: a pull may have closed it meanwhile
    if (!c) return c.error();
    if (c->status != "open")
      return {ErrorCode::kConflict,
              "Xung đột này đã được giải quyết — the conflict is already resolved"};
    const RecordDef* def = FindRecordDef(c->record_type);
    if (!def || (c->field != "deleted" && !def->Field(c->field)))
      return InvalidInput("Không sửa được trường " + c->record_type + "." + c->field +
                          " — unknown field; update Gõ Cửa");
    AuthorScope as_leader(d, leader_id);  // the hub checks that a leader resolved it
    auto w = WriteLocal(d, *def, c->record_id, {{c->field, value}});
    if (!w) return w.error();
    auto row = ReadRow(d, *def, c->record_id);  // the value as stored (normalised)
    if (!row) return row.error();
    const json resolution = {
        {"choice", choice}, {"value", row->values[c->field]}, {"by", leader_id}, {"at", d.NowMs()}};
    auto r = WriteLocal(d, Def(), id, {{"status", "resolved"}, {"resolution", resolution.dump()}});
    return r ? Status::Ok() : r.error();
  });
}

}  // namespace gocua
