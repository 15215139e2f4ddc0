// The SQLite hub store's health check (HubStore::Ping, GET /healthz). The connection stays open
// for the hub's life and serves pages from its cache, so a read through SQL alone goes on
// answering after the file under it is gone or ruined. Three cheap checks, each failing kIo
// with a plain Vietnamese message that names the file and says what to do:
//   1. the path still names the file the hub opened (not deleted, moved away or replaced);
//   2. the file's first 100 bytes, read from the disk through the VFS (not the page cache),
//      are an SQLite header: an I/O error or another file's bytes fail here;
//   3. one read of the meta table through SQL.
// A file put back as it was answers 200 again at once, without a restart. Damage deeper in the
// file is not looked for (that is PRAGMA integrity_check's, too slow for a health check).
#include <cstring>
#include <string>

#include "storage/core/sqlite_db.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
namespace {

constexpr char kHeader[] = "SQLite format 3";  // the first 16 bytes, with the final '\0'

Status Broken(const std::string& path, const std::string& what_to_do, const std::string& why) {
  return Status(ErrorCode::kIo, "Tệp dữ liệu " + path + " " + what_to_do + " — " + why);
}

}  // namespace

Status SqliteHubStore::Ping() {
  Database::Impl& d = db_->impl();
  int moved = 0;
  if (sqlite3_file_control(d.db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved)
    return Broken(d.path,
                  "đã bị xóa, đổi tên hoặc thay bằng tệp khác trong lúc máy chủ đang chạy; hãy "
                  "đưa đúng tệp đó về chỗ cũ, hoặc chép bản sao lưu vào rồi khởi động lại "
                  "gocua-hub",
                  "the data file was deleted, moved or replaced");
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(d.db, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK && file &&
      file->pMethods) {
    char header[100] = {};
    const int rc = file->pMethods->xRead(file, header, sizeof header, 0);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
      return Broken(d.path,
                    "không đọc được từ ổ đĩa; hãy kiểm tra ổ đĩa, rồi chép bản sao lưu vào và "
                    "khởi động lại gocua-hub nếu ổ đĩa hỏng",
                    std::string("read failed: ") + sqlite3_errstr(rc));
    if (std::memcmp(header, kHeader, sizeof kHeader) != 0)
      return Broken(d.path,
                    "không còn là cơ sở dữ liệu của máy chủ (đã bị ghi đè hoặc hỏng); hãy chép "
                    "bản sao lưu vào chỗ đó rồi khởi động lại gocua-hub",
                    "not an SQLite database any more");
  }
  auto log_id = d.ReadMeta("hub_log_id");
  if (!log_id)
    return Broken(d.path,
                  "không đọc được; hãy kiểm tra ổ đĩa và tệp, rồi chép bản sao lưu vào và khởi "
                  "động lại gocua-hub nếu tệp hỏng",
                  log_id.error().message());
  if (log_id->empty())
    return Broken(d.path,
                  "không phải của máy chủ đồng bộ (không có mã nhật ký); hãy kiểm tra --data",
                  "the hub database has no log id: it is not a hub's");
  return Status::Ok();
}

}  // namespace gocua
