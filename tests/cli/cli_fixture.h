#pragma once
// gocua-cli end to end, the shared parts of tests/cli/cli_*_test.cpp: a Cli that runs the real
// binary (GOCUA_CLI_PATH) in a fresh data folder and returns its exit code, stdout and stderr,
// and a commune set up through it. Only where the CLI is built (GOCUA_CLI_PATH defined).
#ifdef GOCUA_CLI_PATH

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "tests/support/process.h"

namespace gocua::cli_fixture {

namespace fs = std::filesystem;
using nlohmann::json;

using CliResult = test::ProcessResult;
using test::ReadFile;

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
  Cli() : dir_(test::MakeTempDir("gocua-cli-test")) {}
  ~Cli() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  Cli(const Cli&) = delete;
  Cli& operator=(const Cli&) = delete;

  const fs::path& dir() const { return dir_; }
  std::string data() const { return (dir_ / "data").string(); }

  // Runs gocua-cli with exactly `args` (stdin is the null device).
  CliResult RunRaw(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {GOCUA_CLI_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunWith(argv);
  }

  // Runs the program argv[0] (a path) with the rest of `argv` (stdin is the null device), e.g. a
  // shell that sets a limit and execs gocua-cli.
  CliResult RunWith(const std::vector<std::string>& argv) { return test::RunProcess(argv, dir_); }

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
