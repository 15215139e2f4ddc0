#include "storage/device/topics.h"

#include "storage/core/record_store.h"

namespace gocua {

namespace {

Topic FromValues(const std::string& id, const json& v) {
  Topic t;
  t.id = id;
  t.name_vi = v["name_vi"];
  t.name_en = v["name_en"];
  t.skill = v["skill"];
  t.sort = v["sort"].get<int>();
  return t;
}

}  // namespace

Result<std::vector<Topic>> Topics::List() {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id, name_vi, name_en, skill, sort FROM topics WHERE deleted = 0 ORDER BY sort, id",
      &st);
  if (!q) return st;
  std::vector<Topic> out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW)
    out.push_back({q->Text(0), q->Text(1), q->Text(2), q->Text(3), static_cast<int>(q->Int(4))});
  if (rc != SQLITE_DONE) return db_.impl().Error("topics", rc);
  return out;
}

Result<Topic> Topics::Get(const std::string& id) {
  auto row = ReadRow(db_.impl(), *FindRecordDef("topic"), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có nội dung hướng dẫn '" + id + "' — no topic " + id);
  return FromValues(id, row->values);
}

}  // namespace gocua
