#include <cstdlib>
#include <filesystem>

#include "platform/fonts.h"

namespace gocua {

// Segoe UI and Arial both cover Vietnamese.
std::vector<std::string> VietnameseFontFiles() {
  const char* windir = std::getenv("WINDIR");
  const std::filesystem::path fonts = std::filesystem::path(windir ? windir : "C:\\Windows") / "Fonts";
  std::vector<std::string> found;
  std::error_code ec;
  for (const char* name : {"segoeui.ttf", "arial.ttf", "tahoma.ttf"}) {
    if (std::filesystem::is_regular_file(fonts / name, ec)) found.push_back((fonts / name).string());
  }
  return found;
}

}  // namespace gocua
