#pragma once
// The visit form: who visited (the signed-in member first, co-visitors ticked), the persons
// guided (a person can be added here: name, birth year, sex, ticked at once), a result for each
// topic covered, minutes, notes and a follow-up date. Keyboard friendly: Tab and Shift+Tab
// reach every field, check box, result and button (app/ui/focus_ring.h), Space or Enter presses
// one, Ctrl+S saves. Saving with a problem lists every problem above the fields, puts the
// keyboard in the first bad field and scrolls to it; each message goes as soon as its field is
// right. The title and the Save row stay on screen; the fields scroll between them.
// Every change is kept as a draft on disk (app/core/visit_draft.h) until the visit is saved or
// discarded (discarding asks first). Opening a returned visit shows the leader's comment;
// saving it resubmits it. An approved visit is shown read-only; a leader may reopen it.
#include <string>
#include <vector>

#include "app/core/visit_draft.h"
#include "app/ui/focus_ring.h"
#include "app/ui/screens/screen.h"

namespace gocua::app {

class VisitFormScreen {
 public:
  void Draw(AppModel& m);

 private:
  void DrawForm(AppModel& m);
  ui::FocusRing ring_;
  // The problems of the draft as it stands, one per field (empty = fine).
  struct Problems {
    std::string date, minutes, topics, followup;
    bool any() const {
      return !date.empty() || !minutes.empty() || !topics.empty() || !followup.empty();
    }
  };

  void Open(AppModel& m);
  void LoadLists(AppModel& m);
  void DrawFields(AppModel& m, bool* changed);
  void DrawPersons(AppModel& m, bool* changed);
  void DrawFooter(AppModel& m, bool read_only);
  Problems Check() const;
  void Save(AppModel& m);
  // The leader sends the approved visit back to "pending" (Reviews::Reopen).
  void Reopen(AppModel& m);
  void KeepDraft(AppModel& m);
  // Places the keyboard and the scroll on `name` if it is the field asked for.
  void FocusIfAsked(const char* name);
  void ScrollIfAsked(const char* name);

  bool open_ = false;
  Freshness fresh_;
  std::string opened_household_, opened_visit_;
  VisitDraft draft_;
  std::optional<Household> household_;
  std::vector<Person> persons_;
  std::vector<Member> members_;            // active: the ones offered
  std::vector<MemberStatus> all_members_;  // names of deactivated members on an older visit
  std::vector<Topic> topics_;
  std::string status_;          // of the visit being edited
  std::string leader_comment_;  // the last "returned" comment
  // Messages shown since the last failed save (each cleared when its field is right).
  Problems shown_;
  std::string error_;
  std::string focus_;  // the field to focus and scroll to on the next frame
  bool confirm_discard_ = false;
  // The person being added on the form.
  std::string new_name_, new_year_;
  int new_sex_ = -1;
  std::string person_error_;
};

}  // namespace gocua::app
