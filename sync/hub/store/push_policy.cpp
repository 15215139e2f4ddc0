// ApplyPush (sync/hub/store/push_policy.h).
#include "sync/hub/store/push_policy.h"

#include <optional>

#include "storage/core/record_store.h"
#include "sync/hub/store/authorise.h"
#include "sync/hub/store/clamp.h"
#include "sync/hub/store/conflicts.h"
#include "sync/hub/store/push_sequence.h"

namespace gocua::hub_internal {
namespace {

// Merges the authorised `entry` (its op normalised and clamped), records any conflict, scopes
// a new record to `commune` and logs the op. Returns the op's outcome. `scope` is the record's
// scope as GatherAuthFacts read it for this op (a scope is fixed once set, and nothing between
// that read and this call scopes records); a new record's is updated here. `entry` is moved
// into the log (its contents are unspecified after).
Result<MergeOutcome> MergeAndLog(HubTxn& txn, const std::string& commune, ScopeFact& scope,
                                 LogEntry& entry) {
  // A delete racing an edit (FindDeleteRace) is a conflict like two edits of one field,
  // decided against the record as it was before this op. (Not reading a record whose scope
  // was not found was tried: a random push test found a record with a row the scope facts
  // called unseen, so every record is read.)
  auto raced = txn.DeleteRaceOf(entry.op);
  if (!raced) return raced.error();
  std::optional<DeleteRace> race = *raced;
  nlohmann::json current;
  Stamp current_stamp;
  auto decision = txn.Merge(entry.op, &current, &current_stamp);
  if (!decision) return decision.error();
  if (race && !race->edit_incoming && !decision->write) race.reset();  // the delete lost
  if (race) decision->outcome = MergeOutcome::kConflict;
  if (!scope.found) {
    if (Status s = txn.SetScope(entry.op.record_type, entry.op.record_id, commune); !s) return s;
    scope.found = true;
    scope.commune_id = commune;
  }
  entry.commune_id = scope.commune_id;
  entry.outcome = OutcomeText(decision->outcome);
  const MergeOutcome outcome = decision->outcome;
  if (!race && outcome != MergeOutcome::kConflict) {
    if (Status s = txn.AppendLog(std::move(entry)); !s) return s;
    return outcome;
  }
  // A conflict: the op is logged before the hub's own ops that record it.
  if (Status s = txn.AppendLog(LogEntry(entry)); !s) return s;
  if (race) {
    if (Status s = KeepRaced(txn, entry.op, *race, entry.commune_id); !s) return s;
  } else {
    if (Status s = RecordEditConflict(txn, entry.op, current, current_stamp, decision->write,
                                      entry.commune_id);
        !s)
      return s;
  }
  return outcome;
}

}  // namespace

Status ApplyPush(HubTxn& txn, const HubDevice& device, PushOps push, HubPushResult* result) {
  std::vector<RemoteOp>& ops = push.ops;
  if (push.Follows(0)) return {ErrorCode::kInternal, "push: its first op follows no op"};
  // Relaying other devices' ops (tiers) is not supported yet: a foreign origin would use up
  // that device's seqs. Refuse the batch before anything is applied. (An op that follows has
  // the origin of the op before.)
  for (size_t i = 0; i < ops.size(); ++i)
    if (!push.Follows(i) && ops[i].origin_device != device.device_id) {
      result->rejection = {
          PushRejection::Kind::kBadRequest, ops[i].origin_device, 0,
          "ops must come from the pushing device (origin " + ops[i].origin_device + ")"};
      return {ErrorCode::kInvalidInput, kRejected};
    }
  const int64_t now = txn.NowMs();
  OriginSeqs seqs;
  MemberCache members;
  NewVisits new_visits;
  AuthFacts facts;
  // One entry for every op, each part set again below: what AppendLog leaves in it is
  // unspecified, and may be storage the store hands back for reuse (no allocation for the
  // pusher's id and the commune, copied into every entry).
  LogEntry entry;
  // The origin, record and author of the last op that did not follow: what an op that follows
  // has (copied into the entry's storage, which AppendLog hands back: no allocation).
  struct {
    std::string origin, type, id, author;
  } run;
  result->outcomes.reserve(ops.size());
  for (size_t i = 0; i < ops.size(); ++i) {
    // The op is moved into the entry (whole: its shared parts from `run`): entry.op is the op
    // as received until a clamp.
    entry.orig_hlc = ops[i].hlc;
    entry.op = std::move(ops[i]);
    RemoteOp& op = entry.op;
    if (push.Follows(i)) {
      op.origin_device.assign(run.origin);
      op.record_type.assign(run.type);
      op.record_id.assign(run.id);
      op.author.assign(run.author);
    } else {
      run.origin.assign(op.origin_device);
      run.type.assign(op.record_type);
      run.id.assign(op.record_id);
      run.author.assign(op.author);
    }
    auto max = seqs.Max(txn, op.origin_device);
    if (!max) return max.error();
    if (op.seq != *max + 1) {  // not the next seq: CheckSeq says what it is
      auto verdict = CheckSeq(txn, seqs, op);
      if (!verdict) return verdict.error();
      if (verdict->kind == SeqVerdict::Kind::kReject) {
        result->rejection = std::move(verdict->rejection);
        return {ErrorCode::kConflict, kRejected};
      }
      if (verdict->kind == SeqVerdict::Kind::kRepeat) {
        result->outcomes.push_back(std::move(verdict->repeat));
        continue;
      }
    }
    seqs.Advance(op.origin_device, op.seq);

    OpOutcome out;
    out.seq = op.seq;
    entry.commune_id.clear();
    entry.served = true;
    entry.outcome.clear();
    entry.reason.clear();
    entry.pushed_by = device.device_id;
    entry.server_seq = entry.received_at = 0;
    entry.value_bytes = 0;
    std::string reason;
    if (Status checked = NormaliseRemoteOp(entry.op); !checked) {  // as CheckRemoteOp, in place
      reason = checked.message();
    } else {
      if (entry.op.record_type == "member") members.clear();
      if (Status s = GatherAuthFacts(txn, members, new_visits, device, entry.op, facts); !s)
        return s;
      reason = Unauthorised(entry.op, facts);
    }
    if (!reason.empty()) {  // quarantined: kept with its content, never served
      entry.served = false;
      entry.outcome = "quarantined";
      entry.reason = reason;
      entry.commune_id = device.commune_id;
      if (Status s = txn.AppendLog(std::move(entry)); !s) return s;
      out.quarantined = true;
      out.reason = std::move(reason);
      result->outcomes.push_back(std::move(out));
      continue;
    }
    if (ClampFutureStamp(txn, now, entry.op)) entry.reason = kClampedReason;
    auto outcome = MergeAndLog(txn, device.commune_id, facts.record, entry);
    if (!outcome) return outcome.error();
    // A conflict writes records of its own (and may scope them): read scopes afresh.
    if (*outcome == MergeOutcome::kConflict) facts.ForgetRecord();
    out.outcome = *outcome;
    result->outcomes.push_back(std::move(out));
  }
  if (Status s = seqs.Save(txn); !s) return s;
  if (Status s = txn.TouchDevice(device.device_id, now); !s) return s;
  auto acked = txn.OriginMaxSeq(device.device_id);
  if (!acked) return acked.error();
  result->acked_seq = *acked;
  return Status::Ok();
}

}  // namespace gocua::hub_internal
