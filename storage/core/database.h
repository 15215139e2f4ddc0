#pragma once
// The local database file: opening, migrations, integrity. One Database is one SQLite
// connection; use it from one thread at a time. Each thread (UI, sync worker) opens its own.
#include <cstdint>
#include <memory>
#include <string>

#include "platform/clock.h"
#include "base/result.h"

namespace gocua {

// The schema version this build writes. A file with a higher PRAGMA user_version is refused.
inline constexpr int kSchemaVersion = 16;

// How Database::Open opens its file. The defaults are what the app uses.
struct DatabaseOptions {
  // The SQLite VFS to open the file through, by its registered name; "" = SQLite's default.
  // Tests open through a fault-injecting VFS (tests/support/fault_vfs.h).
  std::string vfs;
  // False: the file's schema is not the device's (the hub keeps its own:
  // sync/hub/store/sqlite/hub_schema.h). Open then neither migrates the file nor reads its
  // user_version, and device_id() is what meta held ("" if nothing): the owner of the schema
  // makes both.
  bool device_schema = true;
};

class Database {
 public:
  struct Impl;

  // Opens (creating if missing) the database at `path` (":memory:" for tests) and migrates it
  // to kSchemaVersion. WAL, synchronous=FULL, foreign keys on, 5 s busy timeout.
  // Fails with kTooNew for a file written by a newer Gõ Cửa, kCorrupt for a file that is
  // not a database. `clock` must outlive the Database.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const Clock& clock);
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const Clock& clock,
                                                const DatabaseOptions& options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // This device's id (a UUIDv7 made when the file was created); the origin of its ops.
  const std::string& device_id() const;
  const Clock& clock() const;
  // The member signed in on this device ("" = nobody): the author of the change-log entries
  // written from now on, which the hub checks (docs/sync-protocol.md, "author"). The app sets
  // it at sign-in and clears it at sign-out; a leader's review names its leader itself.
  void SetAuthor(const std::string& member_id);
  const std::string& author() const;
  int SchemaVersion();
  // "ok", or what PRAGMA integrity_check reported.
  Result<std::string> IntegrityCheck();

  // Memory. The page cache grows as pages are read, up to 32 MiB per connection (the leader's
  // dashboard reads ~20 MiB of indexes per computation, docs/benchmarks.md), and keeps them.
  // Bytes the page cache holds now (SQLITE_DBSTATUS_CACHE_USED).
  int64_t CacheBytes();
  // Drops every cached page not in use by a running statement (sqlite3_db_release_memory)
  // and returns how many bytes the cache shrank by. Later reads fetch pages again, through the
  // OS's file cache; nothing else changes. The freed memory goes back to the C heap: to hand it
  // to the OS as well, see platform/memory.h. Between statements, on this connection's thread.
  int64_t ReleaseMemory();

  // For storage/*.cpp only.
  Impl& impl() { return *impl_; }

 private:
  explicit Database(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gocua
