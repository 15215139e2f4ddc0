#pragma once
// Restore from a backup, as Settings offers it (storage/device/backup.h does the work): the
// copy runs on a thread of its own, the app shows only its progress bar meanwhile; then the
// app's view of the data is reloaded, everyone is signed out (the members may differ), and the
// next step is said plainly. A failure changes nothing (RestoreBackup writes in one
// transaction) and is said in the person's language; the technical detail is logged.
//
// Who may restore: any member signed in on the laptop, not only a leader. A restore loses
// nothing for good: the content before it is kept as a backup, listed first, so a restore is
// undone by restoring that one; and what was sent comes back from the hub. A leader-only
// restore would also mean no restore at all on a member's laptop, where no leader can sign in
// as a leader (docs/security.md).
//
// Sync after a restore: the laptop keeps its device identity and the backup's change-log
// counter. What it sent after the backup is on the hub and comes back with the next pull (a
// pull from the start includes a device's own ops), which also moves the counter past those
// seqs. So the restore starts a sync at once when the laptop is enrolled, and the message asks
// to let it finish before recording anything: a change made before that sync would reuse a seq
// the hub holds with other content, and the hub refuses the laptop as a copy (device_fork)
// until an admin gives it a new identity.
//
// Threading: StartRestore on the UI thread; the restore's thread opens its own connection
// and reports through the MainQueue (STYLE.md rule 6). The sync worker is held meanwhile.
#include <string>
#include <thread>

#include "app/core/model.h"

namespace gocua::app {

// The restore's thread, joined when the task goes (when the restore has ended, or when the
// model goes: quitting waits for the copy, which is one transaction either way).
class RestoreTask {
 public:
  explicit RestoreTask(std::thread t) : thread_(std::move(t)) {}
  ~RestoreTask() {
    if (thread_.joinable()) thread_.join();
  }
  RestoreTask(const RestoreTask&) = delete;
  RestoreTask& operator=(const RestoreTask&) = delete;

 private:
  std::thread thread_;
};

// Starts restoring `backup_path` (m.restore_view() follows it). Refuses while a sync or
// another restore runs (kConflict, a message for the screen). When it ends, on the UI thread:
// restored → reloaded, signed out, a sync started if enrolled, m.Info says what next;
// failed → m.restore_view().error says it plainly, nothing changed, still signed in.
Status StartRestore(AppModel& m, const std::string& backup_path);

// "gocua-20260314-101500.db" -> the time it names (UTC, as BackupNow writes it) for the screen,
// or the name itself.
std::string BackupLabel(const std::string& name);

}  // namespace gocua::app
