// HubProcess for the Windows tests under Wine: the same interface as the POSIX class in
// hub_process.h, over the LINUX gocua-hub (the hub is Linux-only). Included by hub_process.h.
//
// How: Wine runs a Unix executable given to CreateProcess by its Z:\ path, but returns no process
// handle and passes none of the caller's standard handles. So every hub run goes through
// tests/support/unix_run.sh (GOCUA_UNIX_RUN), which writes the hub's output, pid and exit code
// into files of the hub's folder; Stop() and Signal() run /bin/kill the same way. Arguments that
// are Windows paths ("C:\...", "Z:/...") reach the hub as Unix paths (Wine's
// wine_get_unix_file_name). The hub binary: the environment variable GOCUA_LINUX_HUB, else the
// compiled-in GOCUA_LINUX_HUB (a Unix path; tools/windows/test.sh sets it).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"

namespace gocua::test {

// The Unix path of a Windows path (Wine only; fails the test elsewhere).
inline std::string UnixPath(const std::filesystem::path& p) {
  using ToUnix = char*(__cdecl*)(const wchar_t*);
  static const auto to_unix = reinterpret_cast<ToUnix>(reinterpret_cast<void*>(
      GetProcAddress(GetModuleHandleW(L"kernel32.dll"), "wine_get_unix_file_name")));
  const bool under_wine = to_unix != nullptr;
  REQUIRE_MESSAGE(under_wine, "the Windows hub tests run under Wine only");
  char* u = to_unix(std::filesystem::absolute(p).wstring().c_str());
  REQUIRE(u != nullptr);
  std::string s(u);
  HeapFree(GetProcessHeap(), 0, u);
  return s;
}

// The Windows path of a Unix path: Wine maps / to Z:\.
inline std::string WinPathOfUnix(const std::string& unix_path) {
  std::string w = "Z:" + unix_path;
  std::replace(w.begin(), w.end(), '/', '\\');
  return w;
}

inline std::string HubBinary() {
  if (const char* env = std::getenv("GOCUA_LINUX_HUB"); env && *env) return env;
#ifdef GOCUA_LINUX_HUB
  return GOCUA_LINUX_HUB;
#else
  return {};
#endif
}

inline bool LooksLikeWindowsPath(const std::string& a) {
  return a.size() >= 3 && std::isalpha(static_cast<unsigned char>(a[0])) && a[1] == ':' &&
         (a[2] == '\\' || a[2] == '/');
}

class HubProcess {
 public:
  HubProcess() : dir_(MakeTempDir("gocua-hub-test")) {
    INFO("the Linux hub binary (GOCUA_LINUX_HUB): ", HubBinary());
    REQUIRE(!HubBinary().empty());
    REQUIRE(std::filesystem::exists(WinPathOfUnix(HubBinary())));
    std::filesystem::create_directories(dir_ / "runs");
  }
  ~HubProcess() {
    if (pid_ > 0) {
      Spawn({"/bin/kill", "-KILL", std::to_string(pid_.load())}, "final-kill");
      WaitForFile(dir_ / "runs" / "serve.rc", std::chrono::seconds(10));
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  std::string data() const { return (dir_ / "data").string(); }
  std::string db_path() const { return (dir_ / "data" / "hub.db").string(); }
  // As the POSIX HubProcess's, for the tests templated over stores (pg_hubs.h): from Windows
  // the hub runs on its data folder only (the PostgreSQL cases are Linux-only).
  void UseStore(const std::string& uri) {
    REQUIRE_MESSAGE(uri.empty(), "a PostgreSQL hub is not started from the Windows tests");
  }
  const std::string& store() const {
    static const std::string kDataFolder;
    return kDataFolder;
  }
  int port() const { return port_; }
  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  bool running() const { return pid_ > 0; }
  std::string ServerLog() const { return ReadFile(dir_ / "runs" / "serve.err"); }

  ProcessResult RunRaw(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {HubBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    const std::string tag = "run" + std::to_string(++runs_);
    Spawn(argv, tag);
    const std::filesystem::path rc = dir_ / "runs" / (tag + ".rc");
    INFO("hub command: ", Join(args));
    REQUIRE(WaitForFile(rc, std::chrono::seconds(120)));
    ProcessResult r;
    r.exit_code = std::atoi(ReadFile(rc).c_str());
    r.out = ReadFile(dir_ / "runs" / (tag + ".out"));
    r.err = ReadFile(dir_ / "runs" / (tag + ".err"));
    return r;
  }
  ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.end(), {"--data", data()});
    return RunRaw(args);
  }
  std::string Ok(const std::vector<std::string>& args) {
    ProcessResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    std::string out = r.out;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
      out.pop_back();
    return out;
  }
  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    const std::string out = Ok(args);
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    INFO("stdout: ", out);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }
  std::string Export() { return Ok({"export", "--format", "json"}); }

