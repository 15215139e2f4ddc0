#pragma once
// Province → commune → village, and which commune this device belongs to.
#include <optional>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

class Places {
 public:
  explicit Places(Database& db) : db_(db) {}

  // First run: creates the province and commune records and makes the commune this
  // device's own. Fails with kConflict if the device already has a commune.
  Result<Commune> SetUpCommune(const std::string& province_name, const std::string& commune_name);
  // This device's commune, or kNotFound before SetUpCommune (or enrollment).
  Result<Commune> LocalCommune();

  // Adds a village to this device's commune. Names are unique within a commune
  // (compared folded: "Thôn 1" and "thon 1" are the same village).
  Result<Village> AddVillage(const std::string& name);
  // Villages of this device's commune, by name as a person reads it (case and marks ignored
  // first: "Thôn Đông" before "Thôn Tây").
  Result<std::vector<Village>> Villages();
  // A village by id, or by name (folded) within this commune.
  Result<Village> FindVillage(const std::string& id_or_name);

 private:
  Database& db_;
};

}  // namespace gocua
