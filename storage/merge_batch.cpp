#include "storage/merge_batch.h"

namespace gocua {

Result<const StoredRow*> MergeBatch::Hold(const RecordDef& def, const std::string& id) {
  if (def_ == &def && id_ == id) return &row_;
  if (Status st = Flush(); !st) return st;
  auto row = ReadRow(d_, def, id);
  if (!row) return row.error();
  def_ = &def;
  id_ = id;
  row_ = std::move(*row);
  return &row_;
}

Result<StoredRow> MergeBatch::Peek(const RecordDef& def, const std::string& id) {
  if (def_ == &def && id_ == id) return row_;
  return ReadRow(d_, def, id);
}

Result<MergeDecision> MergeBatch::Merge(const RemoteOp& op, json* current_value,
                                        Stamp* current_stamp) {
  if (!d_.in_tx) return Status{ErrorCode::kInternal, "MergeBatch outside a transaction"};
  const RecordDef* def = FindRecordDef(op.record_type);
  if (!def) return InvalidInput("unknown record type " + op.record_type);
  if (op.field != "deleted" && !def->Field(op.field))
    return InvalidInput(op.record_type + ": unknown field " + op.field);
  auto held = Hold(*def, op.record_id);
  if (!held) return held.error();
  const Stamp before = FieldStamp(row_, op.field);
  json& value = row_.values[op.field];
  if (current_value) *current_value = value;
  if (current_stamp) *current_stamp = before;
  const MergeDecision decision = DecideMerge(value, before, op);
  d_.ObserveHlc(op.hlc);
  if (!decision.write) return decision;
  value = op.value;
  row_.stamps[op.field] = json::array({op.hlc, op.origin_device});
  dirty_.insert(op.field);
  return decision;
}

Status MergeBatch::Flush() {
  if (!def_) return Status::Ok();
  Status st = Status::Ok();
  if (!dirty_.empty()) st = WriteFields(d_, *def_, id_, row_, dirty_);
  def_ = nullptr;
  id_.clear();
  dirty_.clear();
  return st;
}

}  // namespace gocua
