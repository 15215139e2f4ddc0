#include "storage/device/backup.h"

#include <ctime>
#include <filesystem>

#include "platform/utf8_path.h"
#include "storage/core/private_files.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

Result<std::string> BackupNow(Database& db, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (Status made = MakePrivateDir(dir); !made)  // 0700: backups are this user's only
    return Status(ErrorCode::kIo, "Không tạo được thư mục sao lưu " + dir + ": " + made.message());
  const std::time_t now = static_cast<std::time_t>(db.clock().NowMs() / 1000);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::gmtime(&now));
  fs::path path = PathFromUtf8(JoinPathUtf8(dir, std::string("gocua-") + stamp + ".db"));
  for (int n = 2; fs::exists(path, ec); ++n) {
    path = PathFromUtf8(
        JoinPathUtf8(dir, std::string("gocua-") + stamp + "-" + std::to_string(n) + ".db"));
  }
  Database::Impl& d = db.impl();
  Status st;
  auto q = d.Prepare("VACUUM INTO ?1", &st);
  if (!q) return st;
  q->Bind(1, PathToUtf8(path));
  if (int rc = q->Step(); rc != SQLITE_DONE) {
    Status err = d.Error("backup", rc);
    fs::remove(path, ec);
    return Status(ErrorCode::kIo, "Sao lưu không thành công: " + err.message());
  }
  // VACUUM INTO makes the file 0644 less the umask: a backup holds everything, 0600 as the
  // database. A copy that cannot be made private is not left behind.
  if (Status mode = MakePrivateFile(PathToUtf8(path)); !mode) {
    fs::remove(path, ec);
    return Status(ErrorCode::kIo, "Sao lưu không thành công: " + mode.message());
  }
  return PathToUtf8(path);
}

}  // namespace gocua
