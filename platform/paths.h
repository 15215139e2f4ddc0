#pragma once
// Per-OS folders. Implemented in paths_posix.cpp / paths_win32.cpp.
#include <string>

namespace gocua {

// Where Gõ Cửa keeps its data when no --data is given:
// $XDG_DATA_HOME/gocua, else ~/.local/share/gocua (POSIX); %APPDATA%\GoCua (Windows).
// Does not create the folder.
std::string DefaultDataDir();

}  // namespace gocua
