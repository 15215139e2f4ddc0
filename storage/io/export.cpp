#include "storage/io/export.h"

#include <map>

#include "storage/core/record_store.h"
#include "storage/core/visit_values.h"
#include "storage/device/places.h"
#include "storage/io/csv.h"

namespace gocua {
namespace {

std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Ids of every record of `def`, sorted bytewise (the canonical order).
Result<std::vector<std::string>> AllIds(Database::Impl& d, const RecordDef& def,
                                        bool include_deleted) {
  Status st;
  auto q = d.Prepare(std::string("SELECT id FROM ") + def.table +
                         (include_deleted ? "" : " WHERE deleted = 0") + " ORDER BY id",
                     &st);
  if (!q) return st;
  std::vector<std::string> ids;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return d.Error("export", rc);
  return ids;
}

const char* Sex(const std::string& s) {
  return s == "male" ? "Nam" : s == "female" ? "Nữ" : s == "other" ? "Khác" : "";
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& v : items) out += (out.empty() ? "" : " ") + v;
  return out;
}

}  // namespace

Result<std::string> ExportCanonicalJson(Database& db) {
  Database::Impl& d = db.impl();
  std::string out = "{\"format\":\"gocua-export\",\"version\":1,\"records\":{";
  bool first_type = true;
  for (const RecordDef& def : RecordDefs()) {
    auto ids = AllIds(d, def, true);
    if (!ids) return ids.error();
    out += std::string(first_type ? "\n" : ",\n") + "\"" + def.type + "\":[";
    first_type = false;
    for (size_t i = 0; i < ids->size(); ++i) {
      auto row = ReadRow(d, def, (*ids)[i]);
      if (!row) return row.error();
      json rec = row->values;  // std::map-backed: keys come out sorted
      rec["id"] = (*ids)[i];
      out += (i ? ",\n" : "\n") + Dump(rec);
    }
    out += "]";
  }
  out += "\n}}\n";
  return out;
}

Result<std::string> ExportCsv(Database& db, const std::string& type) {
  Database::Impl& d = db.impl();
  std::string out;
  if (type == "households") {
    auto villages = Places(db).Villages();
    if (!villages) return villages.error();
    std::map<std::string, std::string> village_name;
    for (const Village& v : *villages) village_name[v.id] = v.name;
    out += CsvLine({"Thôn", "Số nhà/Địa chỉ", "Chủ hộ", "Số điện thoại", "Số nhân khẩu",
                    "Số người trong độ tuổi lao động", "Số điện thoại thông minh",
                    "Internet tại nhà", "Mã hộ"});
    auto ids = AllIds(d, *FindRecordDef("household"), false);
    if (!ids) return ids.error();
    for (const std::string& id : *ids) {
      auto r = ReadRow(d, *FindRecordDef("household"), id);
      if (!r) return r.error();
      const json& v = r->values;
      out += CsvLine({village_name[v["village_id"]], v["address"], v["head_name"], v["phone"],
                      std::to_string(v["members_count"].get<int>()),
                      std::to_string(v["working_age_count"].get<int>()),
                      std::to_string(v["smartphones"].get<int>()),
                      v["home_internet"] != 0 ? "Có" : "Không", id});
    }
    return out;
  }
  if (type == "persons") {
    out += CsvLine({"Mã người", "Mã hộ", "Họ tên", "Năm sinh", "Giới tính",
                    "Dịch vụ công trực tuyến", "Mua sắm trực tuyến", "Thanh toán trực tuyến",
                    "Bảo vệ bản thân trên mạng", "Nền tảng số"});
    auto ids = AllIds(d, *FindRecordDef("person"), false);
    if (!ids) return ids.error();
    for (const std::string& id : *ids) {
      auto r = ReadRow(d, *FindRecordDef("person"), id);
      if (!r) return r.error();
      const json& v = r->values;
      out += CsvLine({id, v["household_id"], v["name"], std::to_string(v["birth_year"].get<int>()),
                      Sex(v["sex"]), v["skill_public_services"], v["skill_shopping"],
                      v["skill_payment"], v["skill_safety"], v["skill_platforms"]});
    }
    return out;
  }
  if (type == "visits") {
    out += CsvLine({"Mã lượt thăm", "Mã hộ", "Ngày thăm", "Số phút", "Thành viên",
                    "Người được hướng dẫn", "Nội dung và kết quả", "Ghi chú", "Hẹn quay lại",
                    "Trạng thái"});
    auto ids = AllIds(d, *FindRecordDef("visit"), false);
    if (!ids) return ids.error();
    for (const std::string& id : *ids) {
      auto r = ReadRow(d, *FindRecordDef("visit"), id);
      if (!r) return r.error();
      const Visit v = VisitFromValues(id, r->values);
      std::string topics;
      for (const auto& [t, res] : v.topics) topics += (topics.empty() ? "" : " ") + t + "=" + res;
      out += CsvLine({id, v.household_id, v.visited_on, std::to_string(v.minutes), Join(v.members),
                      Join(v.persons), topics, v.notes, v.followup_on, v.status});
    }
    return out;
  }
  return InvalidInput("Không xuất được '" + type +
                      "': chọn households, persons hoặc visits — unknown export table");
}

}  // namespace gocua
