#include "storage/device/persons.h"

#include "platform/clock.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/core/text.h"
#include "storage/device/households.h"

namespace gocua {
namespace {

const RecordDef& Def() { return *FindRecordDef("person"); }

Person FromValues(const std::string& id, const json& v) {
  Person p;
  p.id = id;
  p.household_id = v["household_id"];
  p.name = v["name"];
  p.birth_year = v["birth_year"].get<int>();
  p.sex = v["sex"];
  for (const char* skill : kSkillCodes) p.skills[skill] = v[std::string("skill_") + skill];
  return p;
}

bool IsSkillLevel(const std::string& s) {
  return s == kSkillNone || s == kSkillGuided || s == kSkillProficient;
}

}  // namespace

Result<Person> Persons::Add(const Person& p) { return Write(p, true); }
Result<Person> Persons::Update(const Person& p) { return Write(p, false); }

Result<Person> Persons::Write(const Person& p, bool is_new) {
  if (!is_new) {
    auto current = Get(p.id);
    if (!current) return current.error();
  }
  if (auto h = Households(db_).Get(p.household_id); !h) return h.error();
  if (FoldForSearch(p.name).empty()) return InvalidInput("Cần họ tên — name is required");
  const int this_year = std::stoi(LocalDate(db_.clock().NowMs()).substr(0, 4));
  if (p.birth_year < 1900 || p.birth_year > this_year)
    return InvalidInput("Năm sinh phải từ 1900 đến " + std::to_string(this_year) +
                        " — birth_year must be 1900.." + std::to_string(this_year));
  if (p.sex != "male" && p.sex != "female" && p.sex != "other")
    return InvalidInput("Giới tính: male, female hoặc other — sex must be male|female|other");
  json fields = {{"household_id", p.household_id},
                 {"name", p.name},
                 {"birth_year", p.birth_year},
                 {"sex", p.sex}};
  for (const auto& [skill, level] : p.skills) {
    if (!Def().Field("skill_" + skill))
      return InvalidInput("Không có kỹ năng '" + skill + "' — unknown skill");
    if (!IsSkillLevel(level))
      return InvalidInput("Mức kỹ năng: none, guided, proficient — bad skill level " + level);
    fields["skill_" + skill] = level;
  }
  Database::Impl& d = db_.impl();
  const std::string id = is_new ? NewUuidV7(db_.clock().NowMs()) : p.id;
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), id, fields);
    return w ? Status::Ok() : w.error();
  });
  if (!st) return st;
  return Get(id);
}

Status Persons::Remove(const std::string& id) {
  auto current = Get(id);
  if (!current) return current.error();
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status {
    auto w = WriteLocal(d, Def(), id, {{"deleted", 1}});
    return w ? Status::Ok() : w.error();
  });
}

Result<Person> Persons::Get(const std::string& id) {
  auto row = ReadRow(db_.impl(), Def(), id);
  if (!row) return row.error();
  if (!row->exists || row->values["deleted"] != 0)
    return NotFound("Không có người " + id + " — no such person");
  return FromValues(id, row->values);
}

Result<std::vector<Person>> Persons::OfHousehold(const std::string& household_id) {
  Status st;
  auto q = db_.impl().Prepare(
      "SELECT id FROM persons WHERE household_id = ? AND deleted = 0 ORDER BY name, id", &st);
  if (!q) return st;
  q->Bind(1, household_id);
  std::vector<std::string> ids;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return db_.impl().Error("persons", rc);
  q.reset();
  std::vector<Person> out;
  for (const std::string& id : ids) {
    auto p = Get(id);
    if (!p) return p.error();
    out.push_back(std::move(*p));
  }
  return out;
}

}  // namespace gocua
