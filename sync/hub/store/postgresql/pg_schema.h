#pragma once
// The PostgreSQL hub store's schema: its own numbered migrations (the hub's tables: devices,
// codes, origins, the log, scopes, the clock) and the record tables made from the schema
// (pg_records.h). Internal to sync/hub/store/postgresql/.
#include <string>

#include "sync/hub/store/postgresql/pg_conn.h"

namespace gocua::pg {

// The newest step this build knows.
inline constexpr int kPgHubSchema = 6;

// What a store keeps from its database for its whole life: it never changes once made.
struct HubIds {
  std::string hub_id;  // the hub's device id: the origin of its own ops
  std::string log_id;  // the log's id, the first part of every cursor
};

// Brings the database up to kPgHubSchema and the record tables up to the schema, in one
// transaction under an advisory lock (hubs starting at once take turns), and makes the hub's
// ids, the topic catalog and its scopes on a new database. kTooNew for a database of a newer hub.
// `now_ms` (the hub's clock) stamps the hub's new id.
Result<HubIds> MigratePg(Conn& c, int64_t now_ms);

}  // namespace gocua::pg
