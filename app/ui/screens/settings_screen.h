#pragma once
// Settings: language, text size, idle lock, the hub address (editable once enrolled: the
// commune office's address can change), the data folder, its reports, backups and logs folders
// opened in the file manager, back up now; for a leader, adding a team member with a PIN (offline
// set-up); restoring a backup the app made (app/core/restore.h), after a confirmation.
#include <string>
#include <vector>

#include "app/ui/screens/screen.h"
#include "storage/device/backup.h"

namespace gocua::app {

class SettingsScreen {
 public:
  void Draw(AppModel& m);

 private:
  bool loaded_ = false;
  Settings edit_;
  std::string hub_url_;
  std::string error_;
  void DrawHub(AppModel& m);
  void DrawAddMember(AppModel& m);
  // A button that opens <data>/`sub` in the file manager (made first if missing).
  void OpenFolderButton(AppModel& m, const char* name, const char* label, const char* sub);
  // Restore: the backups listed (read when Settings opens and after a backup), the one picked
  // (asked to confirm), and a restore that runs on the next frame, after "Đang khôi phục…"
  // was drawn (it blocks the UI thread while the pages are copied).
  void DrawRestore(AppModel& m);
  std::vector<BackupFile> backups_;
  std::string restore_pick_, restore_error_;
  bool restore_pending_ = false, restore_announced_ = false;
  std::string new_member_, new_pin_, member_error_;
  bool new_leader_ = false;
};

}  // namespace gocua::app
