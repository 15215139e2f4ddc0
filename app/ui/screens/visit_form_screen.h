#pragma once
// The visit form: who visited (the signed-in member first, co-visitors ticked), the persons
// guided, a result for each topic covered, minutes, notes and a follow-up date. Keyboard
// friendly (Tab moves between fields, Ctrl+S saves); each problem is shown under its field.
// Every change is kept as a draft on disk (app/core/visit_draft.h) until the visit is saved or
// discarded. Opening a returned visit shows the leader's comment; saving it resubmits it.
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"
#include "app/core/visit_draft.h"

namespace gocua::app {

class VisitFormScreen {
 public:
  void Draw(AppModel& m);

 private:
  void Open(AppModel& m);
  void Save(AppModel& m);
  void KeepDraft(AppModel& m);

  bool open_ = false;
  std::string opened_household_, opened_visit_;
  VisitDraft draft_;
  std::optional<Household> household_;
  std::vector<Person> persons_;
  std::vector<Member> members_;
  std::vector<Topic> topics_;
  std::string status_;          // of the visit being edited
  std::string leader_comment_;  // the last "returned" comment
  // Inline messages.
  std::string date_error_, followup_error_, topics_error_, error_;
};

}  // namespace gocua::app
