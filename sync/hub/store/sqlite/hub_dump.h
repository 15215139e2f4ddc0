#pragma once
// Reads a SQLite hub for `gocua-hub migrate` (hub_dump.h): one read transaction over the whole
// file, so what is read is one moment of the hub even if it were still serving.
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "platform/clock.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "sync/hub/store/hub_dump.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/log_entry.h"

namespace gocua {

class SqliteHubSource {
 public:
  // Opens the hub database at `path` (which must exist: kNotFound otherwise), brings its schema
  // up to date as a hub would, and begins the read.
  static Result<std::unique_ptr<SqliteHubSource>> Open(const std::string& path, const Clock& clock);
  ~SqliteHubSource();
  SqliteHubSource(const SqliteHubSource&) = delete;
  SqliteHubSource& operator=(const SqliteHubSource&) = delete;

  Result<HubDumpIds> Ids();
  // Table `name` of kDumpTables, every column.
  Result<DumpTable> Table(const std::string& name);
  Result<std::vector<std::string>> RecordIds(const RecordDef& def);
  Result<StoredRow> Record(const RecordDef& def, const std::string& id);
  // The number of ops in the log (for progress).
  Result<int64_t> LogOps();
  // Appends to *out the log's ops after server seq `after`, in server order, whole rows of at
  // least `limit` ops or up to the end; none when the log ends at `after`.
  Status LogAfter(int64_t after, int limit, std::vector<hub_internal::LogEntry>* out);

 private:
  explicit SqliteHubSource(std::unique_ptr<HubStore> store);
  std::unique_ptr<HubStore> store_;
  Database* db_;
};

}  // namespace gocua
