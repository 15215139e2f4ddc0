#include "storage/core/schema.h"

namespace gocua {
namespace {

constexpr int kName = 100;
constexpr int kAddress = 200;
constexpr int kPhone = 20;
constexpr int kNotes = 2000;
constexpr int kCode = 40;
constexpr int kJsonText = 40000;

std::vector<RecordDef> MakeDefs() {
  using K = FieldKind;
  return {
      {"province", "provinces", {{"name", K::kText, kName}}},
      {"commune", "communes", {{"province_id", K::kRef, 0, "province"}, {"name", K::kText, kName}}},
      {"village", "villages", {{"commune_id", K::kRef, 0, "commune"}, {"name", K::kText, kName}}},
      {"member",
       "members",
       {{"commune_id", K::kRef, 0, "commune"},
        {"name", K::kText, kName},
        {"role", K::kText, 10},
        {"pin_hash", K::kText, 200}}},
      {"topic",
       "topics",
       {{"name_vi", K::kText, kName},
        {"name_en", K::kText, kName},
        {"skill", K::kText, kCode},
        {"sort", K::kInt, 0}}},
      {"household",
       "households",
       {{"village_id", K::kRef, 0, "village"},
        {"address", K::kText, kAddress},
        {"head_name", K::kText, kName},
        {"phone", K::kText, kPhone},
        {"members_count", K::kInt, 0},
        {"working_age_count", K::kInt, 0},
        {"smartphones", K::kInt, 0},
        {"home_internet", K::kInt, 0},
        // Schema v10: why the household was removed (set with its tombstone), "" otherwise.
        {"removed_reason", K::kText, kName}}},
      {"person",
       "persons",
       {{"household_id", K::kRef, 0, "household"},
        {"name", K::kText, kName},
        {"birth_year", K::kInt, 0},
        {"sex", K::kText, 10},
        {"skill_public_services", K::kText, kCode, nullptr, R"("none")"},
        {"skill_shopping", K::kText, kCode, nullptr, R"("none")"},
        {"skill_payment", K::kText, kCode, nullptr, R"("none")"},
        {"skill_safety", K::kText, kCode, nullptr, R"("none")"},
        {"skill_platforms", K::kText, kCode, nullptr, R"("none")"}}},
      {"visit",
       "visits",
       {{"household_id", K::kRef, 0, "household"},
        {"visited_on", K::kDate, 0},
        {"minutes", K::kInt, 0},
        {"members", K::kJson, 0, nullptr, "[]"},
        {"persons", K::kJson, 0, nullptr, "[]"},
        {"topics", K::kJson, 0, nullptr, "{}"},
        {"notes", K::kText, kNotes},
        {"followup_on", K::kDate, 0},
        {"status", K::kText, 10},
        {"created_by", K::kRef, 0, "member"}}},
      {"review",
       "reviews",
       // leader_id first: ops go out in field order, and the hub checks the leader first.
       {{"leader_id", K::kRef, 0, "member"},
        {"visit_id", K::kRef, 0, "visit"},
        {"decision", K::kText, 10},
        {"comment", K::kText, kNotes},
        {"decided_at", K::kInt, 0}}},
      // Made by the hub when two edits of one field were concurrent (see storage/core/merge.h);
      // a leader resolves it. Values are JSON text.
      {"conflict",
       "conflicts",
       {{"record_type", K::kText, kCode},
        {"record_id", K::kText, kCode},
        {"field", K::kText, kCode},
        {"value_a", K::kText, kJsonText},
        {"value_b", K::kText, kJsonText},
        {"device_a", K::kText, kCode},
        {"device_b", K::kText, kCode},
        {"hlc_a", K::kInt, 0},
        {"hlc_b", K::kInt, 0},
        {"winner", K::kText, 1},
        {"status", K::kText, 10},
        {"resolution", K::kText, kJsonText},
        // Schema v6: what the author of b started from ("" = not known) and the members who
        // made a and b ("" = not said, or the hub itself).
        {"value_base", K::kText, kJsonText},
        {"author_a", K::kText, kCode},
        {"author_b", K::kText, kCode}}},
  };
}

}  // namespace

const FieldDef* RecordDef::Field(std::string_view name) const {
  // Not `name == f.name`, which measures every field's name: the first byte tells most of
  // them apart (a field is looked up several times for every op a hub is pushed).
  if (name.empty()) return nullptr;
  for (const FieldDef& f : fields) {
    if (f.name[0] != name[0]) continue;
    size_t i = 1;  // f.name[0] is not NUL: it is name[0], and no field's name is empty
    while (i < name.size() && f.name[i] == name[i] && f.name[i] != '\0') ++i;
    if (i == name.size() && f.name[i] == '\0') return &f;
  }
  return nullptr;
}

nlohmann::json DefaultValue(const FieldDef& field) {
  if (field.default_json) return nlohmann::json::parse(field.default_json);
  return field.kind == FieldKind::kInt ? nlohmann::json(0) : nlohmann::json("");
}

const std::vector<RecordDef>& RecordDefs() {
  static const std::vector<RecordDef> defs = MakeDefs();
  return defs;
}

const RecordDef* FindRecordDef(std::string_view type) {
  for (const RecordDef& d : RecordDefs())
    if (type == d.type) return &d;
  return nullptr;
}

}  // namespace gocua
