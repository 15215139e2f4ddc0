#pragma once
// Exactly-once effect per op (DESIGN.md, "Push"): an op is identified by (origin_device, seq),
// seqs dense per origin. Part of the push policy (push_policy.h).
#include <map>
#include <string>

#include "base/result.h"
#include "storage/core/merge.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

// The highest seq processed per origin during one push: read from the store once per origin,
// moved on as ops are accepted, written back at the end (Save).
class OriginSeqs {
 public:
  OriginSeqs() = default;
  OriginSeqs(const OriginSeqs&) = delete;  // last_ points into this one's map
  OriginSeqs& operator=(const OriginSeqs&) = delete;

  // The highest seq processed from `origin` so far (0 = none).
  Result<int64_t> Max(HubTxn& txn, const std::string& origin);
  void Advance(const std::string& origin, int64_t seq);
  // Writes every origin's max back. REQUIRES: at the end of the push.
  Status Save(HubTxn& txn) const;

 private:
  using Map = std::map<std::string, int64_t>;
  // The entry of `origin`, or max_.end(); the last one found is tried first (a push's ops
  // come from one origin).
  Map::iterator Find(const std::string& origin);

  Map max_;
  Map::iterator last_ = max_.end();  // a map's iterators stay valid as it grows
};

// What to do with one incoming op, by its seq.
struct SeqVerdict {
  enum class Kind {
    kNew,     // the next seq: apply it
    kRepeat,  // processed before: answer `repeat` again
    kReject,  // refuse the whole batch: `rejection` says why (gap or fork)
  } kind = Kind::kNew;
  OpOutcome repeat;
  PushRejection rejection;
};

// Decides `op` against the seqs processed so far: an already-processed seq is a repeat unless
// the log holds a different payload for it (a cloned device: kDeviceFork); a seq past the next
// is a gap (kSeqGap with the expected seq). A database error is an error, never a verdict.
Result<SeqVerdict> CheckSeq(HubTxn& txn, OriginSeqs& seqs, const RemoteOp& op);

// Whether two ops carry the same change (all but origin and seq, which identify them).
bool SamePayload(const RemoteOp& a, const RemoteOp& b);

}  // namespace gocua::hub_internal
