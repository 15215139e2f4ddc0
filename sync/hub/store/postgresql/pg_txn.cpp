// PgTxn: the push policy's store transaction on PostgreSQL (pg_txn.h).
#include "sync/hub/store/postgresql/pg_txn.h"

#include "storage/core/ids.h"
#include "storage/core/record_store.h"
#include "sync/hub/store/postgresql/pg_log.h"
#include "sync/hub/store/postgresql/pg_records.h"

namespace gocua::pg {
using hub_internal::LogEntry;
using hub_internal::LoggedChange;

namespace {

std::string ScopeKey(std::string_view type, std::string_view id) {
  std::string k(type);
  k += '\x1f';
  k += id;
  return k;
}

}  // namespace

Status PgTxn::Start() {
  auto r = c_.Query("SELECT hlc FROM hub_clock WHERE id = 1", {}, "hub clock");
  if (!r) return r.error();
  if (r->empty()) return {ErrorCode::kCorrupt, "hub clock: no row"};
  hlc_ = r->Int(0, 0);
  return Status::Ok();
}

int64_t PgTxn::NextHlc() {
  hlc_ = HlcTick(hlc_, clock_.NowMs());
  hlc_dirty_ = true;
  return hlc_;
}

int64_t PgTxn::StampAfter(int64_t ms) {
  Observe(MakeHlc(ms, 0));
  return NextHlc();
}

Result<int64_t> PgTxn::OriginMaxSeq(const std::string& origin) {
  auto r = c_.Query("SELECT max_seq FROM hub_origins WHERE origin_device = $1", {origin}, "origin");
  if (!r) return r.error();
  return r->empty() ? int64_t{0} : r->Int(0, 0);
}

Status PgTxn::SetOriginMaxSeq(const std::string& origin, int64_t max_seq) {
  return c_.Exec(
      "INSERT INTO hub_origins(origin_device, max_seq) VALUES($1, $2) "
      "ON CONFLICT (origin_device) DO UPDATE SET max_seq = EXCLUDED.max_seq",
      {origin, Int(max_seq)}, "origin");
}

Result<std::optional<LogEntry>> PgTxn::LoggedOp(const std::string& origin, int64_t seq) {
  for (auto it = log_.rbegin(); it != log_.rend(); ++it)
    if (it->op.seq == seq && it->op.origin_device == origin) return std::optional<LogEntry>(*it);
  auto r =
      c_.Query(std::string("SELECT ") + kLogColumns + " FROM hub_log WHERE origin = " + IdOf("$1") +
                   " AND seq <= $2 ORDER BY seq DESC LIMIT 1",
               {origin, Int(seq)}, "hub log");
  if (!r) return r.error();
  if (r->empty()) return std::optional<LogEntry>();
  std::vector<LogEntry> ops;
  if (Status s = ExpandRow(*r, 0, ops); !s) return s;
  const int64_t i = seq - ops.front().op.seq;
  if (i >= static_cast<int64_t>(ops.size())) return std::optional<LogEntry>();
  return std::optional<LogEntry>(std::move(ops[static_cast<size_t>(i)]));
}

Result<LoggedChange> PgTxn::FindLogged(const std::string& type, const std::string& id,
                                       const std::string& field, const Stamp& stamp) {
  LoggedChange out;
  auto take = [&](LogEntry& e) {
    out.found = true;
    out.value = std::move(e.op.value);
    out.author = std::move(e.op.author);
  };
  for (LogEntry& e : log_)
    if (e.op.origin_device == stamp.device && e.op.record_type == type && e.op.record_id == id &&
        e.op.hlc == stamp.hlc && (field.empty() || e.op.field == field)) {
      LogEntry copy = e;
      take(copy);
      return out;
    }
  // A scan of the origin's rows on the record (the UNIQUE(origin, seq) index): only conflicts
  // ask.
  auto r =
      c_.Query(std::string("SELECT ") + kLogColumns + " FROM hub_log WHERE origin = " + IdOf("$1") +
                   " AND record_type = $2 AND record_id = $3 ORDER BY seq",
               {stamp.device, type, id}, "conflict history");
  if (!r) return r.error();
  std::vector<LogEntry> ops;
  for (int row = 0; row < r->size(); ++row) {
    ops.clear();
    if (Status s = ExpandRow(*r, row, ops); !s) return s;
    for (LogEntry& e : ops)
      if (e.op.hlc == stamp.hlc && (field.empty() || e.op.field == field)) {
        take(e);
        return out;
      }
  }
  return out;
}

Status PgTxn::AppendLog(LogEntry&& e) {
  log_.push_back(std::move(e));
  return Status::Ok();
}

Result<std::string_view> PgTxn::ScopeOf(std::string_view type, std::string_view id, bool* found) {
  std::string key = ScopeKey(type, id);
  if (auto it = scopes_.find(key); it != scopes_.end()) {
    *found = true;
    return std::string_view(it->second);
  }
  auto r = c_.Query("SELECT commune_id FROM hub_scope WHERE record_type = $1 AND record_id = $2",
                    {std::string(type), std::string(id)}, "scope");
  if (!r) return r.error();
  *found = !r->empty();
  if (!*found) {
    scope_view_.clear();
    return std::string_view(scope_view_);
  }
  return std::string_view(scopes_.emplace(std::move(key), r->Text(0, 0)).first->second);
}

Status PgTxn::SetScope(const std::string& type, const std::string& id, const std::string& commune) {
  int64_t added = 0;
  if (Status s =
          c_.Exec("INSERT INTO hub_scope(record_type, record_id, commune_id) VALUES($1, $2, $3) "
                  "ON CONFLICT DO NOTHING",
                  {type, id, commune}, "scope", &added);
      !s)
    return s;
  if (added) scopes_.emplace(ScopeKey(type, id), commune);
  return Status::Ok();
}

Status PgTxn::Hold(const RecordDef& def, const std::string& id) {
  if (held_def_ == &def && held_id_ == id) return Status::Ok();
  if (Status s = FlushHeld(); !s) return s;
  auto row = ReadRecord(c_, def, id);
  if (!row) return row.error();
  held_ = std::move(*row);
  held_def_ = &def;
  held_id_ = id;
  return Status::Ok();
}

Status PgTxn::FlushHeld() {
  if (!held_def_) return Status::Ok();
  Status s = held_dirty_ ? WriteRecord(c_, *held_def_, held_id_, held_) : Status::Ok();
  held_def_ = nullptr;
  held_id_.clear();
  held_dirty_ = false;
  return s;
}

Result<StoredRow> PgTxn::PeekRecord(const RecordDef& def, const std::string& id) {
  if (held_def_ == &def && held_id_ == id) return held_;
  return ReadRecord(c_, def, id);
}

Result<std::optional<DeleteRace>> PgTxn::DeleteRaceOf(const RemoteOp& op) {
  const RecordDef* def = FindRecordDef(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (Status s = Hold(*def, op.record_id); !s) return s;
  if (!held_.exists) return std::optional<DeleteRace>();
  return FindDeleteRace(held_.stamps, held_.values["deleted"].get<int64_t>(), op);
}

Result<MergeDecision> PgTxn::Merge(const RemoteOp& op, nlohmann::json* current_value,
                                   Stamp* current_stamp) {
  const RecordDef* def = FindRecordDef(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (op.field != "deleted" && !def->Field(op.field))
    return InvalidInput(op.record_type + ": unknown field " + op.field);
  if (Status s = Hold(*def, op.record_id); !s) return s;
  const Stamp before = FieldStamp(held_, op.field);
  nlohmann::json& current = held_.values[op.field];
  if (current_value) *current_value = current;
  if (current_stamp) *current_stamp = before;
  const MergeDecision decision = DecideMerge(current, before, op);
  Observe(op.hlc);
  if (!decision.write) return decision;
  current = op.value;
  held_.stamps[op.field] = nlohmann::json::array({op.hlc, op.origin_device});
  held_dirty_ = true;
  return decision;
}

// The hub's own write, as a device's WriteLocal and the SQLite store's HubWrite make it: the
// changed fields (all given, for a new record) stamped by the hub in field order (an undelete
// first), each one op of the hub's origin in the log, scoped like its record.
Status PgTxn::WriteOwn(const char* type, const std::string& id, const nlohmann::json& fields,
                       const std::string& scope) {
  if (Status s = FlushHeld(); !s) return s;
  const RecordDef* def = FindRecordDef(type);
  if (!def) return {ErrorCode::kInternal, std::string("unknown record type ") + type};
  auto row = ReadRecord(c_, *def, id);
  if (!row) return row.error();
  const bool is_new = !row->exists;
  static const FieldDef kDeleted{"deleted", FieldKind::kInt, 0};
  for (const auto& [name, value] : fields.items())
    if (name != "deleted" && !def->Field(name))
      return InvalidInput(std::string(type) + ": unknown field " + name);
  std::vector<const FieldDef*> order;
  const bool undelete = !is_new && row->values["deleted"] != 0 && fields.contains("deleted") &&
                        fields["deleted"] == 0;
  if (undelete) order.push_back(&kDeleted);
  for (const FieldDef& f : def->fields) order.push_back(&f);
  if (!undelete) order.push_back(&kDeleted);
  std::vector<std::pair<const FieldDef*, nlohmann::json>> accepted;
  for (const FieldDef* f : order) {
    if (!fields.contains(f->name)) continue;
    auto checked = CheckValue(*def, *f, fields[f->name]);
    if (!checked) return checked.error();
    if (f == &kDeleted && *checked != 0 && *checked != 1)
      return InvalidInput(std::string(type) + ".deleted must be 0 or 1");
    if (!is_new && row->values[f->name] == *checked) continue;
    accepted.emplace_back(f, std::move(*checked));
  }
  // Stamped after everything the record holds (a raced delete and edit included).
  for (const auto& [name, stamp] : row->stamps.items()) Observe(FieldStamp(*row, name).hlc);
  if (own_seq_ < 0) {
    auto seq = OriginMaxSeq(ids_.hub_id);
    if (!seq) return seq.error();
    own_seq_ = *seq;
  }
  std::vector<LogEntry> entries;
  for (auto& [f, value] : accepted) {
    LogEntry e;
    e.op.origin_device = ids_.hub_id;
    e.op.seq = ++own_seq_;
    e.op.record_type = type;
    e.op.record_id = id;
    e.op.field = f->name;
    e.op.value = value;
    e.op.base = FieldStamp(*row, f->name);
    e.op.hlc = NextHlc();
    e.orig_hlc = e.op.hlc;
    e.outcome = "applied";
    e.pushed_by = ids_.hub_id;
    row->values[f->name] = std::move(value);
    row->stamps[f->name] = nlohmann::json::array({e.op.hlc, ids_.hub_id});
    entries.push_back(std::move(e));
  }
  if (!entries.empty())
    if (Status s = WriteRecord(c_, *def, id, *row); !s) return s;
  if (Status s = SetScope(type, id, scope); !s) return s;
  if (entries.empty()) return Status::Ok();
  bool found = false;
  auto commune = ScopeOf(type, id, &found);
  if (!commune) return commune.error();
  const std::string record_scope(*commune);
  for (LogEntry& e : entries) {
    e.commune_id = record_scope;
    if (Status s = AppendLog(std::move(e)); !s) return s;
  }
  return SetOriginMaxSeq(ids_.hub_id, own_seq_);
}

Status PgTxn::TouchDevice(const std::string& device_id, int64_t now) {
  return c_.Exec("UPDATE hub_devices SET last_seen = $1 WHERE device_id = $2",
                 {Int(now), device_id}, "last seen");
}

Status PgTxn::Finish() {
  if (Status s = FlushHeld(); !s) return s;
  if (hlc_dirty_)
    if (Status s = c_.Exec("UPDATE hub_clock SET hlc = GREATEST(hlc, $1) WHERE id = 1", {Int(hlc_)},
                           "hub clock");
        !s)
      return s;
  // One time of receipt for the push's ops, so that its runs keep theirs.
  const int64_t now = clock_.NowMs();
  for (LogEntry& e : log_) e.received_at = now;
  return AppendLogRows(c_, log_);
}

}  // namespace gocua::pg
