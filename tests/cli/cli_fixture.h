#pragma once
// gocua-cli end to end, the shared parts of tests/cli/cli_*_test.cpp: a Cli that runs the real
// binary (GOCUA_CLI_PATH) in a fresh data folder and returns its exit code, stdout and stderr,
// and a commune set up through it. Only where the CLI is built (GOCUA_CLI_PATH defined).
#ifdef GOCUA_CLI_PATH

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/core/database.h"

extern char** environ;

namespace gocua::cli_fixture {

namespace fs = std::filesystem;
using nlohmann::json;

struct CliResult {
  int exit_code = -1;  // 128 + signal if the process was killed
  std::string out, err;
};

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void WriteFile(const fs::path& p, const std::string& bytes) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(f.good());
}

inline std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A temporary folder for one test: the data folder lives in it, and the runs' output files.
// Removed when the test ends.
class Cli {
 public:
  Cli() {
    std::string templ = (fs::temp_directory_path() / "gocua-cli-test-XXXXXX").string();
    REQUIRE(mkdtemp(templ.data()) != nullptr);
    dir_ = templ;
  }
  ~Cli() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  const fs::path& dir() const { return dir_; }
  std::string data() const { return (dir_ / "data").string(); }

  // Runs gocua-cli with exactly `args` (stdin is /dev/null).
  CliResult RunRaw(const std::vector<std::string>& args) {
    std::vector<std::string> argv_s = {GOCUA_CLI_PATH};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    return RunWith(argv_s);
  }

  // Runs the program argv[0] (a path) with `argv_s` (stdin is /dev/null), e.g. a shell that
  // sets a limit and execs gocua-cli.
  CliResult RunWith(std::vector<std::string> argv_s) {
    const std::string out_path = (dir_ / "stdout").string(), err_path = (dir_ / "stderr").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    REQUIRE(rc == 0);
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = ReadFile(out_path);
    r.err = ReadFile(err_path);
    return r;
  }

  // Runs gocua-cli on this test's data folder.
  CliResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data", data()});
    return RunRaw(args);
  }

  // Runs a command that must succeed; returns its stdout without the final newline.
  std::string Ok(const std::vector<std::string>& args) {
    CliResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    return Trim(r.out);
  }

  // Runs a command with --json that must succeed; returns its parsed stdout.
  json Json(std::vector<std::string> args) {
    args.push_back("--json");
    CliResult r = Run(args);
    INFO("command: ", Join(args), "\nstderr: ", r.err);
    REQUIRE(r.exit_code == 0);
    json j = json::parse(r.out, nullptr, false);
    INFO("stdout: ", r.out);
    REQUIRE_FALSE(j.is_discarded());
    return j;
  }

  fs::path Write(const std::string& name, const std::string& bytes) {
    WriteFile(dir_ / name, bytes);
    return dir_ / name;
  }

  static std::string Join(const std::vector<std::string>& args) {
    std::string s;
    for (const std::string& a : args) s += (s.empty() ? "" : " ") + a;
    return s;
  }

 private:
  fs::path dir_;
};

inline constexpr const char* kBom = "\xEF\xBB\xBF";

// A commune with two villages, a member and a leader.
struct Commune {
  std::string member, leader;
};

inline Commune SetUp(Cli& cli) {
  cli.Ok({"init", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  cli.Ok({"village", "add", "Thôn", "An", "Phú"});  // words are joined
  cli.Ok({"village", "add", "Thôn 2"});
  Commune c;
  c.member =
      cli.Ok({"member", "add", "--name", "Trần Thị Hoa", "--role", "member", "--pin", "1234"});
  c.leader = cli.Ok({"member", "add", "--name", "Lê Văn Tám", "--role", "leader", "--pin", "9876"});
  return c;
}

}  // namespace gocua::cli_fixture

#endif  // GOCUA_CLI_PATH
