#pragma once
// Per-OS folders, as UTF-8 text in the platform's separators. Implemented in paths_posix.cpp /
// paths_win32.cpp (+ paths_common.cpp).
#include <string>

namespace gocua {

// Where Gõ Cửa keeps its data when no --data is given:
// $XDG_DATA_HOME/gocua, else ~/.local/share/gocua (POSIX); %APPDATA%\GoCua (Windows, read as
// UTF-16 so that an account name with diacritics survives). Does not create the folder.
std::string DefaultDataDir();

// The folder holding the running executable (/proc/self/exe; GetModuleFileNameW), "" if the OS
// cannot say.
std::string ExecutableDir();

// "<ExecutableDir()>/assets" when that folder exists (an installed or packaged app), else "".
std::string AssetsDirNextToExecutable();

}  // namespace gocua
