#pragma once
// Fonts with full Vietnamese coverage, best first. Implemented in fonts_posix.cpp /
// fonts_win32.cpp (+ fonts_common.cpp). Only files that exist are returned.
//
// Last in the list, on every OS, comes the open font shipped beside the executable
// (<exe dir>/fonts/DejaVuSans.ttf: the Windows package copies Debian's fonts-dejavu-core file
// there), so a machine without any of the system fonts still shows every diacritic.
#include <string>
#include <vector>

namespace gocua {

// The name of the bundled fallback font, relative to the executable's folder.
inline constexpr const char* kBundledFontRelative = "fonts/DejaVuSans.ttf";

std::vector<std::string> VietnameseFontFiles();

// The pure part of VietnameseFontFiles(), for tests: of `system_candidates` (UTF-8 paths) those
// that are files, then `<exe_dir>/fonts/DejaVuSans.ttf` if it is one.
std::vector<std::string> ExistingFontFiles(const std::vector<std::string>& system_candidates,
                                           const std::string& exe_dir);

// What a person should do when no font was usable, in this OS's terms (plain Vietnamese, then
// English).
std::string MissingFontAdvice();

}  // namespace gocua
