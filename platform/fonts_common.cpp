#include <filesystem>

#include "platform/fonts.h"
#include "platform/utf8_path.h"

namespace gocua {

std::vector<std::string> ExistingFontFiles(const std::vector<std::string>& system_candidates,
                                           const std::string& exe_dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const std::string& path : system_candidates) {
    if (std::filesystem::is_regular_file(PathFromUtf8(path), ec)) found.push_back(path);
  }
  if (!exe_dir.empty()) {
    const std::string bundled = JoinPathUtf8(exe_dir, kBundledFontRelative);
    if (std::filesystem::is_regular_file(PathFromUtf8(bundled), ec)) found.push_back(bundled);
  }
  return found;
}

}  // namespace gocua
