#pragma once
// Writes a hub into an EMPTY PostgreSQL hub database for `gocua-hub migrate` (hub_dump.h), all
// of it in ONE transaction: until Commit nothing of it is visible, and a copy that dies half way
// (the process killed, the link cut) leaves the database as empty as it was; run it again.
// The log is appended by the store's own code (pg_log.h's AppendLogRows), each op keeping its
// server seq, so the laptops' pull cursors stay valid.
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "platform/clock.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "sync/hub/store/hub_dump.h"
#include "sync/hub/store/log_entry.h"

namespace gocua {
namespace pg {
class Conn;
}

class PgHubTarget {
 public:
  // Connects to `uri`, brings its schema up (as a hub opening it would), begins the copy's
  // transaction and locks the hub's tables against hubs serving it. kConflict when the database
  // already holds a hub's data (devices, codes, log, communes or console accounts), saying so.
  static Result<std::unique_ptr<PgHubTarget>> Open(const std::string& uri, const Clock& clock);
  ~PgHubTarget();
  PgHubTarget(const PgHubTarget&) = delete;
  PgHubTarget& operator=(const PgHubTarget&) = delete;

  // The hub's ids and clock replace the new database's own.
  Status SetIds(const HubDumpIds& ids);
  // Inserts the rows of `t` (one of kDumpTables): the columns both stores have; a column the
  // target lacks is kInternal (this build cannot carry it), an identity column is made anew.
  Status Table(const DumpTable& t);
  Status Record(const RecordDef& def, const std::string& id, const StoredRow& row);
  // Appends `entries` (in server order, each with its server seq) keeping their server seqs.
  Status AppendLog(std::vector<hub_internal::LogEntry>& entries);
  // Makes it all visible at once.
  Status Commit();

 private:
  explicit PgHubTarget(std::unique_ptr<pg::Conn> c);
  std::unique_ptr<pg::Conn> c_;
  bool open_ = false;  // the copy's transaction is open
};

}  // namespace gocua
