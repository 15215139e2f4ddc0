#pragma once
// The leader's "Máy của xã": manage the commune's laptops on the hub from a leader's laptop
// (app/core/laptops_task.h does the calls). "Cấp mã cho máy mới" issues a member enrollment
// code, shown very large in groups of four for reading aloud over the phone, with its expiry in
// plain words ("Hết hạn lúc 15:30 hôm nay"). Below, the commune's laptops: name, role, last sync
// in plain words ("2 giờ trước"), this laptop marked; rename one; revoke one after a
// confirmation saying its unsent work is lost and it must be enrolled again.
//
// Shown only to a signed-in leader on a laptop the hub enrolled as a leader's (App checks
// both); the hub checks again and its refusal is said plainly. Every call needs the hub: the
// screen says so when it cannot be reached. While a call runs the screen says so in still text
// (nothing animates: the app sleeps until the answer wakes it).
//
// Route id "code" (app/core/stage.h, for screenshots) opens it with a code being issued;
// "revoke" with the confirmation open for the first other laptop listed.
#include <memory>
#include <string>

#include "app/core/laptops_task.h"
#include "app/ui/screens/screen.h"

namespace gocua::app {

class LaptopsScreen {
 public:
  LaptopsScreen();
  ~LaptopsScreen();
  void Draw(AppModel& m);
  // A call is in flight (the screenshot waits for its answer).
  bool busy() const { return task_ && task_->busy(); }

 private:
  void DrawCode(AppModel& m);
  void DrawRow(AppModel& m, const protocol::LaptopInfo& l);
  void DrawRename(const protocol::LaptopInfo& l);
  void DrawRevoke(const protocol::LaptopInfo& l);
  void Close();

  std::unique_ptr<LaptopsTask> task_;
  Freshness fresh_;
  std::string this_device_;  // this laptop's device id
  bool enrolled_ = false;
  std::string signed_in_;       // who was signed in when the list was asked for
  int last_frame_ = -10;        // the ImGui frame this screen was last drawn in
  bool staged_revoke_ = false;  // route id "revoke": the confirmation was opened once
  // One open action at a time on one laptop: rename (with the new name) or revoke.
  enum class Action { kNone, kRename, kRevoke };
  std::string open_id_;
  Action action_ = Action::kNone;
  std::string new_name_;
  std::string form_error_;
};

}  // namespace gocua::app
