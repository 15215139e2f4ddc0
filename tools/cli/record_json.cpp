#include "tools/cli/record_json.h"

#include "storage/core/visit_values.h"

namespace gocua::cli {

using nlohmann::json;

json ToJson(const Commune& c) {
  return {{"id", c.id}, {"province_id", c.province_id}, {"name", c.name}};
}

json ToJson(const Village& v) {
  return {{"id", v.id}, {"commune_id", v.commune_id}, {"name", v.name}};
}

json ToJson(const Member& m) {
  return {{"id", m.id}, {"commune_id", m.commune_id}, {"name", m.name}, {"role", RoleName(m.role)}};
}

json ToJson(const Topic& t) {
  return {{"id", t.id},
          {"name_vi", t.name_vi},
          {"name_en", t.name_en},
          {"skill", t.skill},
          {"sort", t.sort}};
}

json ToJson(const Household& h) {
  return {{"id", h.id},
          {"village_id", h.village_id},
          {"address", h.address},
          {"head_name", h.head_name},
          {"phone", h.phone},
          {"members_count", h.members_count},
          {"working_age_count", h.working_age_count},
          {"smartphones", h.smartphones},
          {"home_internet", h.home_internet}};
}

json ToJson(const Person& p) {
  return {{"id", p.id},     {"household_id", p.household_id},
          {"name", p.name}, {"birth_year", p.birth_year},
          {"sex", p.sex},   {"skills", p.skills}};
}

json ToJson(const Visit& v) {
  json j = VisitValues(v);  // the visit's fields, as storage lists them
  j["id"] = v.id;
  return j;
}

json ToJson(const Review& r) {
  return {{"id", r.id},           {"visit_id", r.visit_id},   {"decision", r.decision},
          {"comment", r.comment}, {"leader_id", r.leader_id}, {"decided_at", r.decided_at}};
}

json ToJson(const CoverageRow& r) {
  return {{"village_id", r.village_id}, {"village_name", r.village_name},
          {"households", r.households}, {"households_visited", r.households_visited},
          {"persons", r.persons},       {"persons_guided", r.persons_guided},
          {"visits", r.visits},         {"working_age", r.working_age}};
}

}  // namespace gocua::cli
