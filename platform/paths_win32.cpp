#include <cstdlib>

#include "platform/paths.h"

namespace gocua {

std::string DefaultDataDir() {
  if (const char* appdata = std::getenv("APPDATA"); appdata && *appdata)
    return std::string(appdata) + "\\GoCua";
  return ".\\gocua-data";
}

}  // namespace gocua
