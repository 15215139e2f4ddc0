// ReofferMoved: a village's records re-offered to its new commune (village_move.h).
#include "sync/hub/store/village_move.h"

#include <algorithm>
#include <set>

#include "storage/core/ids.h"
#include "storage/core/record_store.h"

namespace gocua::hub_internal {

namespace {

// One hub-made op on the record as merged so far: applied to it through the merge (its base is
// the field's stamp, its stamp the newest), and logged for `commune`.
class Writer {
 public:
  Writer(HubTxn& txn, const std::string& hub_id, const std::function<int64_t()>& next_seq)
      : txn_(txn), hub_id_(hub_id), next_seq_(next_seq) {}

  Status Write(const RecordDef& def, const std::string& id, const std::string& field,
               const nlohmann::json& value, const Stamp& base, int64_t after_hlc, const Stamp& seen,
               const std::string& commune, Stamp* stamp = nullptr) {
    RemoteOp op;
    op.origin_device = hub_id_;
    op.seq = next_seq_();
    op.record_type = def.type;
    op.record_id = id;
    op.field = field;
    op.value = value;
    op.base = base;
    // A stamp after every one the record holds and every one the hub handed out.
    op.hlc = txn_.StampAfter(std::max(txn_.NowMs(), (after_hlc >> 16) + 1));
    op.seen = seen;
    auto decision = txn_.Merge(op, nullptr, nullptr);
    if (!decision) return decision.error();
    if (!decision->write)
      return {ErrorCode::kInternal, "village move: the hub's write of " + op.record_type + " " +
                                        id + "." + field + " did not win"};
    last_seq_ = op.seq;
    if (stamp) *stamp = op.stamp();
    LogEntry e;
    e.orig_hlc = op.hlc;
    e.commune_id = commune;
    e.outcome = "applied";
    e.pushed_by = hub_id_;
    e.op = std::move(op);
    return txn_.AppendLog(std::move(e));
  }
  // A copy of a field as the hub holds it, for laptops that need the record only because a
  // record they hold names it: logged for `commune` with the field's own stamp time (origin the
  // hub), not merged (the hub's record keeps its stamps).
  Status Copy(const RecordDef& def, const std::string& id, const std::string& field,
              const nlohmann::json& value, int64_t hlc, const std::string& commune) {
    LogEntry e;
    e.op.origin_device = hub_id_;
    e.op.seq = next_seq_();
    e.op.record_type = def.type;
    e.op.record_id = id;
    e.op.field = field;
    e.op.value = value;
    e.op.hlc = hlc;
    e.orig_hlc = hlc;
    e.commune_id = commune;
    e.outcome = "applied";
    e.pushed_by = hub_id_;
    last_seq_ = e.op.seq;
    return txn_.AppendLog(std::move(e));
  }
  int64_t last_seq() const { return last_seq_; }

