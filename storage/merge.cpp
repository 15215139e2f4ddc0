#include "storage/merge.h"

namespace gocua {

bool StampAfter(const Stamp& a, const Stamp& b) {
  if (a.hlc != b.hlc) return a.hlc > b.hlc;
  return a.device > b.device;
}

MergeDecision DecideMerge(const nlohmann::json& current, const Stamp& current_stamp,
                          const RemoteOp& op) {
  const Stamp incoming = op.stamp();
  if (incoming == current_stamp) return {MergeOutcome::kMerged, false};  // already here
  const bool written = current_stamp.hlc != 0 || !current_stamp.device.empty();
  const bool concurrent = written && op.base != current_stamp && op.value != current;
  const bool wins = StampAfter(incoming, current_stamp);
  if (concurrent) return {MergeOutcome::kConflict, wins};
  return {wins ? MergeOutcome::kApplied : MergeOutcome::kMerged, wins};
}

}  // namespace gocua
