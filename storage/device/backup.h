#pragma once
// "Back up now": a consistent copy of the database (VACUUM INTO), safe while the app and the
// sync worker keep writing (WAL readers see one snapshot).
#include <string>

#include "storage/core/database.h"

namespace gocua {

// Writes <dir>/gocua-<YYYYmmdd-HHMMSS>.db (creating `dir`) and returns its path. Never
// overwrites: a name already taken gets a suffix. Nothing is left behind on failure.
Result<std::string> BackupNow(Database& db, const std::string& dir);

}  // namespace gocua
