#pragma once
// Restore from a backup, as Settings offers it (storage/device/backup.h does the work): the
// app's view of the data is reloaded, everyone is signed out (the members may differ), and the
// next step is said plainly.
//
// Sync after a restore: the laptop keeps its device identity and the backup's change-log
// counter. What it sent after the backup is on the hub and comes back with the next pull (a
// pull from the start includes a device's own ops), which also moves the counter past those
// seqs. So the restore starts a sync at once when the laptop is enrolled, and the message asks
// to let it finish before recording anything: a change made before that sync would reuse a seq
// the hub holds with other content, and the hub refuses the laptop as a copy (device_fork)
// until an admin gives it a new identity.
//
// Threading: UI thread only.
#include <string>

#include "app/core/model.h"

namespace gocua::app {

struct RestoreDone {
  std::string kept;      // the backup made of the content before the restore
  bool syncing = false;  // a sync was started (the laptop is enrolled)
};

// Refuses while a sync runs (kConflict). Errors carry a message for the screen in the current
// language; the technical detail is logged.
Result<RestoreDone> RestoreFromBackup(AppModel& m, const std::string& backup_path);

// "gocua-20260314-101500.db" -> the time it names (UTC, as BackupNow writes it) for the screen,
// or the name itself.
std::string BackupLabel(const std::string& name);

}  // namespace gocua::app
