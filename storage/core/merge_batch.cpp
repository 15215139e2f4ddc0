#include "storage/core/merge_batch.h"

#include "storage/core/value_check.h"

namespace gocua {

Status MergeBatch::Hold(const RecordDef& def, const std::string& id) {
  if (held_ && row_.def == &def && id_ == id) return Status::Ok();
  if (Status st = Release(); !st) return st;
  if (auto it = parked_at_.find(ParkedKey(&def, id)); it != parked_at_.end()) {
    // Back from aside: the slot takes the storage row_ had (ReadHeld reuses it later).
    Parked& slot = parked_[it->second];
    std::swap(row_, slot.row);
    dirty_ = slot.dirty;
    slot.live = false;
    free_.push_back(it->second);
    parked_at_.erase(it);
  } else if (Status st = ReadHeld(d_, def, id, row_, &kept_); !st) {
    return st;
  }
  held_ = true;
  id_ = id;
  return Status::Ok();
}

Status MergeBatch::Release() {
  if (!held_) return Status::Ok();
  if (!keep_existing_ || !row_.exists) return WriteCurrent();
  size_t at;
  if (!free_.empty()) {
    at = free_.back();
    free_.pop_back();
  } else {
    at = parked_used_++;
    if (at == parked_.size()) parked_.emplace_back();
  }
  Parked& slot = parked_[at];
  std::swap(slot.row, row_);  // row_ takes the slot's storage
  slot.id.swap(id_);
  slot.dirty = dirty_;
  slot.live = true;
  parked_at_.emplace(ParkedKey(slot.row.def, slot.id), at);
  held_ = false;
  id_.clear();
  dirty_ = 0;
  return Status::Ok();
}

const HeldRow* MergeBatch::Find(const RecordDef& def, const std::string& id) const {
  if (held_ && row_.def == &def && id_ == id) return &row_;
  auto it = parked_at_.find(ParkedKey(&def, id));
  return it == parked_at_.end() ? nullptr : &parked_[it->second].row;
}

Result<StoredRow> MergeBatch::Peek(const RecordDef& def, const std::string& id) {
  if (const HeldRow* row = Find(def, id)) return ToStoredRow(*row);
  return ReadRow(d_, def, id);
}

Result<std::optional<DeleteRace>> MergeBatch::DeleteRaceOf(const RemoteOp& op) {
  const RecordDef* def = FindRecordDefLast(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (Status st = Hold(*def, op.record_id); !st) return st;
  if (!row_.exists) return std::optional<DeleteRace>();
  const int64_t deleted = row_.Value(def->fields.size()).get<int64_t>();
  // FindDeleteRace answers none without reading the stamps in these cases: the common ones
  // need no json object of them.
  if (op.field != "deleted" ? deleted == 0 : (deleted != 0 || op.value != 1))
    return std::optional<DeleteRace>();
  return FindDeleteRace(StampsJson(*def, row_.stamps), deleted, op);
}

Result<MergeDecision> MergeBatch::Merge(const RemoteOp& op, json* current_value,
                                        Stamp* current_stamp) {
  return Apply(op, op.value, nullptr, current_value, current_stamp);
}

Result<MergeDecision> MergeBatch::Merge(const RemoteOp& op, json&& value, json* current_value,
                                        Stamp* current_stamp) {
  return Apply(op, value, &value, current_value, current_stamp);
}

Result<MergeDecision> MergeBatch::MergeNotingConflict(const RemoteOp& op, json* conflict_value,
                                                      Stamp* conflict_stamp) {
  return Apply(op, op.value, nullptr, conflict_value, conflict_stamp, true);
}

Result<MergeDecision> MergeBatch::Apply(const RemoteOp& op, const json& value, json* moved_value,
                                        json* current_value, Stamp* current_stamp,
                                        bool conflict_only) {
  if (!d_.in_tx) return Status{ErrorCode::kInternal, "MergeBatch outside a transaction"};
  const RecordDef* def =
      held_ && op.record_type == row_.def->type ? row_.def : FindRecordDefLast(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  const size_t i = FieldIndexLast(*def, op.field);
  if (i == kNoField) return InvalidInput(op.record_type + ": unknown field " + op.field);
  if (Status st = Hold(*def, op.record_id); !st) return st;
  const bool typed = row_.stamps.present >> i & 1;
  const Stamp loose = typed ? Stamp{} : StampAt(*def, row_.stamps, i);
  const Stamp& before = typed ? row_.stamps.by_field[i] : loose;
  const json& current = row_.Value(i);
  const MergeDecision decision = DecideMerge(current, before, op, value);
  if (!conflict_only || decision.outcome == MergeOutcome::kConflict) {
    if (current_value) *current_value = current;
    if (current_stamp) *current_stamp = before;
  }
  d_.ObserveHlc(op.hlc);
  if (!decision.write) return decision;
  row_.Set(i, moved_value ? std::move(*moved_value) : value);
  row_.stamps.Set(*def, i, op.hlc, op.origin_device);
  dirty_ |= uint64_t{1} << i;
  return decision;
}

Status MergeBatch::WriteCurrent() {
  Status st = WriteHeld(d_, id_, row_, dirty_, &kept_);
  held_ = false;
  id_.clear();
  dirty_ = 0;
  return st;
}

Status MergeBatch::Flush() {
  Status st = held_ ? WriteCurrent() : Status::Ok();
  // The records kept aside (existing ones: the order they are written in changes no rowid).
  for (size_t at = 0; at < parked_used_; ++at) {
    Parked& slot = parked_[at];
    if (st && slot.live) st = WriteHeld(d_, slot.id, slot.row, slot.dirty, &kept_);
    slot.live = false;
  }
  parked_at_.clear();
  free_.clear();
  parked_used_ = 0;
  return st;
}

}  // namespace gocua
