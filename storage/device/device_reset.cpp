#include "storage/device/device_reset.h"

#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "storage/core/outbox_runs.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

Result<DeviceReset> ResetDeviceIdentity(Database& db) {
  Database::Impl& d = db.impl();
  DeviceReset out;
  out.old_device_id = d.device_id;
  out.new_device_id = NewUuidV7(d.clock->NowMs());
  Status st = d.Transact([&]() -> Status {
    // The unsent entries, read and written back whole (storage/core/outbox_runs.h).
    auto unsent = ReadRunEntries(d, 0, -1);
    if (!unsent) return unsent.error();
    const std::string& old_id = out.old_device_id;
    const std::string& new_id = out.new_device_id;
    // Base and seen stamps that name an unsent entry of this device follow it; the rest (the
    // hub's, other devices', this device's acknowledged ones) stay as the hub knows them.
    std::set<std::tuple<int64_t, std::string, std::string>> fields;  // (hlc, id, field)
    std::set<std::pair<int64_t, std::string>> records;               // (hlc, id)
    for (const ChangeEntry& o : *unsent) {
      fields.emplace(o.hlc, o.record_id, o.field);
      records.emplace(o.hlc, o.record_id);
    }
    for (ChangeEntry& e : *unsent) {
      if (e.base_device == old_id && fields.count({e.base_hlc, e.record_id, e.field}))
        e.base_device = new_id;
      if (e.seen_device == old_id && records.count({e.seen_hlc, e.record_id}))
        e.seen_device = new_id;
    }
    // Renumber 1..n keeping the order.
    int64_t next = 0;
    for (ChangeEntry& e : *unsent) e.seq = ++next;
    if (Status s = ReplaceRunEntries(d, *unsent); !s) return s;
    // The records' field stamps that are an unsent entry's.
    for (const ChangeEntry& e : *unsent) {
      const RecordDef* def = FindRecordDef(e.record_type);
      if (!def) continue;
      auto row = ReadRow(d, *def, e.record_id);
      if (!row) return row.error();
      if (FieldStamp(*row, e.field) != Stamp{e.hlc, old_id}) continue;  // overwritten since
      row->stamps[e.field] = nlohmann::json::array({e.hlc, new_id});
      if (Status s = PutRow(d, *def, e.record_id, *row); !s) return s;
    }
    d.last_seq = next;
    d.tx_dirty = true;
    if (Status s = d.SetMeta("device_id", new_id); !s) return s;
    if (Status s = d.Exec("DELETE FROM secret WHERE key = 'hub_token'"); !s) return s;
    out.kept_changes = next;
    return Status::Ok();
  });
  if (!st) return st;
  d.device_id = out.new_device_id;
  return out;
}

}  // namespace gocua
