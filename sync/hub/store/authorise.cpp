// Unauthorised and the lookups behind it (sync/hub/store/authorise.h).
#include "sync/hub/store/authorise.h"

#include "storage/core/schema.h"
#include "storage/core/value_check.h"
#include "storage/device/members.h"

namespace gocua::hub_internal {
namespace {

// The types asked about, found once: pointers compare faster than names (every op asks).
struct Types {
  const RecordDef *province, *commune, *topic, *conflict, *visit, *review, *member, *household;
};
const Types& KnownTypes() {
  static const Types kTypes = {FindRecordDef("province"), FindRecordDef("commune"),
                               FindRecordDef("topic"),    FindRecordDef("conflict"),
                               FindRecordDef("visit"),    FindRecordDef("review"),
                               FindRecordDef("member"),   FindRecordDef("household")};
  return kTypes;
}

// Whether `v` is the string `text` (as v == text, without making a json of `text`).
bool IsText(const json& v, std::string_view text) {
  return v.is_string() && v.get_ref<const std::string&>() == text;
}

// The field of `op` that is a reference to another record, if the op writes a non-empty one.
const FieldDef* RefField(const RecordDef* def, const RemoteOp& op) {
  if (!op.value.is_string() || op.value.get_ref<const std::string&>().empty()) return nullptr;
  const FieldDef* f = FindFieldLast(*def, op.field);
  return f && f->kind == FieldKind::kRef ? f : nullptr;
}

// The entry in `cache`, valid until the cache is cleared (a map's nodes stay put).
Result<const MemberFact*> LookUpMember(HubTxn& txn, MemberCache& cache, const std::string& id) {
  if (auto it = cache.find(id); it != cache.end()) return &it->second;
  auto row = txn.PeekRecord(*KnownTypes().member, id);
  if (!row) return row.error();
  MemberFact m;
  m.exists = row->exists && row->values["deleted"] == 0;
  m.commune_id = row->values["commune_id"];
  m.role = row->values["role"];
  return &(cache[id] = std::move(m));
}

Status Scope(HubTxn& txn, std::string_view type, std::string_view id, ScopeFact& out) {
  auto scope = txn.ScopeOf(type, id, &out.found);
  if (!scope) return scope.error();
  out.commune_id.assign(scope->data(), scope->size());
  return Status::Ok();
}

std::string AuthorText(const RemoteOp& op) { return op.author.empty() ? "none" : op.author; }

constexpr const char* kNotLeaderDevice = "only a device enrolled as a leader's";

// Why a device that is not a leader's may not apply `op`, or "". The answer is built only
// when there is one (this runs for every op of such a device).
std::string MemberDeviceRefuses(const RecordDef* def, const RemoteOp& op, const AuthFacts& facts) {
  const Types& t = KnownTypes();
  auto only = [](std::string_view what) { return kNotLeaderDevice + std::string(what); };
  if (def == t.review) return only(" may write a review");
  if (def == t.visit && op.field == "status") {
    if (!IsText(op.value, "pending")) return only(" may approve or return a visit");
    if (facts.stored_status == "approved")
      return only(" may change the status of an approved visit");
  }
  if (def == t.member) {
    if (!facts.record.found) return only(" may add a member");
    if (op.field == "role") return only(" may change a member's role");
    const bool leader = facts.target && facts.target->role == "leader";
    if (op.field == "pin_hash" && leader) return only(" may set a leader's PIN");
    if (op.author != op.record_id || leader)
      return only(" may change another member (" + op.field + ")");
    if (op.field != "name" && op.field != "pin_hash")
      return only(" may change a member's " + op.field);
  }
  return std::string();
}

}  // namespace

std::string Unauthorised(const RemoteOp& op, const AuthFacts& facts) {
  const Types& t = KnownTypes();
  const std::string& type = op.record_type;
  const std::string& commune = facts.device_commune;
  const RecordDef* def = FindRecordDefLast(type);  // not null: `op` passed NormaliseRemoteOp
  if (def == t.province || def == t.commune || def == t.topic)
    return "only the hub changes " + type + " records";
  static const MemberFact kNobody;
  const MemberFact& author = facts.author ? *facts.author : kNobody;
  // Conflicts are the hub's records; a leader of the commune closes one (storage/device/
  // conflicts.h) by writing its status "resolved" and its resolution, as the op's author.
  if (def == t.conflict) {
    if (op.field != "status" && op.field != "resolution")
      return "only the hub changes a conflict; a leader may only resolve it";
    if (op.field == "status" && !IsText(op.value, "resolved"))
      return "a leader may only mark a conflict resolved";
    if (!facts.record.found) return "no such conflict on this hub";
    if (facts.record.commune_id != commune) return "the conflict belongs to another commune";
    if (!author.exists || author.role != "leader" || author.commune_id != commune)
      return "only a leader of the commune may resolve a conflict (author: " + AuthorText(op) + ")";
    if (!facts.device_leader) return kNotLeaderDevice + std::string(" may resolve a conflict");
    return std::string();
  }
  if (facts.record.found && facts.record.commune_id != commune)
    return "the record belongs to another commune";
  // References must point into the same commune (or to everyone's records).
  if (facts.has_ref) {
    const FieldDef* f = FindFieldLast(*def, op.field);
    const char* ref_type = f ? f->ref_type : "record";
    if (!facts.ref.found) return std::string("reference to an unknown ") + ref_type;
    if (!facts.ref.commune_id.empty() && facts.ref.commune_id != commune)
      return std::string("reference to a ") + ref_type + " of another commune";
  }
  if (!op.author.empty() && (!author.exists || author.commune_id != commune))
    return "the author " + op.author + " is not a member of this commune";
  if (def == t.household) {
    const bool village = op.field == "village_id";
    if (village && !(op.value.is_string() && !op.value.get_ref<const std::string&>().empty()))
      return "a household must name its village (village_id is empty)";
    if (!village && !facts.record.found)
      return "a new household must name its village first (its first op is not village_id)";
  }
  if (def == t.member && op.field == "pin_hash" &&
      !(op.value.is_string() && IsCurrentPinHash(op.value.get_ref<const std::string&>())))
    return "a PIN hash must be pbkdf2-sha256 with " + std::to_string(kPinIterations) +
           " iterations (storage/device/members.h)";
  if (!facts.device_leader)
    if (std::string why = MemberDeviceRefuses(def, op, facts); !why.empty()) return why;
  // Approving or returning a visit is a leader's decision, checked on the op's author (ops
  // without an author cannot do it).
  if (def == t.visit && op.field == "status" &&
      (IsText(op.value, "approved") || IsText(op.value, "returned")) && author.role != "leader")
    return "only a leader of the commune may approve or return a visit (author: " + AuthorText(op) +
           ")";
  // A review is a leader's: its leader_id must name a leader of this commune.
  if (def == t.review) {
    const MemberFact& leader = facts.reviewer ? *facts.reviewer : kNobody;
    if (!leader.exists || leader.role != "leader" || leader.commune_id != commune)
      return "a review must come from a leader of the commune";
  }
  return std::string();
}

Status GatherAuthFacts(HubTxn& txn, MemberCache& members, NewVisits& new_visits,
                       const HubDevice& device, const RemoteOp& op, AuthFacts& facts) {
  const std::string& commune = device.commune_id;
  facts.device_leader = device.role == Role::kLeader;
  const Types& t = KnownTypes();
  const RecordDef* def = FindRecordDefLast(op.record_type);
  facts.device_commune.assign(commune);
  facts.ref.found = facts.has_ref = false;
  facts.ref.commune_id.clear();
  facts.author = facts.reviewer = facts.target = nullptr;
  facts.stored_status.clear();
  if (def == t.province || def == t.commune || def == t.topic) {
    facts.ForgetRecord();
    facts.record.found = false;
    facts.record.commune_id.clear();
    return Status::Ok();
  }
  if (!facts.record_read || facts.record_id != op.record_id ||
      facts.record_type != op.record_type) {
    facts.ForgetRecord();
    if (Status s = Scope(txn, op.record_type, op.record_id, facts.record); !s) return s;
    facts.record_type.assign(op.record_type);
    facts.record_id.assign(op.record_id);
    facts.record_read = true;
  }
  if (def == t.visit && !facts.record.found) new_visits.insert(op.record_id);
  if (def != t.conflict)
    if (const FieldDef* f = RefField(def, op)) {
      facts.has_ref = true;
      if (Status s = Scope(txn, f->ref_type, op.value.get_ref<const std::string&>(), facts.ref); !s)
        return s;
    }
  if (!op.author.empty()) {
    auto m = LookUpMember(txn, members, op.author);
    if (!m) return m.error();
    facts.author = *m;
  }
  // The review's author is checked on its first field, leader_id (see schema.cpp), and later
  // fields follow the stored one.
  if (def == t.review) {
    std::string leader =
        op.field == "leader_id" && op.value.is_string() ? op.value.get<std::string>() : "";
    if (leader.empty()) {
      auto row = txn.PeekRecord(*def, op.record_id);
      if (!row) return row.error();
      leader = row->values["leader_id"];
    }
    auto m = LookUpMember(txn, members, leader);
    if (!m) return m.error();
    facts.reviewer = *m;
  }
  if (def == t.member) {
    auto m = LookUpMember(txn, members, op.record_id);
    if (!m) return m.error();
    facts.target = *m;
  }
  // The stored status is read only where Unauthorised reads it (MemberDeviceRefuses: a
  // device that is not a leader's setting "pending") and only where it can be "approved": a
  // visit the hub had before this push (NewVisits).
  if (def == t.visit && op.field == "status" && !facts.device_leader &&
      IsText(op.value, "pending") && !new_visits.contains(op.record_id)) {
    auto row = txn.PeekRecord(*def, op.record_id);
    if (!row) return row.error();
    if (const json& v = row->values["status"]; row->exists && v.is_string())
      facts.stored_status = v.get<std::string>();
  }
  return Status::Ok();
}

}  // namespace gocua::hub_internal
