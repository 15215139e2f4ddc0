#include <cstdlib>

#include "platform/paths.h"

namespace gocua {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
    return std::string(xdg) + "/gocua";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.local/share/gocua";
  return "./gocua-data";
}

}  // namespace gocua
