// The SQLite hub store's health check (HubStore::Ping): one read of the file's meta table.
#include "storage/core/sqlite_db.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {

Status SqliteHubStore::Ping() {
  auto log_id = db_->impl().ReadMeta("hub_log_id");
  if (!log_id) return Status(ErrorCode::kIo, log_id.error().message());
  if (log_id->empty())
    return Status(ErrorCode::kIo, "the hub database has no log id: it is not a hub's");
  return Status::Ok();
}

}  // namespace gocua
