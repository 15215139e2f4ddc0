#pragma once
// The program's arguments as UTF-8, on every Windows. The manifest's activeCodePage UTF-8
// (platform/windows/gocua.manifest) gives UTF-8 argv on Windows 10 1903 and later; older Windows
// ignore it and pass the ANSI code page. Implemented in command_line_posix.cpp (argv as it is)
// and command_line_win32.cpp (CommandLineToArgvW(GetCommandLineW()), converted to UTF-8).
#include <string>
#include <vector>

namespace gocua {

// argv[0..argc) as UTF-8 (argv itself is used only on POSIX).
std::vector<std::string> Utf8Arguments(int argc, char** argv);

// Makes the console (if any) show UTF-8 output as text: SetConsoleOutputCP(CP_UTF8) on
// Windows, with stdout and stderr in binary mode (no "\r" added); nothing elsewhere.
void UseUtf8Console();

}  // namespace gocua
