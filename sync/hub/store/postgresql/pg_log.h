#pragma once
// The PostgreSQL hub store's server log: one row per op (table hub_log).
//
// The pull cursor never skips an op that commits late. Server seqs are handed out in commit
// order: a writing transaction keeps its log entries in memory (PgTxn) and, as its last step
// before COMMIT, takes a transaction-scoped advisory lock, draws its seqs from hub_log_seq and
// inserts its rows (AppendLogRows). The lock is released only after the commit is visible, so
// every seq handed out before (lower) belongs to a transaction already visible or rolled back:
// a snapshot that sees seq n sees every op below n it will ever see, and a cursor at n is safe.
// The lock is held for one INSERT and the commit's flush, not for the push's work: hubs on
// several machines apply their pushes side by side and only queue to publish them.
// Internal to sync/hub/store/postgresql/.
#include <string>
#include <vector>

#include "sync/hub/store/log_entry.h"
#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

// The select list that EntryAt reads, in this order.
extern const char kLogColumns[];
// The op of row `r` of `rows` (selected with kLogColumns).
hub_internal::LogEntry EntryAt(const Rows& rows, int r);

// Takes the publish lock, gives `entries` the next server seqs in order and inserts them.
// REQUIRES: the last statement before COMMIT of a transaction (the lock is held until then).
Status AppendLogRows(Conn& c, std::vector<hub_internal::LogEntry>& entries);

// The server seq of the log's last op, 0 for an empty log.
Result<int64_t> LastServerSeq(Conn& c);

}  // namespace gocua::pg
