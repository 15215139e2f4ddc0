#include "tools/cli/context.h"

#include <filesystem>
#include <ostream>
#include <system_error>

#include "platform/utf8_path.h"
#include "storage/core/private_files.h"

namespace gocua::cli {

Context::Context(std::ostream& out, std::ostream& err, std::string data_dir, bool json)
    : out_(out), err_(err), data_dir_(std::move(data_dir)), json_(json) {}

Context::~Context() = default;

std::string Context::db_path() const { return JoinPathUtf8(data_dir_, "gocua.db"); }

Result<Database*> Context::Db() {
  if (!opened_) {
    opened_ = true;
    // The data folder is this user's only (0700), also one an older build made 0755.
    if (Status made = MakePrivateDir(data_dir_); !made) {
      db_error_ = {ErrorCode::kIo, "Không tạo được thư mục dữ liệu " + data_dir_ +
                                       "; chọn thư mục khác bằng --data — cannot create data "
                                       "folder: " +
                                       made.message()};
    } else {
      auto db = Database::Open(db_path(), clock_);
      if (db)
        db_ = std::move(*db);
      else
        db_error_ = db.error();
    }
  }
  if (!db_) return db_error_;
  return db_.get();
}

int Context::Fail(const Status& st) {
  err_ << "gocua-cli: " << st.message() << "\n";
  return kExitFailed;
}

int Context::Usage(const std::string& message, const std::string& help_command) {
  err_ << "gocua-cli: " << message << "\n";
  const std::string cmd =
      help_command.empty() ? "gocua-cli --help" : "gocua-cli " + help_command + " --help";
  err_ << "Xem '" << cmd << "' — see '" << cmd << "'\n";
  return kExitUsage;
}

int Context::PrintJson(const nlohmann::json& j) {
  out_ << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

}  // namespace gocua::cli
