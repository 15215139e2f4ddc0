// Dedupe, fork and gap detection of the push policy (sync/hub/store/push_sequence.h).
#include "sync/hub/store/push_sequence.h"

#include "storage/core/record_store.h"

namespace gocua::hub_internal {

OriginSeqs::Map::iterator OriginSeqs::Find(const std::string& origin) {
  if (last_ != max_.end() && last_->first == origin) return last_;
  auto it = max_.find(origin);
  if (it != max_.end()) last_ = it;
  return it;
}

Result<int64_t> OriginSeqs::Max(HubTxn& txn, const std::string& origin) {
  if (auto it = Find(origin); it != max_.end()) return it->second;
  auto v = txn.OriginMaxSeq(origin);
  if (!v) return v.error();
  last_ = max_.emplace(origin, *v).first;
  return *v;
}

void OriginSeqs::Advance(const std::string& origin, int64_t seq) {
  if (auto it = Find(origin); it != max_.end())
    it->second = seq;
  else
    last_ = max_.emplace(origin, seq).first;
}

Status OriginSeqs::Save(HubTxn& txn) const {
  for (const auto& [origin, max] : max_)
    if (Status s = txn.SetOriginMaxSeq(origin, max); !s) return s;
  return Status::Ok();
}

bool SamePayload(const RemoteOp& a, const RemoteOp& b) {
  return a.record_type == b.record_type && a.record_id == b.record_id && a.field == b.field &&
         a.value == b.value && a.base == b.base && a.hlc == b.hlc && a.author == b.author &&
         a.seen == b.seen;
}

Result<SeqVerdict> CheckSeq(HubTxn& txn, OriginSeqs& seqs, const RemoteOp& op) {
  SeqVerdict v;
  auto max = seqs.Max(txn, op.origin_device);
  if (!max) return max.error();
  if (op.seq > *max + 1) {
    v.kind = SeqVerdict::Kind::kReject;
    v.rejection = {PushRejection::Kind::kSeqGap, op.origin_device, *max + 1,
                   "expected seq " + std::to_string(*max + 1) + ", got " + std::to_string(op.seq)};
    return v;
  }
  if (op.seq == *max + 1) return v;
  // Processed before: the same answer again, unless the payload differs (a clone).
  v.kind = SeqVerdict::Kind::kRepeat;
  v.repeat.seq = op.seq;
  auto logged = txn.LoggedOp(op.origin_device, op.seq);
  if (!logged) return logged.error();
  if (!logged->has_value()) return v;
  const LogEntry& stored = **logged;
  RemoteOp as_received = stored.op;
  as_received.hlc = stored.orig_hlc;
  // Compare as applied: the hub stored the value normalised (NFC).
  RemoteOp normalised = op;
  if (auto checked = CheckRemoteOp(op)) normalised.value = std::move(*checked);
  if (!SamePayload(as_received, normalised)) {
    v.kind = SeqVerdict::Kind::kReject;
    v.rejection = {PushRejection::Kind::kDeviceFork, op.origin_device, 0,
                   "seq " + std::to_string(op.seq) + " of device " + op.origin_device +
                       " was applied with different content: a cloned device"};
    return v;
  }
  v.repeat.quarantined = !stored.served;
  v.repeat.outcome = OutcomeOf(stored.outcome);
  v.repeat.reason = stored.reason;
  return v;
}

}  // namespace gocua::hub_internal
