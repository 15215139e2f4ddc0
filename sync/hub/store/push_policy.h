#pragma once
// The hub's push, written once for every store (DESIGN.md, "Push" and "Merge and conflicts"):
// per op, in order — the seq (push_sequence.h: repeat, gap, fork), the schema check
// (NormaliseRemoteOp), authorisation (authorise.h), quarantine, clamping (clamp.h), the merge
// with delete races and conflict records (conflicts.h), the scope of a new record, the log.
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

// The message of the error ApplyPush returns for a rejected batch (result.rejection says why):
// the store rolls the transaction back and answers the rejection, not an error.
inline constexpr char kRejected[] = "push rejected";

// Applies `ops` from `device` through `txn` and fills `result`. Any error — a rejection
// (result->rejection.kind != kNone) or a store failure — means: roll back. `ops` are taken.
// An op that follows (PushOps) is applied as the op with the op before's origin, record and
// author: the same answers as for the whole op.
// REQUIRES: inside the store's write transaction that `txn` belongs to.
Status ApplyPush(HubTxn& txn, const HubDevice& device, PushOps ops, HubPushResult* result);

}  // namespace gocua::hub_internal
