#pragma once
// Who may change what on the hub (DESIGN.md, "Auth and scope"), as a pure function of what
// the store says about an op — and the lookups that gather those facts.
//
// Unauthorised reads nothing but its arguments and the static schema (storage/core/schema.h):
// the same facts give the same answer on every store. GatherAuthFacts asks the store
// transaction for exactly the facts Unauthorised reads for that op.
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/result.h"
#include "storage/core/merge.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

// A record's scope as the store has it.
struct ScopeFact {
  bool found = false;      // the hub has seen the record
  std::string commune_id;  // its commune, "" = everyone's
};

// A member record as the store has it (merged so far in this push).
struct MemberFact {
  bool exists = false;  // present and not deleted
  std::string commune_id, role;
};

// What Unauthorised reads besides the op. Kept across the ops of a push (its strings' storage
// is reused); the member pointers point into a MemberCache (or a test's own facts).
struct AuthFacts {
  std::string device_commune;  // the pushing device's commune
  bool device_leader = false;  // the pushing device was enrolled (or set) as a leader's
  ScopeFact record;            // the op's record (a conflict's too)
  // Which record `record` holds: GatherAuthFacts reads the scope again only for another record
  // (a push sends each record's ops together). Whoever changes that record's scope during the
  // push updates `record` (MergeAndLog scopes a new record) or calls ForgetRecord().
  bool record_read = false;
  std::string record_type, record_id;
  void ForgetRecord() { record_read = false; }
  // A reference field's value (a non-empty id): the scope of the record it names.
  bool has_ref = false;
  ScopeFact ref;
  const MemberFact* author = nullptr;    // op.author's member record; null: the op names none
  const MemberFact* reviewer = nullptr;  // a review: the member its leader_id names
  const MemberFact* target = nullptr;    // a member op: the member record it changes
  std::string stored_status;             // a visit's status op: the visit's status as stored
};

// Why `op` (its type, field, value and author; value normalised) may not be applied when it
// comes from a device of facts.device_commune, or "" when it may. Reads only its arguments and
// the static schema. The rules, in the order they are checked:
//  - province, commune and topic records are the hub's own;
//  - a conflict: only its status (to "resolved") and resolution, by a leader of the conflict's
//    commune, on a conflict of this hub in the device's commune;
//  - the record belongs to the device's commune (or is new);
//  - a reference points to a known record of this commune or everyone's;
//  - a named author is a member of the commune;
//  - a household names a village: its first op (a new household) is a non-empty village_id,
//    and village_id is never emptied;
//  - a member's PIN hash is of the current scheme (storage/device/members.h), from any device;
//  - from a device that is not a leader's: no review, no conflict, no new member, no role, no
//    leader's PIN, no other member's record; a visit's status only to "pending" and never
//    from "approved";
//  - approving or returning a visit is a leader's (the author's role);
//  - a review's leader_id names a leader of the commune.
// Conflicts are checked before the commune rules (the device must be a leader's too).
std::string Unauthorised(const RemoteOp& op, const AuthFacts& facts);

// Members looked up during one push, by id; clear it when the push changes a member record.
using MemberCache = std::map<std::string, MemberFact>;

// The visits of one push that the hub had not seen before it (unscoped at their first op in
// the push). Only the pushing device writes them during the push, so their stored status is
// one its accepted ops wrote: from a device that is not a leader's, never "approved"
// (Unauthorised refuses any other status than "pending" from it). GatherAuthFacts then
// leaves facts.stored_status "" for them instead of reading the record (a read of the whole
// row per visit status op was a tenth of a push's hub instructions).
using NewVisits = std::unordered_set<std::string>;

// Fills `facts` with what Unauthorised reads for `op` from `device`, from `txn`; notes a visit
// the hub has not seen in `new_visits` (one set per push). facts.record is kept when it holds
// the op's record already (AuthFacts::record_read).
// REQUIRES: `op` passed NormaliseRemoteOp. `facts` is valid until `members` changes.
Status GatherAuthFacts(HubTxn& txn, MemberCache& members, NewVisits& new_visits,
                       const HubDevice& device, const RemoteOp& op, AuthFacts& facts);

}  // namespace gocua::hub_internal
