#pragma once
// "Back up now": a consistent copy of the database (VACUUM INTO), safe while the app and the
// sync worker keep writing (WAL readers see one snapshot). "Restore": a backup's content
// written back into the open database, after the current content was kept as a backup.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/core/database.h"

namespace gocua {

// Writes <dir>/gocua-<YYYYmmdd-HHMMSS>.db (creating `dir`) and returns its path. Never
// overwrites: a name already taken gets a suffix. Nothing is left behind on failure.
Result<std::string> BackupNow(Database& db, const std::string& dir);

struct BackupFile {
  std::string path;
  std::string name;  // gocua-20260314-101500.db
  int64_t bytes = 0;
};
// The backups BackupNow made in `dir` (gocua-*.db), newest first (the names sort by time).
// A missing folder is an empty list.
std::vector<BackupFile> ListBackups(const std::string& dir);

// Replaces the content of `db` with that of the backup at `backup_path`:
//  1. the backup is checked on a copy (never changed itself): a SQLite file that opens as a
//     Gõ Cửa database (migrated to this build's schema if older), passes quick_check and
//     belongs to this device (same device id). Otherwise kCorrupt with a Vietnamese
//     message, and nothing changed;
//  2. the current content is kept as a new backup in `backups_dir` (its path in *kept);
//  3. the copy's pages are written into `db` in steps (the SQLite backup API, one write
//     transaction: other connections see the old or the new content, never a mix);
//     `progress(done_pages, total_pages)` after each step.
// Other connections to the file (the sync worker's) stay open and read the new content; the
// caller makes sure none is writing (sync not running). The device keeps its identity: its
// change-log counter is the backup's. The pull cursor is reset, so the next sync pulls from the
// start, which brings back the ops this device sent after the backup (an incremental pull leaves
// a device's own ops out) and moves the counter past them (replica.cpp).
Status RestoreBackup(Database& db, const std::string& backup_path, const std::string& backups_dir,
                     std::string* kept = nullptr,
                     const std::function<void(int, int)>& progress = {});

}  // namespace gocua
