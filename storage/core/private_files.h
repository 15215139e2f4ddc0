#pragma once
// Files only this user may read: the data folder 0700, the database and everything written
// beside it (-wal/-shm, backups, reports, logs, hub.db) 0600. POSIX only: on Windows the data
// lives in the per-user %APPDATA% folder, whose ACL already keeps other users out
// (platform/paths_win32.cpp), and these calls do nothing.
#include <string>

#include "base/result.h"

namespace gocua {

// Creates `dir` (and its parents) if missing and makes `dir` itself 0700. Parents that
// existed before keep their modes; parents made here are 0700 too.
Status MakePrivateDir(const std::string& dir);
// Makes an existing `path` 0600; a missing file is fine (nothing to tighten).
Status MakePrivateFile(const std::string& path);
// Creates `path` empty with mode 0600 if it does not exist, then tightens it to 0600 (a file
// made earlier with 0644 included). For the database before SQLite opens it: SQLite makes
// its -wal and -shm files with the database file's mode.
Status CreatePrivateFile(const std::string& path);
// Sets the process's umask to 077, so every file it creates afterwards (reports, logs,
// temporary files) is 0600 and every folder 0700. Called first thing by gocua, gocua-cli and
// gocua-hub.
void UsePrivateUmask();
// Ignores SIGXFSZ (a write past `ulimit -f`), which would otherwise kill the process with no
// word: the write then fails with EFBIG, SQLite reports an I/O error, the transaction rolls
// back and the caller prints its Vietnamese message (database.cpp). Called by gocua and
// gocua-cli at start.
void IgnoreFileSizeSignal();

}  // namespace gocua
