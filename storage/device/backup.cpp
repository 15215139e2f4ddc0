#include "storage/device/backup.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

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

namespace gocua {
namespace {

namespace fs = std::filesystem;

// A SQLite file starts with these 16 bytes; an empty or other file would open as a new, empty
// database and must not.
bool HasSqliteHeader(const std::string& path) {
  std::ifstream f(PathFromUtf8(path), std::ios::binary);
  if (!f) return false;
  char head[16] = {};
  f.read(head, sizeof head);
  const auto n = static_cast<size_t>(f.gcount());
  return n == sizeof head && std::memcmp(head, "SQLite format 3", 16) == 0;
}

Status NotABackup(const std::string& path, const std::string& why) {
  return Status(ErrorCode::kCorrupt,
                "Tệp " + PathToUtf8(PathFromUtf8(path).filename()) +
                    " không phải bản sao lưu dùng được của máy này (" + why +
                    "). Dữ liệu hiện tại không thay đổi; hãy chọn bản sao lưu khác.");
}

// Checks the copy at `path` and returns it opened (migrated if older).
Result<std::unique_ptr<Database>> OpenChecked(const std::string& path, const std::string& shown,
                                              Database& live) {
  if (!HasSqliteHeader(path)) return NotABackup(shown, "không phải tệp cơ sở dữ liệu");
  auto copy = Database::Open(path, live.clock());
  if (!copy) return NotABackup(shown, "không mở được: " + copy.error().message());
  Database::Impl& c = (*copy)->impl();
  Status st;
  auto q = c.Prepare("PRAGMA quick_check", &st);
  if (!q) return NotABackup(shown, st.message());
  if (q->Step() != SQLITE_ROW || q->Text(0) != "ok") return NotABackup(shown, "tệp bị hỏng");
  q.reset();
  if (c.device_id != live.impl().device_id) return NotABackup(shown, "của một máy khác");
  return std::move(*copy);
}

}  // namespace

std::vector<BackupFile> ListBackups(const std::string& dir) {
  std::vector<BackupFile> out;
  std::error_code ec;
  for (fs::directory_iterator it(PathFromUtf8(dir), ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = PathToUtf8(it->path().filename());
    if (name.rfind("gocua-", 0) != 0 || it->path().extension() != ".db") continue;
    std::error_code size_ec;
    const auto bytes = fs::file_size(it->path(), size_ec);
    out.push_back({PathToUtf8(it->path()), name, size_ec ? 0 : static_cast<int64_t>(bytes)});
  }
  std::sort(out.begin(), out.end(),
            [](const BackupFile& a, const BackupFile& b) { return a.name > b.name; });
  return out;
}

Status RestoreBackup(Database& db, const std::string& backup_path, const std::string& backups_dir,
                     std::string* kept, const std::function<void(int, int)>& progress) {
  // The check runs on a copy: opening migrates, and the backup itself stays as it was.
  const std::string tmp = db.impl().path + ".restore";
  std::error_code ec;
  fs::remove(PathFromUtf8(tmp), ec);
  fs::copy_file(PathFromUtf8(backup_path), PathFromUtf8(tmp), ec);
  if (ec) return NotABackup(backup_path, "không đọc được: " + ec.message());
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      std::error_code e;
      fs::remove(PathFromUtf8(path), e);
      fs::remove(PathFromUtf8(path + "-wal"), e);
      fs::remove(PathFromUtf8(path + "-shm"), e);
    }
  } cleanup{tmp};
  auto copy = OpenChecked(tmp, backup_path, db);
  if (!copy) return copy.error();
  // The next pull starts from the start: an incremental pull leaves this device's own ops out
  // (docs/sync-protocol.md, "Pulls"), and those sent after the backup must come back. Reset in
  // the copy, so it arrives with the pages: once the pages are in, the restore has happened and
  // nothing after it can fail (a reset written afterwards could, and the caller was told
  // "restore failed" about a database already restored).
  {
    Database::Impl& c = (*copy)->impl();
    if (Status st = c.Transact([&] { return c.SetMeta("pull_cursor", ""); }); !st)
      return NotABackup(backup_path, "không ghi được bản sao tạm: " + st.message());
  }

  auto saved = BackupNow(db, backups_dir);  // the current content first
  if (!saved) return saved.error();
  if (kept) *kept = *saved;

  sqlite3_backup* b = sqlite3_backup_init(db.impl().db, "main", (*copy)->impl().db, "main");
  if (!b) return db.impl().Error("restore", sqlite3_errcode(db.impl().db));
  int rc;
  // A connection that keeps writing for ~10 s makes the restore give up. By the clock, not by
  // tries: each busy step has already waited out the connection's busy timeout (5 s), so 500
  // tries were ~40 minutes behind a held lock.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    rc = sqlite3_backup_step(b, 256);
    if (progress && (rc == SQLITE_OK || rc == SQLITE_DONE)) {
      const int total = sqlite3_backup_pagecount(b);
      progress(total - sqlite3_backup_remaining(b), total);
    }
    if (rc == SQLITE_OK) continue;
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < give_up) {
      sqlite3_sleep(20);
      continue;
    }
    break;
  }
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return Status(ErrorCode::kIo,
                  "Khôi phục không thành công (" + std::string(sqlite3_errstr(rc)) +
                      "); dữ liệu hiện tại vẫn như trước. Bản sao dữ liệu hiện tại: " + *saved);
  }
  return Status::Ok();
}

}  // namespace gocua
