#include "storage/core/visit_values.h"

namespace gocua {

nlohmann::json VisitValues(const Visit& v) {
  return {{"household_id", v.household_id},
          {"visited_on", v.visited_on},
          {"minutes", v.minutes},
          {"members", v.members},
          {"persons", v.persons},
          {"topics", v.topics},
          {"notes", v.notes},
          {"followup_on", v.followup_on},
          {"status", v.status},
          {"created_by", v.created_by}};
}

Visit VisitFromValues(const std::string& id, const nlohmann::json& v) {
  Visit out;
  out.id = id;
  auto text = [&](const char* field, std::string& into) {
    if (auto it = v.find(field); it != v.end() && it->is_string()) into = it->get<std::string>();
  };
  text("household_id", out.household_id);
  text("visited_on", out.visited_on);
  if (auto it = v.find("minutes"); it != v.end() && it->is_number_integer())
    out.minutes = it->get<int>();
  if (auto it = v.find("members"); it != v.end() && it->is_array())
    for (const auto& m : *it)
      if (m.is_string()) out.members.push_back(m.get<std::string>());
  if (auto it = v.find("persons"); it != v.end() && it->is_array())
    for (const auto& p : *it)
      if (p.is_string()) out.persons.push_back(p.get<std::string>());
  if (auto it = v.find("topics"); it != v.end() && it->is_object())
    for (const auto& [t, r] : it->items())
      if (r.is_string()) out.topics[t] = r.get<std::string>();
  text("notes", out.notes);
  text("followup_on", out.followup_on);
  text("status", out.status);
  text("created_by", out.created_by);
  return out;
}

}  // namespace gocua
