// The real gocua-hub process for end-to-end tests: found beside the test binary through
// /proc/self/exe, run on loopback over a data folder that outlives it — start, stop, SIGKILL,
// restart — with its admin commands, and a read-only look into its database file.
// Header-only, like fault_proxy.h; links nothing beyond storage (for SQLite).
//
// Windows (the cross-built tests under Wine): the hub is the LINUX gocua-hub (GOCUA_LINUX_HUB),
// started through tests/support/unix_run.sh, which Wine runs as a Unix process (CreateProcess of
// its Z:\ path). Wine gives a Unix child no process handle and none of our standard handles, so
// the script keeps the hub's pid, output and exit code in files of the hub's folder, and signals
// go through /bin/kill. Arguments that are Windows paths are handed to the hub as Unix paths
// (wine_get_unix_file_name). hub_process_win32.h holds that class.
//
// Threading: for the test's main thread (it uses doctest's REQUIRE), except
// HubProcess::Signal(), which another thread may call.
#pragma once

#include <doctest/doctest.h>
#include <sqlite3.h>
#ifndef _WIN32
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/process.h"
#ifdef _WIN32
#include "tests/support/hub_process_win32.h"  // HubProcess for the Windows client
#endif

namespace gocua::test {

// ---- Files and processes ----------------------------------------------------------------------

inline std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

inline int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

#ifndef _WIN32
inline std::filesystem::path HubBinary() {
#ifdef GOCUA_HUB_PATH
  return GOCUA_HUB_PATH;  // set by test binaries that do not live in build/tests/
#endif
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return self.parent_path().parent_path() / "sync" / "hub" / "gocua-hub";
}

// ---- The hub process --------------------------------------------------------------------------

// `gocua-hub serve` on a loopback port over a data folder that stays across restarts and
// crashes, and the hub's admin commands on that folder. The destructor kills a running hub
// and removes the folder.
class HubProcess {
 public:
  HubProcess() : dir_(MakeTempDir("gocua-hub-test")) {
    INFO("the hub binary: ", HubBinary().string());
    REQUIRE(std::filesystem::exists(HubBinary()));
  }
  ~HubProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_fd_ >= 0) close(out_fd_);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  HubProcess(const HubProcess&) = delete;
  HubProcess& operator=(const HubProcess&) = delete;

