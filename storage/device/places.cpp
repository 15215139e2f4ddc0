#include "storage/device/places.h"

#include <algorithm>

#include "storage/core/record_store.h"
#include "storage/core/text.h"

namespace gocua {

Result<Commune> Places::SetUpCommune(const std::string& province_name,
                                     const std::string& commune_name) {
  if (FoldForSearch(province_name).empty() || FoldForSearch(commune_name).empty())
    return InvalidInput("Cần tên tỉnh và tên xã — province and commune names are required");
  Database::Impl& d = db_.impl();
  Commune c;
  Status st = d.Transact([&]() -> Status {
    auto mine = d.ReadMeta("commune_id");
    if (!mine) return mine.error();  // not "none": that would set up a second commune
    if (!mine->empty())
      return {ErrorCode::kConflict,
              "Máy này đã gắn với một xã — this device already has a commune"};
    const int64_t now = db_.clock().NowMs();
    std::string province_id = NewUuidV7(now);
    c = {NewUuidV7(now), province_id, ""};
    auto p = WriteLocal(d, *FindRecordDef("province"), province_id, {{"name", province_name}});
    if (!p) return p.error();
    auto w = WriteLocal(d, *FindRecordDef("commune"), c.id,
                        {{"province_id", province_id}, {"name", commune_name}});
    if (!w) return w.error();
    return d.SetMeta("commune_id", c.id);
  });
  if (!st) return st;
  return LocalCommune();
}

Result<Commune> Places::LocalCommune() {
  Database::Impl& d = db_.impl();
  auto read = d.ReadMeta("commune_id");
  if (!read) return read.error();
  const std::string id = *read;
  if (id.empty())
    return NotFound(
        "Máy chưa được thiết lập xã: chạy 'gocua-cli init' hoặc đăng ký với máy chủ "
        "— no commune yet: run init or enroll");
  auto row = ReadRow(d, *FindRecordDef("commune"), id);
  if (!row) return row.error();
  return Commune{id, row->values["province_id"], row->values["name"]};
}

Result<Village> Places::AddVillage(const std::string& name) {
  auto commune = LocalCommune();
  if (!commune) return commune.error();
  if (FoldForSearch(name).empty()) return InvalidInput("Cần tên thôn — village name is required");
  Database::Impl& d = db_.impl();
  Village v{NewUuidV7(db_.clock().NowMs()), commune->id, name};
  Status st = d.Transact([&]() -> Status {
    // Checked under the write lock: another connection may be adding the same village.
    auto existing = FindVillage(name);
    if (existing)
      return {ErrorCode::kConflict, "Thôn '" + name + "' đã có — village already exists"};
    if (existing.error().code() != ErrorCode::kNotFound) return existing.error();  // a read error
    auto w = WriteLocal(d, *FindRecordDef("village"), v.id,
                        {{"commune_id", v.commune_id}, {"name", name}});
    return w ? Status::Ok() : w.error();
  });
  if (!st) return st;
  return FindVillage(v.id);
}

Result<std::vector<Village>> Places::Villages() {
  auto commune = LocalCommune();
  if (!commune) return commune.error();
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id, commune_id, name FROM villages WHERE commune_id = ? AND deleted = 0 "
      "ORDER BY name, id",
      &st);
  if (!q) return st;
  q->Bind(1, commune->id);
  std::vector<Village> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) out.push_back({q->Text(0), q->Text(1), q->Text(2)});
  if (rc != SQLITE_DONE) return db_.impl().Error("villages", rc);
  // As a person reads them: without case and marks first ("Thôn Đông" before "Thôn Tây"; byte
  // order would put every "Đ" after "Z"), then by the exact name.
  std::stable_sort(out.begin(), out.end(), [](const Village& a, const Village& b) {
    return FoldForSearch(a.name) < FoldForSearch(b.name);
  });
  return out;
}

Result<Village> Places::FindVillage(const std::string& id_or_name) {
  Database::Impl& d = db_.impl();
  auto read = d.ReadMeta("commune_id");
  if (!read) return read.error();
  const std::string commune_id = *read;
  if (commune_id.empty()) return LocalCommune().error();  // "no commune yet"
  // Fast path: an id of a village of this commune. Household validation comes here once per
  // row of an import, so it reads the one column it needs rather than the whole record.
  {
    Status st;
    auto q =
        d.Prepare("SELECT name FROM villages WHERE id = ? AND commune_id = ? AND deleted = 0", &st);
    if (!q) return st;
    q->Bind(1, id_or_name).Bind(2, commune_id);
    const int rc = q->Step();
    if (rc == SQLITE_ROW) return Village{id_or_name, commune_id, q->Text(0)};
    if (rc != SQLITE_DONE) return d.Error("village " + id_or_name, rc);
  }
  auto all = Villages();
  if (!all) return all.error();
  const std::string folded = FoldForSearch(id_or_name);
  for (const Village& v : *all)
    if (v.id == id_or_name || FoldForSearch(v.name) == folded) return v;
  return NotFound("Không có thôn '" + id_or_name + "' — no such village");
}

}  // namespace gocua
