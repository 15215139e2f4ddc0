#include "storage/core/merge_batch.h"

#include "storage/core/value_check.h"

namespace gocua {

Status MergeBatch::Hold(const RecordDef& def, const std::string& id) {
  if (cur_ && cur_->row.def == &def && cur_->id == id) return Status::Ok();
  if (!keep_all_) {
    if (Status st = Flush(); !st) return st;
    if (Status st = ReadHeld(d_, def, id, one_.row); !st) return st;
    one_.id = id;
    one_.dirty = 0;
    cur_ = &one_;
    return Status::Ok();
  }
  auto [it, fresh] = all_.try_emplace(std::string(def.type) + '/' + id);
  if (fresh) {
    if (Status st = ReadHeld(d_, def, id, it->second.row); !st) {
      all_.erase(it);
      return st;
    }
    it->second.id = id;
    order_.push_back(&it->second);
  }
  cur_ = &it->second;
  return Status::Ok();
}

Result<StoredRow> MergeBatch::Peek(const RecordDef& def, const std::string& id) {
  if (cur_ && cur_->row.def == &def && cur_->id == id) return ToStoredRow(cur_->row);
  if (keep_all_)
    if (auto it = all_.find(std::string(def.type) + '/' + id); it != all_.end())
      return ToStoredRow(it->second.row);
  return ReadRow(d_, def, id);
}

Result<std::optional<DeleteRace>> MergeBatch::DeleteRaceOf(const RemoteOp& op) {
  const RecordDef* def = FindRecordDefLast(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (Status st = Hold(*def, op.record_id); !st) return st;
  const HeldRow& row = cur_->row;
  if (!row.exists) return std::optional<DeleteRace>();
  const int64_t deleted = row.Value(def->fields.size()).get<int64_t>();
  // FindDeleteRace answers none without reading the stamps in these cases: the common ones
  // need no json object of them.
  if (op.field != "deleted" ? deleted == 0 : (deleted != 0 || op.value != 1))
    return std::optional<DeleteRace>();
  return FindDeleteRace(StampsJson(*def, row.stamps), deleted, op);
}

Result<MergeDecision> MergeBatch::Merge(const RemoteOp& op, json* current_value,
                                        Stamp* current_stamp) {
  return Apply(op, op.value, nullptr, current_value, current_stamp);
}

Result<MergeDecision> MergeBatch::Merge(const RemoteOp& op, json&& value, json* current_value,
                                        Stamp* current_stamp) {
  return Apply(op, value, &value, current_value, current_stamp);
}

Result<MergeDecision> MergeBatch::Apply(const RemoteOp& op, const json& value, json* moved_value,
                                        json* current_value, Stamp* current_stamp) {
  if (!d_.in_tx) return Status{ErrorCode::kInternal, "MergeBatch outside a transaction"};
  const RecordDef* def = cur_ && op.record_type == cur_->row.def->type
                             ? cur_->row.def
                             : FindRecordDefLast(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  const size_t i = FieldIndex(*def, op.field);
  if (i == kNoField) return InvalidInput(op.record_type + ": unknown field " + op.field);
  if (Status st = Hold(*def, op.record_id); !st) return st;
  HeldRow& row = cur_->row;
  const bool typed = row.stamps.present >> i & 1;
  const Stamp loose = typed ? Stamp{} : StampAt(*def, row.stamps, i);
  const Stamp& before = typed ? row.stamps.by_field[i] : loose;
  const json& current = row.Value(i);
  if (current_value) *current_value = current;
  if (current_stamp) *current_stamp = before;
  const MergeDecision decision = DecideMerge(current, before, op, value);
  d_.ObserveHlc(op.hlc);
  if (!decision.write) return decision;
  row.Set(i, moved_value ? std::move(*moved_value) : value);
  row.stamps.Set(*def, i, op.hlc, op.origin_device);
  cur_->dirty |= uint64_t{1} << i;
  return decision;
}

Status MergeBatch::FlushOne(Held& h) {
  const uint64_t dirty = h.dirty;
  h.dirty = 0;
  return WriteHeld(d_, h.id, h.row, dirty);
}

Status MergeBatch::Flush() {
  cur_ = nullptr;
  if (!keep_all_) return one_.row.def ? FlushOne(one_) : Status::Ok();
  Status st;
  for (Held* h : order_)
    if (st) st = FlushOne(*h);
  order_.clear();
  all_.clear();
  return st;
}

}  // namespace gocua
