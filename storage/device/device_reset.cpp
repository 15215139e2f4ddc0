#include "storage/device/device_reset.h"

#include <vector>

#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/core/sqlite_db.h"

namespace gocua {
namespace {

struct Unsent {
  int64_t seq, hlc;
  std::string type, id, field;
};

Result<std::vector<Unsent>> ReadUnsent(Database::Impl& d) {
  Status st;
  auto q =
      d.Prepare("SELECT seq, hlc, record_type, record_id, field FROM outbox ORDER BY seq", &st);
  if (!q) return st;
  std::vector<Unsent> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Int(0), q->Int(1), q->Text(2), q->Text(3), q->Text(4)});
  if (rc != SQLITE_DONE) return d.Error("outbox", rc);
  return out;
}

Status Run(Database::Impl& d, const char* sql, const std::string& a, const std::string& b) {
  Status st;
  auto q = d.Prepare(sql, &st);
  if (!q) return st;
  q->Bind(1, a).Bind(2, b);
  const int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : d.Error("reset device", rc);
}

}  // namespace

Result<DeviceReset> ResetDeviceIdentity(Database& db) {
  Database::Impl& d = db.impl();
  DeviceReset out;
  out.old_device_id = d.device_id;
  out.new_device_id = NewUuidV7(d.clock->NowMs());
  Status st = d.Transact([&]() -> Status {
    auto unsent = ReadUnsent(d);
    if (!unsent) return unsent.error();
    const std::string& old_id = out.old_device_id;
    const std::string& new_id = out.new_device_id;
    // Base and seen stamps that name an unsent entry of this device follow it; the rest (the
    // hub's, other devices', this device's acknowledged ones) stay as the hub knows them.
    if (Status s = Run(d,
                       "UPDATE outbox SET base_device = ?2 WHERE base_device = ?1 AND EXISTS "
                       "(SELECT 1 FROM outbox o WHERE o.hlc = outbox.base_hlc "
                       "AND o.record_id = outbox.record_id AND o.field = outbox.field)",
                       old_id, new_id);
        !s)
      return s;
    if (Status s = Run(d,
                       "UPDATE outbox SET seen_device = ?2 WHERE seen_device = ?1 AND EXISTS "
                       "(SELECT 1 FROM outbox o WHERE o.hlc = outbox.seen_hlc "
                       "AND o.record_id = outbox.record_id)",
                       old_id, new_id);
        !s)
      return s;
    // Renumber 1..n keeping the order: first out of the way (negative), then into place.
    if (Status s = d.Exec("UPDATE outbox SET seq = -seq"); !s) return s;
    int64_t next = 0;
    for (const Unsent& e : *unsent) {
      Status ps;
      auto q = d.Prepare("UPDATE outbox SET seq = ? WHERE seq = ?", &ps);
      if (!q) return ps;
      q->Bind(1, ++next).Bind(2, -e.seq);
      if (int rc = q->Step(); rc != SQLITE_DONE) return d.Error("renumber", rc);
    }
    // The records' field stamps that are an unsent entry's.
    for (const Unsent& e : *unsent) {
      const RecordDef* def = FindRecordDef(e.type);
      if (!def) continue;
      auto row = ReadRow(d, *def, e.id);
      if (!row) return row.error();
      if (FieldStamp(*row, e.field) != Stamp{e.hlc, old_id}) continue;  // overwritten since
      row->stamps[e.field] = nlohmann::json::array({e.hlc, new_id});
      if (Status s = PutRow(d, *def, e.id, *row); !s) return s;
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
