#include "storage/device/household_removal.h"

#include "storage/core/record_store.h"
#include "storage/core/text.h"

namespace gocua {

Status RemoveHousehold(Database& db, const std::string& id, const std::string& reason) {
  if (FoldForSearch(reason).empty())
    return InvalidInput("Cần lý do xoá hộ — a removal needs a reason");
  Database::Impl& d = db.impl();
  const RecordDef& def = *FindRecordDef("household");
  return d.Transact([&]() -> Status {
    auto row = ReadRow(d, def, id);
    if (!row) return row.error();
    if (!row->exists || row->values["deleted"] != 0)
      return NotFound("Không có hộ " + id + " — no such household");
    auto w = WriteLocal(d, def, id, {{"removed_reason", reason}});
    if (!w) return w.error();
    w = WriteLocal(d, def, id, {{"deleted", 1}});
    return w ? Status::Ok() : w.error();
  });
}

Result<RemovedHousehold> FindRemovedHousehold(Database& db, const std::string& id) {
  auto row = ReadRow(db.impl(), *FindRecordDef("household"), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] == 0)
    return NotFound("Hộ " + id + " không bị xoá — no removed household " + id);
  RemovedHousehold h;
  h.id = id;
  const auto text = [&](const char* f) {
    const auto& v = row->values[f];
    return v.is_string() ? v.get<std::string>() : std::string();
  };
  h.head_name = text("head_name");
  h.address = text("address");
  h.village_id = text("village_id");
  h.reason = text("removed_reason");
  return h;
}

}  // namespace gocua
