#include <windows.h>
// windows.h first: shellapi.h uses its types.
#include <shellapi.h>

#include "platform/command_line.h"
#include "platform/win32_text.h"

namespace gocua {

std::vector<std::string> Utf8Arguments(int argc, char** argv) {
  int n = 0;
  LPWSTR* wide = CommandLineToArgvW(GetCommandLineW(), &n);
  if (!wide) return std::vector<std::string>(argv, argv + argc);
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(Utf8FromWide(wide[i]));
  LocalFree(wide);
  return out;
}

void UseUtf8Console() { SetConsoleOutputCP(CP_UTF8); }

}  // namespace gocua
