// Opening the SQLite hub store: the factory.
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_schema.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"

namespace gocua {
namespace {}  // namespace

using namespace hub_internal;

SqliteHubStore::SqliteHubStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
SqliteHubStore::~SqliteHubStore() = default;

Result<std::unique_ptr<HubStore>> OpenSqliteHubStore(const std::string& path, const Clock& clock) {
  DatabaseOptions options;
  options.device_schema = false;  // the hub's own (hub_schema.h)
  auto db = Database::Open(path, clock, options);
  if (!db) return db.error();
  Database::Impl& d = (*db)->impl();
  // The hub serves records and never a dashboard: the search index and the dashboard's tables
  // (kept by RefreshDerived and by triggers) would cost more than half of a push's CPU.
  d.derived = false;
  if (sqlite3_db_config(d.db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr) != SQLITE_OK)
    return d.Error("triggers off", sqlite3_errcode(d.db));
  // Checkpoints every 4,000 WAL frames (~16 MB), not SQLite's 1,000: a push's hot pages (the
  // log's and the indexes' right edges) are copied to the database once per checkpoint, and
  // each checkpoint syncs. Commits still sync the WAL (synchronous = FULL): an acknowledged
  // op survives a power cut either way.
  sqlite3_wal_autocheckpoint(d.db, 4000);
  if (Status s = MigrateHubSchema(d); !s) return s;
  Status st = Transact(d, [&]() -> Status {
    auto log_id = d.ReadMeta("hub_log_id");
    if (!log_id) return log_id.error();
    if (log_id->empty()) {
      if (Status s = d.SetMeta("hub_log_id", RandomHex(4)); !s) return s;
      // The topic catalog is everyone's.
      for (const char* t : {"vneid", "dvc", "cashless", "health", "ecommerce", "safety",
                            "smartphone", "elearning", "other"})
        if (Status s = SetScope(d, "topic", t, ""); !s) return s;
    }
    return Status::Ok();
  });
  if (!st) return st;
  return std::unique_ptr<HubStore>(std::make_unique<SqliteHubStore>(std::move(db).value()));
}

}  // namespace gocua
