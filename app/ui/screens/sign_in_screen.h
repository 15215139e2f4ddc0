#pragma once
// Several members share one laptop: pick your name, type your PIN (the PIN field takes the
// keys as soon as a name is picked; Enter signs in). Without a mouse: Tab to a name, Space picks
// it, type the PIN, Enter. A member a leader deactivated is listed last, marked; picking the
// name says why there is no PIN field.
#include <string>
#include <vector>

#include "app/ui/focus_ring.h"
#include "app/ui/screens/screen.h"

namespace gocua::app {

class SignInScreen {
 public:
  void Draw(AppModel& m);

 private:
  void DrawForm(AppModel& m);
  ui::FocusRing ring_;
  Freshness fresh_;
  std::vector<MemberStatus> members_;
  std::string chosen_;  // member id
  std::string pin_;
  bool focus_pin_ = false;  // a name was just picked
  std::string error_;
};

}  // namespace gocua::app
