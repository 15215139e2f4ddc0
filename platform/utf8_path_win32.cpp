#include <windows.h>

#include "platform/utf8_path.h"
#include "platform/win32_text.h"

namespace gocua {

std::filesystem::path PathFromUtf8(std::string_view utf8) {
  return std::filesystem::path(WideFromUtf8(utf8));
}

std::string PathToUtf8(const std::filesystem::path& path) { return Utf8FromWide(path.native()); }

}  // namespace gocua
