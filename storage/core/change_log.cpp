#include "storage/core/change_log.h"

#include "storage/core/outbox_runs.h"
#include "storage/core/sqlite_db.h"

namespace gocua {

// The log is stored a run a row (storage/core/outbox_runs.h) and read entry by entry.

Result<int64_t> ChangeLog::PendingCount() { return CountRunEntries(db_.impl()); }

Result<std::vector<ChangeEntry>> ChangeLog::Pending(int64_t after_seq, int limit) {
  return ReadRunEntries(db_.impl(), after_seq, limit);  // < 0: all, as LIMIT -1
}

Status ChangeLog::Acknowledge(int64_t seq) {
  Database::Impl& d = db_.impl();
  return d.Transact([&]() -> Status { return DropRunEntriesThrough(d, seq); });
}

Result<int64_t> ChangeLog::LastSeq() { return db_.impl().ReadMetaInt("last_seq"); }

}  // namespace gocua
