#pragma once
// Shows a folder in the OS's file manager (Settings' "open folder" for reports, backups and
// logs). Implemented in open_folder_posix.cpp / open_folder_win32.cpp.
//
// Threading: any thread. Does not wait for the file manager.
#include <string>

#include "base/result.h"

namespace gocua {

// Opens `folder` (which must exist) in the file manager. POSIX: runs the program named by the
// environment variable GOCUA_OPENER when it is set (a stand-in for the file manager in tests),
// else `xdg-open`, with the folder as its one argument: posix_spawnp, no shell, the child reaped
// in the background. Windows: ShellExecuteW "open". kNotFound when the folder does not exist,
// kIo when the opener cannot be started.
Status OpenFolder(const std::string& folder);

}  // namespace gocua