  void Start(const std::vector<std::string>& extra = {}) {
    REQUIRE(pid_ < 0);
    std::vector<std::string> argv = {HubBinary(), "serve",    "--data",
                                     data(),      "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    tls_ = std::find(extra.begin(), extra.end(), "--tls-cert") != extra.end();
    for (const char* old : {"serve.out", "serve.pid", "serve.rc"})
      std::filesystem::remove(dir_ / "runs" / old);  // a previous run's
    Spawn(argv, "serve");
    const std::filesystem::path out = dir_ / "runs" / "serve.out";
    const std::filesystem::path pid = dir_ / "runs" / "serve.pid";
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      line = ReadFile(out);
      if (line.find('\n') != std::string::npos && std::filesystem::exists(pid)) break;
      if (std::filesystem::exists(dir_ / "runs" / "serve.rc")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO("stdout: ", line, "\nstderr: ", ServerLog());
    const std::string prefix =
        std::string("listening on ") + (tls_ ? "https" : "http") + "://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    port_ = std::atoi(line.c_str() + prefix.size());
    REQUIRE(port_ > 0);
    pid_ = std::atoi(ReadFile(pid).c_str());
    REQUIRE(pid_ > 0);
  }

  // Sends signal `sig` (15: SIGTERM) and waits up to 10 s; the exit code (128 + signal if killed).
  int Stop(int sig = 15, double* seconds = nullptr) {
    REQUIRE(pid_ > 0);
    const auto start = std::chrono::steady_clock::now();
    Signal(sig);
    const std::filesystem::path rc = dir_ / "runs" / "serve.rc";
    const bool done = WaitForFile(rc, std::chrono::seconds(10));
    if (seconds)
      *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!done) {
      Signal(9);
      WaitForFile(rc, std::chrono::seconds(10));
      pid_ = -1;
      FAIL("the hub did not stop within 10 s of the signal");
    }
    pid_ = -1;
    return std::atoi(ReadFile(rc).c_str());
  }
  int Kill() { return Stop(9); }

  // Sends `sig` through /bin/kill without waiting for the hub.
  void Signal(int sig) {
    const int pid = pid_;
    if (pid > 0)
      Spawn({"/bin/kill", "-" + std::to_string(sig), std::to_string(pid)},
            "signal" + std::to_string(++signals_));
  }

  static std::string Join(const std::vector<std::string>& args) {
    std::string s;
    for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
  }

 private:
  // Starts unix_run.sh DIR TAG argv... as a Unix process; Windows paths become Unix paths.
  void Spawn(const std::vector<std::string>& argv, const std::string& tag) {
    std::vector<std::string> line = {WinPathOfUnix(GOCUA_UNIX_RUN), UnixPath(dir_ / "runs"), tag};
    for (const std::string& a : argv) line.push_back(LooksLikeWindowsPath(a) ? UnixPath(a) : a);
    std::wstring cmd = CommandLine(line);
    STARTUPINFOW si{};
    si.cb = sizeof si;
    PROCESS_INFORMATION pi{};
    const BOOL ok =
        CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi);
    INFO("CreateProcessW (Unix) ", Join(line), " error ", GetLastError());
    REQUIRE(ok);
    if (pi.hProcess) CloseHandle(pi.hProcess);
    if (pi.hThread) CloseHandle(pi.hThread);
  }

  static bool WaitForFile(const std::filesystem::path& p, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!std::filesystem::exists(p)) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  std::filesystem::path dir_;
  std::atomic<int> pid_{-1};
  int port_ = 0;
  int runs_ = 0;
  std::atomic<int> signals_{0};
  bool tls_ = false;
};

}  // namespace gocua::test
