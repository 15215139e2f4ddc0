#pragma once
// Conflict records: what the hub writes when two edits of one field race, or a delete races an
// edit (DESIGN.md, "Merge and conflicts"). Part of the push policy (push_policy.h).
#include <string>

#include "base/result.h"
#include "storage/core/merge.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

// The conflict's id: order-independent, so the same pair of edits gives the same id on every
// path (a hash of the record, the field and both stamps).
std::string ConflictId(const RemoteOp& op, const std::string& field, Stamp a, Stamp b);

// Records the conflict of `op` (applied, the winner per `b_wins`) with the field's value
// `current` stamped `current_stamp` before it, in `scope`: both values, the base the op's
// author started from, both authors, the winner. REQUIRES: `op` was merged in `txn`.
Status RecordEditConflict(HubTxn& txn, const RemoteOp& op, const nlohmann::json& current,
                          const Stamp& current_stamp, bool b_wins, const std::string& scope);

// The hub's answer to a delete racing an edit: a conflict record on the field "deleted" (a =
// the side the hub held, b = the incoming op; "0" is the edit, "1" the delete) and the record
// kept — undeleted by the hub's own op, stamped after both, so every replica shows it until a
// leader resolves the conflict. A saved visit never vanishes because of an unseen delete.
Status KeepRaced(HubTxn& txn, const RemoteOp& op, const DeleteRace& race, const std::string& scope);

}  // namespace gocua::hub_internal
