// Conflict records of the push policy (sync/hub/store/conflicts.h).
#include "sync/hub/store/conflicts.h"

#include "storage/core/schema.h"
#include "sync/hub/store/sha256.h"

namespace gocua::hub_internal {
namespace {

// The value the author of `op` started from (its base), as JSON text: the field's default for
// a field never written, "" when the log does not hold it.
Result<std::string> BaseValueText(HubTxn& txn, const RemoteOp& op) {
  const FieldDef* f = FindRecordDef(op.record_type)->Field(op.field);
  if (op.base.hlc == 0) return f ? DefaultValue(*f).dump() : std::string();
  auto base = txn.FindLogged(op.record_type, op.record_id, op.field, op.base);
  if (!base) return base.error();
  return base->found ? base->value.dump() : std::string();
}

}  // namespace

std::string ConflictId(const RemoteOp& op, const std::string& field, Stamp a, Stamp b) {
  if (gocua::StampAfter(a, b)) std::swap(a, b);
  return Sha256Hex(op.record_type + "|" + op.record_id + "|" + field + "|" + std::to_string(a.hlc) +
                   "|" + a.device + "|" + std::to_string(b.hlc) + "|" + b.device)
      .substr(0, 32);
}

Status RecordEditConflict(HubTxn& txn, const RemoteOp& op, const nlohmann::json& current,
                          const Stamp& current_stamp, bool b_wins, const std::string& scope) {
  const std::string id = ConflictId(op, op.field, current_stamp, op.stamp());
  auto held_change = txn.FindLogged(op.record_type, op.record_id, op.field, current_stamp);
  if (!held_change) return held_change.error();
  auto base = BaseValueText(txn, op);
  if (!base) return base.error();
  return txn.WriteOwn("conflict", id,
                      {{"record_type", op.record_type},
                       {"record_id", op.record_id},
                       {"field", op.field},
                       {"value_a", current.dump()},
                       {"value_b", op.value.dump()},
                       {"device_a", current_stamp.device},
                       {"device_b", op.origin_device},
                       {"hlc_a", current_stamp.hlc},
                       {"hlc_b", op.hlc},
                       {"value_base", *base},
                       {"author_a", held_change->author},
                       {"author_b", op.author},
                       {"winner", b_wins ? "b" : "a"},
                       {"status", "open"}},
                      scope);
}

Status KeepRaced(HubTxn& txn, const RemoteOp& op, const DeleteRace& race,
                 const std::string& scope) {
  const Stamp& held = race.edit_incoming ? race.delete_stamp : race.edit_stamp;
  const Stamp& incoming = race.edit_incoming ? race.edit_stamp : race.delete_stamp;
  const std::string id = ConflictId(op, "deleted", race.delete_stamp, race.edit_stamp);
  auto held_change = txn.FindLogged(op.record_type, op.record_id, "", held);
  if (!held_change) return held_change.error();
  if (Status s = txn.WriteOwn("conflict", id,
                              {{"record_type", op.record_type},
                               {"record_id", op.record_id},
                               {"field", "deleted"},
                               {"value_a", race.edit_incoming ? "1" : "0"},
                               {"value_b", race.edit_incoming ? "0" : "1"},
                               {"device_a", held.device},
                               {"device_b", incoming.device},
                               {"hlc_a", held.hlc},
                               {"hlc_b", incoming.hlc},
                               {"author_a", held_change->author},
                               {"author_b", op.author},
                               {"winner", race.edit_incoming ? "b" : "a"},
                               {"status", "open"}},
                              scope);
      !s)
    return s;
  return txn.WriteOwn(op.record_type.c_str(), op.record_id, {{"deleted", 0}}, scope);
}

}  // namespace gocua::hub_internal