  std::string data() const { return (dir_ / "data").string(); }
  std::string db_path() const { return (dir_ / "data" / "hub.db").string(); }
  int port() const { return port_; }
  std::string url() const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
  }
  bool running() const { return pid_ > 0; }
  // What the hub wrote to stderr (its request log) since it last started.
  std::string ServerLog() const { return ReadFile(dir_ / "serve.err"); }

  // gocua-hub with exactly `args`.
  ProcessResult RunRaw(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {HubBinary().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunProcess(argv, dir_);
  }
  // Serve and administer the PostgreSQL database `uri` (--store) instead of the data folder.
  void UseStore(const std::string& uri) { store_ = uri; }
  const std::string& store() const { return store_; }  // "" = the data folder
  // The options naming this hub's store: --data DIR, or --store URI after UseStore.
  std::vector<std::string> StoreArgs() const {
    if (!store_.empty()) return {"--store", store_};
    return {"--data", data()};
  }
  // gocua-hub on this hub's store.
  ProcessResult Run(std::vector<std::string> args) {
    for (const std::string& a : StoreArgs()) args.push_back(a);
    return RunRaw(args);
  }
  // A command that must succeed; its stdout without the final newline.
  std::string Ok(const std::vector<std::string>& args) {
    ProcessResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return TrimEnd(r.out);
  }
  nlohmann::json Json(std::vector<std::string> args) {
    args.push_back("--json");
    const std::string out = Ok(args);
    nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
    INFO("stdout: ", out);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }
  // The canonical JSON export of the hub's records, without the final newline.
  std::string Export() { return Ok({"export", "--format", "json"}); }

  // Starts `gocua-hub serve` on a free loopback port and waits for its "listening on" line.
  // `extra`: more serve options, e.g. {"--tls-cert", F, "--tls-key", K} (the hub then
  // prints and url() gives an https address).
  void Start(const std::vector<std::string>& extra = {}) {
    REQUIRE(pid_ < 0);
    if (out_fd_ >= 0) close(out_fd_);
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    const std::string err_path = (dir_ / "serve.err").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> argv_s = {HubBinary().string(), "serve"};
    for (const std::string& a : StoreArgs()) argv_s.push_back(a);
    argv_s.insert(argv_s.end(), {"--listen", "127.0.0.1:0"});
    argv_s.insert(argv_s.end(), extra.begin(), extra.end());
    tls_ = std::find(extra.begin(), extra.end(), "--tls-cert") != extra.end();
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    out_fd_ = fds[0];
    REQUIRE(rc == 0);
    pid_ = pid;
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd pfd{out_fd_, POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0) continue;
      char c[256];
      const ssize_t n = read(out_fd_, c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<size_t>(n));
    }
    INFO("stdout: ", line, "\nstderr: ", ServerLog());
    const std::string prefix =
        std::string("listening on ") + (tls_ ? "https" : "http") + "://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    port_ = std::atoi(line.c_str() + prefix.size());
    REQUIRE(port_ > 0);
  }

  // Sends `sig` and waits up to 10 s; returns the exit code (128 + signal if killed).
  int Stop(int sig = SIGTERM, double* seconds = nullptr) {
    REQUIRE(pid_ > 0);
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(kill(pid_, sig) == 0);
    int status = 0;
    pid_t done = 0;
    while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() - start < std::chrono::seconds(10))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (seconds)
      *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done == 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      pid_ = -1;
      FAIL("the hub did not stop within 10 s of the signal");
    }
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // kill -9: no shutdown, no flush, no cleanup. Returns the exit code (137).
  int Kill() { return Stop(SIGKILL); }

  // Sends `sig` without waiting; safe from any thread while the main thread does not Start()
  // or Stop(). The process stays a zombie until Stop() reaps it, so its pid is not reused.
  void Signal(int sig) const {
    const pid_t pid = pid_;
    if (pid > 0) kill(pid, sig);
  }

  static std::string Join(const std::vector<std::string>& args) {
    std::string s;
    for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
  }

 private:
  std::filesystem::path dir_;
  std::atomic<pid_t> pid_{-1};
  int out_fd_ = -1;
  int port_ = 0;
  bool tls_ = false;  // the last Start() served HTTPS
  std::string store_;  // UseStore's URI, "" = the data folder
};

#endif  // !_WIN32

// ---- Reading a database file from outside -----------------------------------------------------

// A read-only SQLite connection to a database file (the hub's, while it runs or after it
// died), for checks the public interfaces do not offer.
class SqliteReader {
 public:
  explicit SqliteReader(const std::string& path) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr);
    INFO("open ", path, ": ", db_ ? sqlite3_errmsg(db_) : "out of memory");
    REQUIRE(rc == SQLITE_OK);
    sqlite3_busy_timeout(db_, 5000);
  }
  ~SqliteReader() { sqlite3_close(db_); }
  SqliteReader(const SqliteReader&) = delete;
  SqliteReader& operator=(const SqliteReader&) = delete;

  // The rows of `sql`, each column as text ("" for NULL).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    INFO(sql);
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    INFO(sqlite3_errmsg(db_));
    REQUIRE(rc == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const unsigned char* t = sqlite3_column_text(st, i);
        row.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    REQUIRE(rc == SQLITE_DONE);
    return rows;
  }
  int64_t Int(const std::string& sql) {
    auto rows = Rows(sql);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].size() == 1);
    return std::stoll(rows[0][0]);
  }
  // "ok", or what PRAGMA integrity_check found.
  std::string IntegrityCheck() {
    std::string out;
    for (const auto& row : Rows("PRAGMA integrity_check"))
      out += (out.empty() ? "" : "\n") + row[0];
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace gocua::test
