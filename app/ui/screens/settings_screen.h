#pragma once
// Settings: language, text size, idle lock, the hub address (editable once enrolled: the
// commune office's address can change), the data folder, its reports, backups and logs folders
// opened in the file manager, back up now; for a leader, adding a team member with a PIN (offline
// set-up); restoring a backup the app made (app/core/restore.h), after a confirmation; for a
// leader, re-identifying the laptop (gocua-cli reset-device) after a confirmation.
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
  // Restore: the backups listed (read when Settings opens, after a backup and after a restore
  // ended), the one picked (asked to confirm); the restore runs on its own thread
  // (app/core/restore.h) while the app shows its progress bar.
  void DrawRestore(AppModel& m);
  std::vector<BackupFile> backups_;
  std::string restore_pick_, restore_error_;
  int64_t restores_seen_ = 0;
  // Leader only: a new identity for this laptop (storage/device/device_reset.h), after a
  // confirmation that says what happens and that unsent changes are kept.
  void DrawResetDevice(AppModel& m);
  bool reset_asking_ = false;
  int64_t reset_pending_ = 0;
  std::string reset_error_;
  std::string new_member_, new_pin_, member_error_;
  bool new_leader_ = false;
};

}  // namespace gocua::app
