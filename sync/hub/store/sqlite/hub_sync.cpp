// HubStore::Push and HubStore::Pull: the hub's side of sync (sync/hub/store/hub_store.h).
#include <map>
#include <optional>

#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/hub_store.h"
#include "storage/core/merge_batch.h"
#include "storage/core/record_store.h"
#include "storage/core/value_check.h"

namespace gocua {
using namespace hub_internal;
namespace {

constexpr int64_t kFutureToleranceMs = 5 * 60 * 1000;

// An error Transact returns to unwind a rejected batch; the rejection says why.
const char kRejected[] = "push rejected";

// A member as the authorisation checks see it. Cached for one push; a push that changes a
// member record clears the cache.
struct MemberInfo {
  bool exists = false;
  std::string commune_id, role;
};
using MemberCache = std::map<std::string, MemberInfo>;

// The entry in `cache`, valid until the cache is cleared (a map's nodes stay put).
Result<const MemberInfo*> LookUpMember(MergeBatch& batch, MemberCache& cache,
                                       const std::string& id) {
  if (auto it = cache.find(id); it != cache.end()) return &it->second;
  auto row = batch.Peek(*FindRecordDef("member"), id);
  if (!row) return row.error();
  MemberInfo m;
  m.exists = row->exists && row->values["deleted"] == 0;
  m.commune_id = row->values["commune_id"];
  m.role = row->values["role"];
  return &(cache[id] = std::move(m));
}

// Why `op` (from a device of `commune`) may not be applied, or "" when it may.
Result<std::string> Unauthorised(Database::Impl& d, MergeBatch& batch, MemberCache& members,
                                 ScopeCache& scopes, const std::string& commune,
                                 const RemoteOp& op, const json& value) {
  const std::string& type = op.record_type;
  // The types asked about, found once: pointers compare faster than names (every op asks).
  static const struct {
    const RecordDef *province, *commune, *topic, *conflict, *visit, *review;
  } kTypes = {FindRecordDef("province"), FindRecordDef("commune"), FindRecordDef("topic"),
              FindRecordDef("conflict"), FindRecordDef("visit"),   FindRecordDef("review")};
  const RecordDef* def = FindRecordDefLast(type);  // not null: `op` passed NormaliseRemoteOp
  if (def == kTypes.province || def == kTypes.commune || def == kTypes.topic)
    return "only the hub changes " + type + " records";
  Status st;
  // Conflicts are the hub's records; a leader of the commune closes one (storage/device/conflicts.h)
  // by writing its status "resolved" and its resolution, as the op's author. Nothing else.
  if (def == kTypes.conflict) {
    if (op.field != "status" && op.field != "resolution")
      return std::string("only the hub changes a conflict; a leader may only resolve it");
    if (op.field == "status" && value != "resolved")
      return std::string("a leader may only mark a conflict resolved");
    auto q =
        d.Prepare("SELECT commune_id FROM hub_scope WHERE record_type = ? AND record_id = ?", &st);
    if (!q) return st;
    q->Bind(1, type).Bind(2, op.record_id);
    if (q->Step() != SQLITE_ROW) return std::string("no such conflict on this hub");
    if (q->Text(0) != commune) return std::string("the conflict belongs to another commune");
    MemberInfo author;
    if (!op.author.empty()) {
      auto m = LookUpMember(batch, members, op.author);
      if (!m) return m.error();
      author = **m;
    }
    if (!author.exists || author.role != "leader" || author.commune_id != commune)
      return std::string("only a leader of the commune may resolve a conflict (author: ") +
             (op.author.empty() ? "none" : op.author) + ")";
    return std::string();
  }
  // The record's commune.
  {
    bool found = false;
    auto scope = scopes.Of(d, type, op.record_id, &found);
    if (!scope) return scope.error();
    if (found && *scope != commune) return std::string("the record belongs to another commune");
  }
  // References must point into the same commune (or to everyone's records).
  const FieldDef* f = def->Field(op.field);
  if (f && f->kind == FieldKind::kRef && value.is_string() &&
      !value.get_ref<const std::string&>().empty()) {
    bool found = false;
    auto scope = scopes.Of(d, f->ref_type, value.get_ref<const std::string&>(), &found);
    if (!scope) return scope.error();
    if (!found) return std::string("reference to an unknown ") + f->ref_type;
    if (!scope->empty() && *scope != commune)
      return std::string("reference to a ") + f->ref_type + " of another commune";
  }
  // The author, when the op names one, is a member of this commune.
  if (!op.author.empty()) {
    auto author = LookUpMember(batch, members, op.author);
    if (!author) return author.error();
    if (!(*author)->exists || (*author)->commune_id != commune)
      return "the author " + op.author + " is not a member of this commune";
  }
  // Approving or returning a visit is a leader's decision, checked on the op's author (ops
  // without an author cannot do it).
  if (def == kTypes.visit && op.field == "status" &&
      (value == "approved" || value == "returned")) {
    MemberInfo author;
    if (!op.author.empty()) {
      auto m = LookUpMember(batch, members, op.author);
      if (!m) return m.error();
      author = **m;
    }
    if (author.role != "leader")
      return std::string("only a leader of the commune may approve or return a visit (author: ") +
             (op.author.empty() ? "none" : op.author) + ")";
  }
  // A review is a leader's: its leader_id must name a leader of this commune. The author is
  // checked on the first field, leader_id (see schema.cpp), and later fields follow it.
  if (def == kTypes.review) {
    std::string leader =
        op.field == "leader_id" && value.is_string() ? value.get<std::string>() : "";
    if (leader.empty()) {
      auto row = batch.Peek(*FindRecordDef("review"), op.record_id);
      if (!row) return row.error();
      leader = row->values["leader_id"];
    }
    auto member = LookUpMember(batch, members, leader);
    if (!member) return member.error();
    if (!(*member)->exists || (*member)->role != "leader" || (*member)->commune_id != commune)
      return std::string("a review must come from a leader of the commune");
  }
  return std::string();
}

// Order-independent: the same pair of edits gives the same id on every path.
std::string ConflictId(const RemoteOp& op, const std::string& field, Stamp a, Stamp b) {
  if (StampAfter(a, b)) std::swap(a, b);
  return Sha256Hex(op.record_type + "|" + op.record_id + "|" + field + "|" +
                   std::to_string(a.hlc) + "|" + a.device + "|" + std::to_string(b.hlc) + "|" +
                   b.device)
      .substr(0, 32);
}

// What the hub logged for the change stamped `stamp` on a record: its value of `field` (any
// field when "") and its author. Read from the origin's part of the log (the UNIQUE(origin,
// seq) index), so it costs a scan of one device's rows: only conflicts ask. `found` is false
// for a change the log does not hold.
struct LoggedChange {
  bool found = false;
  json value;
  std::string author;
};
Result<LoggedChange> FindLogged(Database::Impl& d, const std::string& type, const std::string& id,
                                const std::string& field, const Stamp& stamp) {
  Status s;
  auto q = d.Prepare(std::string("SELECT ") + kLogColumns +
                         " FROM hub_log WHERE origin_device = ? AND record_type = ? "
                         "AND record_id = ? ORDER BY seq",
                     &s);
  if (!q) return s;
  q->Bind(1, stamp.device).Bind(2, type).Bind(3, id);
  LoggedChange out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    auto ops = ExpandLogRow(*q);
    if (!ops) return ops.error();
    for (LogEntry& e : *ops)
      if (e.op.hlc == stamp.hlc && (field.empty() || e.op.field == field)) {
        out.found = true;
        out.value = std::move(e.op.value);
        out.author = std::move(e.op.author);
        return out;
      }
  }
  if (rc != SQLITE_DONE) return d.Error("conflict history", rc);
  return out;
}

// The value the author of `op` started from (its base), as JSON text: the field's default for
// a field never written, "" when the log does not hold it.
Result<std::string> BaseValueText(Database::Impl& d, const RemoteOp& op) {
  const FieldDef* f = FindRecordDef(op.record_type)->Field(op.field);
  if (op.base.hlc == 0) return f ? DefaultValue(*f).dump() : std::string();
  auto base = FindLogged(d, op.record_type, op.record_id, op.field, op.base);
  if (!base) return base.error();
  return base->found ? base->value.dump() : std::string();
}

// The hub's answer to a delete racing an edit: a conflict record on the field "deleted" (a =
// the side the hub held, b = the incoming op; "0" is the edit, "1" the delete) and the record
// kept — undeleted by the hub's own op, stamped after both, so every replica shows it until a
// leader resolves the conflict. A saved visit never vanishes because of an unseen delete.
Status KeepRaced(Database::Impl& d, MergeBatch& batch, const RemoteOp& op, const DeleteRace& race,
                 const std::string& scope) {
  if (Status s = batch.Flush(); !s) return s;  // HubWrite reads and writes the record itself
  const Stamp& held = race.edit_incoming ? race.delete_stamp : race.edit_stamp;
  const Stamp& incoming = race.edit_incoming ? race.edit_stamp : race.delete_stamp;
  const std::string id = ConflictId(op, "deleted", race.delete_stamp, race.edit_stamp);
  auto held_change = FindLogged(d, op.record_type, op.record_id, "", held);
  if (!held_change) return held_change.error();
  if (Status s = HubWrite(d, "conflict", id,
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
  return HubWrite(d, op.record_type.c_str(), op.record_id, {{"deleted", 0}}, scope);
}

// The logged op `seq` of `origin`, if the log holds it: in the row whose run covers it.
Result<std::optional<LogEntry>> LoggedOp(Database::Impl& d, const std::string& origin,
                                         int64_t seq) {
  Status s;
  auto q = d.Prepare(std::string("SELECT ") + kLogColumns +
                         " FROM hub_log WHERE origin_device = ? AND seq <= ? "
                         "ORDER BY seq DESC LIMIT 1",
                     &s);
  if (!q) return s;
  q->Bind(1, origin).Bind(2, seq);
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return std::optional<LogEntry>();
  if (rc != SQLITE_ROW) return d.Error("hub log", rc);
  auto ops = ExpandLogRow(*q);
  if (!ops) return ops.error();
  const int64_t i = seq - ops->front().op.seq;
  if (i >= static_cast<int64_t>(ops->size())) return std::optional<LogEntry>();
  return std::optional<LogEntry>(std::move((*ops)[static_cast<size_t>(i)]));
}

bool SamePayload(const RemoteOp& a, const RemoteOp& b) {
  return a.record_type == b.record_type && a.record_id == b.record_id && a.field == b.field &&
         a.value == b.value && a.base == b.base && a.hlc == b.hlc && a.author == b.author &&
         a.seen == b.seen;
}

// PRAGMA data_version: it changes when another connection (an admin command, another
// process) commits to the file, and only then.
Result<int64_t> DataVersion(Database::Impl& d) {
  Status st;
  static const std::string kSql = "PRAGMA data_version";
  auto q = d.Prepare(kSql, &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("data version", rc);
  return q->Int(0);
}

}  // namespace

ScopeCache& HubStore::KeptScopes(int64_t data_version) {
  if (!scopes_ || data_version != scopes_version_ || scopes_->size() > kMaxKeptScopes)
    scopes_ = std::make_unique<ScopeCache>();
  scopes_version_ = data_version;
  scopes_->ForgetUnseen();
  return *scopes_;
}

Result<HubPushResult> HubStore::Push(const HubDevice& device, std::vector<RemoteOp> ops) {
  Database::Impl& d = db_->impl();
  HubPushResult result;
  Status st = d.Transact([&]() -> Status {
    std::map<std::string, int64_t> origin_max;
    auto max_of = [&](const std::string& origin) -> Result<int64_t> {
      auto it = origin_max.find(origin);
      if (it != origin_max.end()) return it->second;
      Status s;
      auto q = d.Prepare("SELECT max_seq FROM hub_origins WHERE origin_device = ?", &s);
      if (!q) return s;
      q->Bind(1, origin);
      int64_t v = q->Step() == SQLITE_ROW ? q->Int(0) : 0;
      origin_max[origin] = v;
      return v;
    };
    const int64_t now = d.clock->NowMs();
    MergeBatch batch(d);  // a run of ops on one record reads and writes it once
    LogWriter log;        // and is logged as one row
    MemberCache members;
    auto version = DataVersion(d);
    if (!version) return version.error();
    ScopeCache& scopes = KeptScopes(*version);
    // Relaying other devices' ops (tiers) is not supported yet: a foreign origin would use up
    // that device's seqs. Refuse the batch before anything is applied.
    for (const RemoteOp& op : ops)
      if (op.origin_device != device.device_id) {
        result.rejection = {
            PushRejection::Kind::kBadRequest, op.origin_device, 0,
            "ops must come from the pushing device (origin " + op.origin_device + ")"};
        return {ErrorCode::kInvalidInput, kRejected};
      }
    for (RemoteOp& incoming : ops) {
      OpOutcome out;
      out.seq = incoming.seq;
      out.origin_device = incoming.origin_device;
      auto max = max_of(incoming.origin_device);
      if (!max) return max.error();
      if (incoming.seq <= *max) {
        // Processed before: the same answer again, unless the payload differs (a clone).
        auto logged = LoggedOp(d, incoming.origin_device, incoming.seq);
        if (!logged) return logged.error();
        if (logged->has_value()) {
          const LogEntry& stored = **logged;
          RemoteOp as_received = stored.op;
          as_received.hlc = stored.orig_hlc;
          // Compare as applied: the hub stored the value normalised (NFC).
          RemoteOp normalised = incoming;
          if (auto v = CheckRemoteOp(incoming)) normalised.value = std::move(*v);
          if (!SamePayload(as_received, normalised)) {
            result.rejection = {PushRejection::Kind::kDeviceFork, incoming.origin_device, 0,
                                "seq " + std::to_string(incoming.seq) + " of device " +
                                    incoming.origin_device +
                                    " was applied with different content: a cloned device"};
            return {ErrorCode::kConflict, kRejected};
          }
          out.quarantined = !stored.served;
          out.outcome = OutcomeOf(stored.outcome);
          out.reason = stored.reason;
        }
        result.outcomes.push_back(std::move(out));
        continue;
      }
      if (incoming.seq != *max + 1) {
        result.rejection = {
            PushRejection::Kind::kSeqGap, incoming.origin_device, *max + 1,
            "expected seq " + std::to_string(*max + 1) + ", got " + std::to_string(incoming.seq)};
        return {ErrorCode::kConflict, kRejected};
      }
      origin_max[incoming.origin_device] = incoming.seq;

      // `incoming` is moved into the entry: `op` below is the op as received until a clamp.
      LogEntry entry;
      entry.orig_hlc = incoming.hlc;
      entry.op = std::move(incoming);
      const RemoteOp& op = entry.op;
      entry.pushed_by = device.device_id;
      const Status checked = NormaliseRemoteOp(entry.op);  // as CheckRemoteOp, in place
      std::string reason;
      if (!checked) {
        reason = checked.message();
      } else {
        if (op.record_type == "member") members.clear();
        auto why = Unauthorised(d, batch, members, scopes, device.commune_id, op, op.value);
        if (!why) return why.error();
        reason = *why;
      }
      if (!reason.empty()) {
        entry.served = false;
        entry.outcome = "quarantined";
        entry.reason = reason;
        entry.commune_id = device.commune_id;
        if (Status s = log.Add(d, std::move(entry)); !s) return s;
        out.quarantined = true;
        out.reason = reason;
        result.outcomes.push_back(std::move(out));
        continue;
      }
      // A stamp from the future is clamped to the hub's clock, once, here.
      if (HlcMillis(entry.op.hlc) > now + kFutureToleranceMs) {
        d.ObserveHlc(MakeHlc(now, 0));
        entry.op.hlc = d.NextHlc();
        entry.reason = "stamp from the future clamped (device clock ahead)";
      }
      // A delete racing an edit (FindDeleteRace) is a conflict like two edits of one field,
      // decided against the record as it was before this op.
      auto raced = batch.DeleteRaceOf(entry.op);
      if (!raced) return raced.error();
      std::optional<DeleteRace> race = *raced;
      json current;
      Stamp current_stamp;
      auto decision = batch.Merge(entry.op, &current, &current_stamp);
      if (!decision) return decision.error();
      if (race && !race->edit_incoming && !decision->write) race.reset();  // the delete lost
      if (race) decision->outcome = MergeOutcome::kConflict;
      bool found = false;
      auto scope = scopes.Of(d, entry.op.record_type, entry.op.record_id, &found);
      if (!scope) return scope.error();
      if (!found) {
        if (Status s = scopes.Set(d, entry.op.record_type, entry.op.record_id, device.commune_id);
            !s)
          return s;
        scope = std::string_view(device.commune_id);
      }
      entry.commune_id = *scope;
      entry.outcome = OutcomeText(decision->outcome);
      const bool conflict = race || decision->outcome == MergeOutcome::kConflict;
      // A conflict reads the log and logs the hub's own ops after this one.
      if (Status s = conflict ? log.Add(d, entry) : log.Add(d, std::move(entry)); !s) return s;
      if (conflict)
        if (Status s = log.Flush(d); !s) return s;
      if (race) {
        if (Status s = KeepRaced(d, batch, entry.op, *race, entry.commune_id); !s) return s;
        scopes.ForgetUnseen();  // HubWrite scoped the conflict
        log.ForgetNextSeq();    // and logged its ops
      } else if (decision->outcome == MergeOutcome::kConflict) {
        if (Status s = batch.Flush(); !s) return s;
        const std::string id = ConflictId(entry.op, entry.op.field, current_stamp, entry.op.stamp());
        const bool b_wins = decision->write;
        auto held_change =
            FindLogged(d, entry.op.record_type, entry.op.record_id, entry.op.field, current_stamp);
        if (!held_change) return held_change.error();
        auto base = BaseValueText(d, entry.op);
        if (!base) return base.error();
        if (Status s = HubWrite(d, "conflict", id,
                                {{"record_type", entry.op.record_type},
                                 {"record_id", entry.op.record_id},
                                 {"field", entry.op.field},
                                 {"value_a", current.dump()},
                                 {"value_b", entry.op.value.dump()},
                                 {"device_a", current_stamp.device},
                                 {"device_b", entry.op.origin_device},
                                 {"hlc_a", current_stamp.hlc},
                                 {"hlc_b", entry.op.hlc},
                                 {"value_base", *base},
                                 {"author_a", held_change->author},
                                 {"author_b", entry.op.author},
                                 {"winner", b_wins ? "b" : "a"},
                                 {"status", "open"}},
                                entry.commune_id);
            !s)
          return s;
        scopes.ForgetUnseen();  // HubWrite scoped the conflict
        log.ForgetNextSeq();    // and logged its ops
      }
      out.outcome = decision->outcome;
      result.outcomes.push_back(std::move(out));
    }
    if (Status s = batch.Flush(); !s) return s;
    if (Status s = log.Flush(d); !s) return s;
    for (const auto& [origin, max] : origin_max)
      if (Status s = SetOrigin(d, origin, max); !s) return s;
    Status s;
    auto q = d.Prepare("UPDATE hub_devices SET last_seen = ? WHERE device_id = ?", &s);
    if (q) q->Bind(1, now).Bind(2, device.device_id);
    if (Status r = Run(d, std::move(q), s, "last seen"); !r) return r;
    auto acked = OriginMax(d, device.device_id);
    if (!acked) return acked.error();
    result.acked_seq = *acked;
    return Status::Ok();
  });
  if (!st) {
    scopes_.reset();  // it may hold scopes that the rollback took back
    if (result.rejection.kind != PushRejection::Kind::kNone) {
      result.outcomes.clear();
      return result;
    }
    return st;
  }
  return result;
}

Result<HubPullPage> HubStore::Pull(const HubDevice& device, const std::string& cursor, int limit) {
  Database::Impl& d = db_->impl();
  HubPullPage page;
  const std::string log_id = d.GetMeta("hub_log_id");
  int64_t after = 0;
  if (!cursor.empty()) {
    const size_t dot = cursor.find('.');
    char* end = nullptr;
    const std::string number = dot == std::string::npos ? "" : cursor.substr(dot + 1);
    after = std::strtoll(number.c_str(), &end, 10);
    Status st;
    auto q = d.Prepare("SELECT server_seq + n - 1 FROM hub_log ORDER BY server_seq DESC LIMIT 1",
                       &st);
    if (!q) return st;
    const int64_t max_seq = q->Step() == SQLITE_ROW ? q->Int(0) : 0;
    if (dot == std::string::npos || cursor.substr(0, dot) != log_id || number.empty() ||
        *end != '\0' || after < 0 || after > max_seq) {
      page.cursor_expired = true;
      return page;
    }
  }
  Status st;
  // Rows are runs (hub_internal.h): the first row may start up to kMaxLogRun - 1 ops before
  // the cursor, and a page may end inside a row; ops at or before the cursor are skipped.
  // The commune's rows and everyone's are two ordered ranges of hub_log_scope, merged as they
  // are read: `commune_id IN (?1, '')` sorted every remaining row of the log for each page.
  const std::string part = std::string("SELECT ") + kLogColumns +
                           " FROM hub_log WHERE served = 1 AND commune_id = ";
  const std::string rest = " AND server_seq > ?2 AND origin_device <> ?3";
  auto q = d.Prepare(part + "?1" + rest + " UNION ALL " + part + "''" + rest +
                         " ORDER BY server_seq",
                     &st);
  if (!q) return st;
  // A device's own ops are skipped on an incremental pull (it holds them), but not on a
  // download from the start, so a device restored from an old backup gets them back.
  q->Bind(1, device.commune_id).Bind(2, after - (kMaxLogRun - 1));
  q->Bind(3, cursor.empty() ? std::string() : device.device_id);
  int rc;
  int64_t last = after;
  while (!page.has_more && (rc = q->Step()) == SQLITE_ROW) {
    auto ops = ExpandLogRow(*q);
    if (!ops) return ops.error();
    for (LogEntry& e : *ops) {
      if (e.server_seq <= after) continue;
      if (static_cast<int>(page.ops.size()) == limit) {
        page.has_more = true;
        break;
      }
      last = e.server_seq;
      page.value_bytes.push_back(e.value_bytes);
      page.ops.emplace_back(last, std::move(e.op));
    }
  }
  if (!page.has_more && rc != SQLITE_DONE) return d.Error("pull", rc);
  page.next_cursor = log_id + "." + std::to_string(last);
  return page;
}

}  // namespace gocua
