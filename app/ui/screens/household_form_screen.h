#pragma once
// Add a household, or edit one (route id = the household). Validation messages appear under
// the form; nothing is written until every field is right.
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"

namespace gocua::app {

class HouseholdFormScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Load(AppModel& m);

  bool loaded_ = false;
  std::string loaded_for_;
  std::vector<Village> villages_;
  int village_index_ = -1;
  Household h_;
  std::string error_;
};

}  // namespace gocua::app
