#pragma once
// The record types that sync carries, and their fields. This is the unit of the sync
// contract: an op changes one field of one record. Every type also has the field "deleted"
// (0 or 1, a tombstone). Field order here is column order in the table.
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace gocua {

enum class FieldKind {
  kText,  // NFC UTF-8 string, "" when empty
  kInt,   // 64-bit integer
  kDate,  // "YYYY-MM-DD" or "" for none
  kJson,  // a JSON array or object, stored compact
  kRef,   // the id of a record of `ref_type`, "" for none (NULL in SQLite, so foreign keys hold)
};

struct FieldDef {
  const char* name;
  FieldKind kind;
  int max_chars;                       // for kText: longest allowed value in code points
  const char* ref_type = nullptr;      // for kRef: the record type referred to
  const char* default_json = nullptr;  // the value of a field never written; null = by kind
};

struct RecordDef {
  const char* type;              // on the wire and in exports, e.g. "household"
  const char* table;             // SQLite table
  std::vector<FieldDef> fields;  // without "deleted", which every type has

  const FieldDef* Field(std::string_view name) const;
};

// The value of `field` in a record that never had it written: "" for text, dates and refs,
// 0 for integers, unless the FieldDef says otherwise.
nlohmann::json DefaultValue(const FieldDef& field);

// All record types, parents before children (the order of exports and of re-downloads).
const std::vector<RecordDef>& RecordDefs();
// The definition of `type`, or nullptr.
const RecordDef* FindRecordDef(std::string_view type);

// The five basic digital skills (DOMAIN.md), as stored in person.skill_<code>.
inline constexpr const char* kSkillCodes[] = {"public_services", "shopping", "payment", "safety",
                                              "platforms"};
// Skill levels, in increasing order.
inline constexpr const char* kSkillNone = "none";
inline constexpr const char* kSkillGuided = "guided";
inline constexpr const char* kSkillProficient = "proficient";

}  // namespace gocua
