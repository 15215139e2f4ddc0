#pragma once
// Persons of a household (người trong hộ) and their five-skills profile.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

class Persons {
 public:
  explicit Persons(Database& db) : db_(db) {}

  // Adds `p` to its household (a new id is made). Skills not given start at "none".
  Result<Person> Add(const Person& p);
  Result<Person> Update(const Person& p);
  Result<Person> Get(const std::string& id);
  // Removes a person listed by mistake (or who left the household): a tombstone (deleted = 1)
  // that syncs like any change; past visits keep the id. kNotFound when there is no such person.
  Status Remove(const std::string& id);
  // Persons of a household not deleted, by name.
  Result<std::vector<Person>> OfHousehold(const std::string& household_id);

 private:
  Result<Person> Write(const Person& p, bool is_new);
  Database& db_;
};

}  // namespace gocua
