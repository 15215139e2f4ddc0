#include <windows.h>

#include <string>

#include "platform/paths.h"
#include "platform/utf8_path.h"
#include "platform/win32_text.h"

namespace gocua {

std::string DefaultDataDir() {
  // The wide environment: getenv() would give the ANSI code page's reading of the account name.
  std::wstring buf(32768, L'\0');  // the largest environment value Windows allows
  const DWORD n = GetEnvironmentVariableW(L"APPDATA", buf.data(), static_cast<DWORD>(buf.size()));
  if (n > 0 && n < buf.size())
    return JoinPathUtf8(Utf8FromWide(std::wstring_view(buf.data(), n)), "GoCua");
  return ".\\gocua-data";
}

std::string ExecutableDir() {
  std::wstring buf(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buf.data(), static_cast<DWORD>(buf.size()));
    if (n == 0) return {};
    if (n < buf.size()) {
      buf.resize(n);
      break;
    }
    buf.resize(buf.size() * 2);  // truncated: long path
  }
  return PathToUtf8(std::filesystem::path(buf).parent_path());
}

}  // namespace gocua
