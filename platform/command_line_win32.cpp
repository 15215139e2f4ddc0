#include <windows.h>
// windows.h first: shellapi.h uses its types.
#include <shellapi.h>

#include <fcntl.h>
#include <io.h>

#include <cstdio>

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

void UseUtf8Console() {
  SetConsoleOutputCP(CP_UTF8);
  // Bytes out as written: a text-mode stream would turn "\n" into "\r\n", and an export sent to
  // stdout must equal the same export written to a file (and the Linux one).
  _setmode(_fileno(stdout), _O_BINARY);
  _setmode(_fileno(stderr), _O_BINARY);
}

}  // namespace gocua
