#pragma once
// One household: its details, its persons with their five-skills status (a form to add a
// person; click a name to correct or remove the person — removing asks first), its visit
// history, and the button that starts a visit. Removing the household (a tombstone) asks for a
// reason and a confirmation; its visits stay in the history, and its page, opened from one of
// them, says it was removed and why (households.removed_reason, synced like any field).
#include <map>
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/household_removal.h"

namespace gocua::app {

class HouseholdScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Reload(AppModel& m);
  void LoadVisits(AppModel& m);
  // The visit history, each line opening the visit.
  void DrawVisits(AppModel& m, const std::string& household_id);
  // A removed household (reached from one of its visits): why it was removed, and its visits.
  void DrawRemoved(AppModel& m);
  std::optional<RemovedHousehold> removed_;
  void DrawAddPerson(AppModel& m);
  // Correcting a listed person (name, birth year, sex): click the name in the table.
  void DrawEditPerson(AppModel& m);

  Freshness fresh_;
  std::string shown_id_;
  std::optional<Household> household_;
  std::string village_name_;
  std::vector<Person> persons_;
  std::vector<Visit> visits_;
  std::map<std::string, std::string> member_names_;  // id → name, for "who visited"
  std::string error_;
  // Add-person form.
  std::string new_name_;
  int new_birth_year_ = 1980;
  int new_sex_ = -1;
  std::string person_error_;
  // The person being corrected (empty id = none).
  Person editing_;
  std::string edit_year_;
  std::string edit_error_;
  bool confirm_remove_ = false;  // "remove this person?" is showing
  // Removing the household: the panel is open, the reason picked (-1 = none yet).
  void DrawRemoveHousehold(AppModel& m);
  bool removing_ = false;
  int remove_reason_ = -1;
  std::string remove_error_;
};

// Why a household is removed: the codes the log records, in the order shown
// (household.reason.<code>).
const std::vector<std::string>& RemoveReasons();

// The five skills in display order: (code, Tr key).
const std::vector<std::pair<std::string, std::string>>& SkillColumns();

}  // namespace gocua::app
