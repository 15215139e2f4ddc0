#include <filesystem>

#include "platform/paths.h"
#include "platform/utf8_path.h"

namespace gocua {

std::string AssetsDirNextToExecutable() {
  const std::string exe_dir = ExecutableDir();
  if (exe_dir.empty()) return {};
  const std::string assets = JoinPathUtf8(exe_dir, "assets");
  std::error_code ec;
  return std::filesystem::is_directory(PathFromUtf8(assets), ec) ? assets : std::string();
}

}  // namespace gocua
