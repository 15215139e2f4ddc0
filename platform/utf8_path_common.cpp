#include "platform/utf8_path.h"

namespace gocua {

std::string JoinPathUtf8(std::string_view dir, std::string_view name) {
  std::filesystem::path p = PathFromUtf8(dir);
  p /= PathFromUtf8(name);
  return PathToUtf8(p.make_preferred());
}

}  // namespace gocua
