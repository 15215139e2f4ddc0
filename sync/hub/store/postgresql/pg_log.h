#pragma once
// The PostgreSQL hub store's server log (PostgreSQL hub schema 5): one row of hub_runs per run
// of ops, as the SQLite store keeps it (log_runs.h says which ops make a run and writes the
// bytes of a row's `rest`, a bytea this store never reads in SQL), with integer ids (hub_ids:
// devices, communes and authors; '' is 0; a number never changes and is never deleted). The view
// hub_log shows the rows with their texts.
//
// The pull cursor never skips an op that commits late. Server seqs are handed out in commit
// order: a writing transaction keeps its log entries in memory (PgTxn) and, as its last step
// before COMMIT, takes a transaction-scoped advisory lock, draws one seq per op from
// hub_log_seq and inserts its runs (AppendLogRows; a run's ops hold server_seq ..
// server_seq + n - 1). The lock is released only after the commit is visible, so every seq
// handed out before (lower) belongs to a transaction already visible or rolled back: a snapshot
// that sees seq n sees every op below n it will ever see, and a cursor at n is safe. The lock is
// held for the id look-up, one INSERT and the commit's flush, not for the push's work: hubs on
// several machines apply their pushes side by side and only queue to publish them.
// Internal to sync/hub/store/postgresql/.
#include <string>
#include <vector>

#include "sync/hub/store/log_entry.h"
#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

// The select list (from the view hub_log) that ExpandRow reads, in this order.
extern const char kLogColumns[];
// Appends the ops of row `r` of `rows` (selected with kLogColumns) to `out`, in server order.
// kCorrupt for a row that does not hold its n ops.
Status ExpandRow(const Rows& rows, int r, std::vector<hub_internal::LogEntry>& out);

// The SQL for the number of the id `text_param` (e.g. "$1"), -1 when the log has never seen it.
std::string IdOf(const std::string& text_param);

// Takes the publish lock, gives `entries` the next server seqs in order and inserts them as
// runs. REQUIRES: the last statement before COMMIT of a transaction (the lock is held until
// then).
Status AppendLogRows(Conn& c, std::vector<hub_internal::LogEntry>& entries);

// Inserts `entries` as runs with the server seqs they hold (consecutive within a run), as
// runs of at most kMaxLogRun ops that ExtendsRun and share their received_at. The numbers of
// their ids are looked up, or made.
Status InsertRuns(Conn& c, const std::vector<hub_internal::LogEntry>& entries);

// The server seq of the log's last op, 0 for an empty log.
Result<int64_t> LastServerSeq(Conn& c);

// Schema 5 on a database of schema 4: the per-op rows of hub_log_v4 (the table hub_log was)
// rewritten as runs, a batch of ops at a time, each op keeping its server seq.
Status UpgradeLogToRuns(Conn& c);

}  // namespace gocua::pg
