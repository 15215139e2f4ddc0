// Child processes and temporary folders for tests, one interface on Linux and Windows:
// RunProcess starts a program with stdin from a file, stdout and stderr into files, waits and
// returns its exit code and output; MakeTempDir makes a fresh folder. POSIX: posix_spawn and
// waitpid; Windows: CreateProcessW with inheritable file handles and WaitForSingleObject.
// Header-only; the test's main thread only (it uses doctest's REQUIRE).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
extern char** environ;
#endif

namespace gocua::test {

struct ProcessResult {
  int exit_code = -1;  // POSIX: 128 + signal if the process was killed
  std::string out, err;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh folder `name`-XXXXXX under the system's temp folder; the caller removes it.
inline std::filesystem::path MakeTempDir(const char* name) {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  const char* letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string suffix;
    for (int i = 0; i < 6; ++i) suffix += letters[gen() % 36];
    const std::filesystem::path p =
        std::filesystem::temp_directory_path() / (std::string(name) + "-" + suffix);
    std::error_code ec;
    if (std::filesystem::create_directory(p, ec)) return p;
  }
  FAIL("no fresh temporary folder for ", name);
  return {};
}

#ifdef _WIN32

// UTF-8 to UTF-16 (test helper; the app's own conversion lives in platform/).
inline std::wstring Widen(const std::string& s) {
  if (s.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), nullptr, 0);
  std::wstring w(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), w.data(), n);
  return w;
}

// One argument quoted for CommandLineToArgvW / the C runtime's parser.
inline std::wstring QuoteArg(const std::wstring& a) {
  if (!a.empty() && a.find_first_of(L" \t\n\v\"") == std::wstring::npos) return a;
  std::wstring q = L"\"";
  size_t backslashes = 0;
  for (wchar_t c : a) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"')
      q.append(backslashes * 2 + 1, L'\\');
    else
      q.append(backslashes, L'\\');
    backslashes = 0;
    q += c;
  }
  q.append(backslashes * 2, L'\\');
  return q + L"\"";
}

inline std::wstring CommandLine(const std::vector<std::string>& argv) {
  std::wstring line;
  for (const std::string& a : argv) line += (line.empty() ? L"" : L" ") + QuoteArg(Widen(a));
  return line;
}

// An inheritable handle on `path` (read, or write truncating).
inline HANDLE OpenInheritable(const std::filesystem::path& path, bool write) {
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  return CreateFileW(path.empty() ? L"NUL" : path.wstring().c_str(),
                     write ? GENERIC_WRITE : GENERIC_READ,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, &sa,
                     write ? CREATE_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
}

// Starts argv[0] (a Windows path) with the three standard handles; returns its process
// information (the caller closes both handles).
inline PROCESS_INFORMATION StartProcess(const std::vector<std::string>& argv_s, HANDLE in,
                                        HANDLE out, HANDLE err) {
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in;
  si.hStdOutput = out;
  si.hStdError = err;
  PROCESS_INFORMATION pi{};
  std::wstring line = CommandLine(argv_s);
  const std::wstring exe = Widen(argv_s[0]);
  const BOOL ok = CreateProcessW(exe.c_str(), line.data(), nullptr, nullptr, TRUE, CREATE_NO_WINDOW,
                                 nullptr, nullptr, &si, &pi);
  INFO("CreateProcessW ", argv_s[0], " error ", GetLastError());
  REQUIRE(ok);
  return pi;
}

// Runs `argv_s` with stdin from `in_path` (empty: the null device), stdout and stderr into files
// of `dir`, and waits.
inline ProcessResult RunProcess(const std::vector<std::string>& argv_s,
                                const std::filesystem::path& dir,
                                const std::filesystem::path& in_path = {}) {
  const std::filesystem::path out_path = dir / "stdout", err_path = dir / "stderr";
  HANDLE in = OpenInheritable(in_path, false);
  HANDLE out = OpenInheritable(out_path, true);
  HANDLE err = OpenInheritable(err_path, true);
  REQUIRE(in != INVALID_HANDLE_VALUE);
  REQUIRE(out != INVALID_HANDLE_VALUE);
  REQUIRE(err != INVALID_HANDLE_VALUE);
  PROCESS_INFORMATION pi = StartProcess(argv_s, in, out, err);
  CloseHandle(in);
  CloseHandle(out);
  CloseHandle(err);
  WaitForSingleObject(pi.hProcess, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(pi.hProcess, &code);
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  ProcessResult r;
  r.exit_code = static_cast<int>(code);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

#else  // POSIX

// Runs `argv_s` with stdin from `in_path` (empty: /dev/null), stdout and stderr into files of
// `dir`, and waits.
inline ProcessResult RunProcess(const std::vector<std::string>& argv_s,
                                const std::filesystem::path& dir,
                                const std::filesystem::path& in_path = {}) {
  const std::string out_path = (dir / "stdout").string(), err_path = (dir / "stderr").string();
  const std::string in = in_path.empty() ? std::string("/dev/null") : in_path.string();
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> copy = argv_s;
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  REQUIRE(rc == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  ProcessResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFile(out_path);
  r.err = ReadFile(err_path);
  return r;
}

#endif

}  // namespace gocua::test
