#pragma once
// The log one row per op, for people and tests: since PostgreSQL hub schema 5 the log is runs
// whose `rest` only log_runs.h reads (pg_log.h), so no view can show its ops in SQL. Instead a
// session fills a temporary table hub_ops (the columns hub_log had in schema 4, which the SQLite
// store's view of that name shows) from the runs, expanded by the store's own reader. A
// temporary table comes first in the search path: the session's queries of hub_ops read it.
// Internal to sync/hub/store/postgresql/ and its tests.
#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

// Makes (or empties) this session's temporary table hub_ops and fills it with every op of the
// log as it stands. Outside a transaction, or inside one (then as of its snapshot).
Status LoadOpsTable(Conn& c);

}  // namespace gocua::pg
