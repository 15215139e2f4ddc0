#pragma once
// Stamps from the future (DESIGN.md, "Stamps"): the first hub that receives an op clamps a
// stamp more than kFutureToleranceMs ahead of its clock, once; the stamp then travels
// unchanged. Part of the push policy (push_policy.h).
#include <cstdint>

#include "storage/core/ids.h"
#include "storage/core/merge.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

inline constexpr int64_t kFutureToleranceMs = 5 * 60 * 1000;

// Whether a stamp `hlc` is from the future for a hub whose clock says `now_ms`.
inline bool FromTheFuture(int64_t hlc, int64_t now_ms) {
  return HlcMillis(hlc) > now_ms + kFutureToleranceMs;
}

// The reason a log entry gives for a clamped stamp.
inline constexpr char kClampedReason[] = "stamp from the future clamped (device clock ahead)";

// Clamps `op`'s stamp to a hub stamp after `now_ms` if it is from the future; true if it did.
inline bool ClampFutureStamp(HubTxn& txn, int64_t now_ms, RemoteOp& op) {
  if (!FromTheFuture(op.hlc, now_ms)) return false;
  op.hlc = txn.StampAfter(now_ms);
  return true;
}

}  // namespace gocua::hub_internal
