#pragma once
// What a command runs with: its output streams, the global options and the database, opened
// on first use. One Context per process run; single-threaded.
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "platform/clock.h"
#include "storage/core/database.h"
#include "base/result.h"

namespace gocua::cli {

// Exit codes of gocua-cli.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the data or the database said no
inline constexpr int kExitUsage = 2;   // the command line is wrong

class Context {
 public:
  // `out` and `err` must outlive the Context.
  Context(std::ostream& out, std::ostream& err, std::string data_dir, bool json);
  ~Context();

  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  bool json() const { return json_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string db_path() const;

  // The database at data_dir()/gocua.db, created (with its folder) if missing. Opened once;
  // later calls return the same connection or the same error.
  Result<Database*> Db();

  // Prints `st` to err() and returns kExitFailed.
  int Fail(const Status& st);
  // Prints a usage error with a pointer to `help_command`'s help and returns kExitUsage.
  int Usage(const std::string& message, const std::string& help_command = "");
  // Writes `j` to out() as indented UTF-8 JSON and a newline; returns kExitOk.
  int PrintJson(const nlohmann::json& j);

 private:
  std::ostream& out_;
  std::ostream& err_;
  std::string data_dir_;
  bool json_;
  SystemClock clock_;
  std::unique_ptr<Database> db_;
  Status db_error_;
  bool opened_ = false;
};

}  // namespace gocua::cli
