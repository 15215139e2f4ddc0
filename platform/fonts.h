#pragma once
// Fonts with full Vietnamese coverage that this OS usually has, best first. Implemented in
// fonts_posix.cpp / fonts_win32.cpp. Only files that exist are returned.
#include <string>
#include <vector>

namespace gocua {

std::vector<std::string> VietnameseFontFiles();

}  // namespace gocua