 private:
  HubTxn& txn_;
  const std::string& hub_id_;
  const std::function<int64_t()>& next_seq_;
  int64_t last_seq_ = 0;
};

int64_t MaxHlc(const StoredRow& row) {
  int64_t h = 0;
  for (const auto& [name, stamp] : row.stamps.items()) h = std::max(h, FieldStamp(row, name).hlc);
  return h;
}

bool Written(const Stamp& s) { return s.hlc != 0 || !s.device.empty(); }

using RecordKey = std::pair<std::string, std::string>;  // type, id

// Laptops keep foreign keys (a visit's created_by, a member's commune, a village's commune):
// a record that `roots` name, directly or through each other, and that `commune`'s laptops do
// not hold (scoped to another commune, not moved) is copied to them, as the hub holds it.
// Records of everyone's scope ("") and of `commune` they hold already.
Status OfferReferences(HubTxn& txn, Writer& w, std::vector<MovedRecord> queue,
                       std::set<RecordKey> done, const std::string& commune, int64_t* ops) {
  static const FieldDef kDeleted{"deleted", FieldKind::kInt, 0};
  for (size_t next = 0; next < queue.size(); ++next) {
    const MovedRecord r = queue[next];
    auto row = txn.PeekRecord(*r.def, r.id);
    if (!row) return row.error();
    if (!row->exists) continue;
    for (const FieldDef& f : r.def->fields) {
      if (f.kind != FieldKind::kRef || !f.ref_type) continue;
      const nlohmann::json& v = row->values[f.name];
      if (!v.is_string() || v.get_ref<const std::string&>().empty()) continue;
      const std::string target = v.get<std::string>();
      if (done.count({f.ref_type, target})) continue;
      done.insert({f.ref_type, target});
      bool found = false;
      auto scope = txn.ScopeOf(f.ref_type, target, &found);
      if (!scope) return scope.error();
      if (!found || scope->empty() || *scope == commune) continue;
      const RecordDef* def = FindRecordDef(f.ref_type);
      if (!def) continue;
      auto held = txn.PeekRecord(*def, target);
      if (!held) return held.error();
      if (!held->exists) continue;
      std::vector<const FieldDef*> order;
      for (const FieldDef& g : def->fields) order.push_back(&g);
      order.push_back(&kDeleted);
      for (const FieldDef* g : order) {
        const Stamp stamp = FieldStamp(*held, g->name);
        if (!Written(stamp)) continue;
        if (Status s = w.Copy(*def, target, g->name, held->values[g->name], stamp.hlc, commune); !s)
          return s;
        ++*ops;
      }
      queue.push_back({def, target});  // its own references, in turn
    }
  }
  return Status::Ok();
}

}  // namespace

Status ReofferMoved(HubTxn& txn, const std::string& hub_id,
                    const std::function<int64_t()>& next_seq,
                    const std::vector<MovedRecord>& records, const std::string& from_commune,
                    const std::string& to_commune, VillageMove* result) {
  if (records.empty() || std::string(records.front().def->type) != "village")
    return {ErrorCode::kInternal, "village move: the village comes first"};
  Writer w(txn, hub_id, next_seq);
  result->from_commune = from_commune;
  {
    // The village's new commune, for the old commune's laptops: the last op they pull of it.
    const MovedRecord& v = records.front();
    auto row = txn.PeekRecord(*v.def, v.id);
    if (!row) return row.error();
    if (Status s = w.Write(*v.def, v.id, "commune_id", to_commune, FieldStamp(*row, "commune_id"),
                           MaxHlc(*row), {}, from_commune);
        !s)
      return s;
  }
  static const FieldDef kDeleted{"deleted", FieldKind::kInt, 0};
  for (const MovedRecord& r : records) {
    auto row = txn.PeekRecord(*r.def, r.id);
    if (!row) return row.error();
    if (!row->exists) continue;
    ++result->records;
    std::vector<const FieldDef*> order;
    for (const FieldDef& f : r.def->fields) order.push_back(&f);
    order.push_back(&kDeleted);  // a tombstone last, stamped after the fields it saw
    const int64_t after = MaxHlc(*row);
    Stamp seen;  // the last stamp written: what a tombstone saw
    for (const FieldDef* f : order) {
      const Stamp base = FieldStamp(*row, f->name);
      if (!Written(base)) continue;
      const bool tombstone = f == &kDeleted && row->values["deleted"] != 0;
      if (Status s = w.Write(*r.def, r.id, f->name, row->values[f->name], base, after,
                             tombstone ? seen : Stamp{}, to_commune, &seen);
          !s)
        return s;
      ++result->ops;
    }
  }
  // What the receiving laptops would lack (the old commune's members that moved visits name,
  // their commune), and the commune the old commune's laptops now see the village in.
  std::set<RecordKey> moved;
  for (const MovedRecord& r : records) moved.insert({r.def->type, r.id});
  if (Status s = OfferReferences(txn, w, records, moved, to_commune, &result->ops); !s) return s;
  int64_t to_old = 0;
  if (Status s = OfferReferences(txn, w, {records.front()}, moved, from_commune, &to_old); !s)
    return s;
  if (w.last_seq() > 0) return txn.SetOriginMaxSeq(hub_id, w.last_seq());
  return Status::Ok();
}

}  // namespace gocua::hub_internal
