#pragma once
// The leader's member list: every member of the commune with their role and whether they may
// sign in; for each, a new PIN (asked twice is not needed: the leader tells it in person), and
// deactivate or reactivate after a confirmation that says what it does. The leader's own row
// has no deactivate. Changes are the leader's (Members::SetPin, Deactivate, Reactivate) and
// reach the other laptops with the next sync; the hub takes them from a leader's laptop only.
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"

namespace gocua::app {

class MembersScreen {
 public:
  void Draw(AppModel& m);

 private:
  void DrawRow(AppModel& m, const MemberStatus& s);
  void DrawPinForm(AppModel& m, const Member& mem);
  void DrawConfirm(AppModel& m, const MemberStatus& s);

  Freshness fresh_;
  std::vector<MemberStatus> members_;
  std::string error_;
  // One open action at a time: the member and what (kPin, kDeactivate, kReactivate).
  enum class Action { kNone, kPin, kDeactivate, kReactivate };
  std::string open_id_;
  Action action_ = Action::kNone;
  std::string new_pin_;
  std::string action_error_;
};

}  // namespace gocua::app
