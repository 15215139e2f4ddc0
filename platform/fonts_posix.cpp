#include <filesystem>

#include "platform/fonts.h"

namespace gocua {

// Debian's fonts-noto-core and fonts-dejavu-core (tools/deps.sh installs both).
std::vector<std::string> VietnameseFontFiles() {
  static const char* const kCandidates[] = {
      "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/TTF/DejaVuSans.ttf",
      "/usr/share/fonts/noto/NotoSans-Regular.ttf",
  };
  std::vector<std::string> found;
  std::error_code ec;
  for (const char* path : kCandidates) {
    if (std::filesystem::is_regular_file(path, ec)) found.push_back(path);
  }
  return found;
}

}  // namespace gocua
