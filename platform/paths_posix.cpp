#include <cstdlib>
#include <filesystem>

#include "platform/paths.h"
#include "platform/utf8_path.h"

namespace gocua {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return JoinPathUtf8(xdg, "gocua");
  if (const char* home = std::getenv("HOME"); home && *home)
    return JoinPathUtf8(home, ".local/share/gocua");
  return "./gocua-data";
}

std::string ExecutableDir() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : PathToUtf8(self.parent_path());
}

}  // namespace gocua
