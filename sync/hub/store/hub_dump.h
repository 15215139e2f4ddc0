#pragma once
// What `gocua-hub migrate` carries from one hub store to another (sync/hub/migrate.h), in the
// stores' neutral terms: the hub's ids and clock, its own tables as text, its records
// (StoredRow) and its log (LogEntry, read and appended by the stores' own log code, whatever
// layout each keeps). Each store reads (sqlite/hub_dump.h) or writes (postgresql/pg_dump.h) it.
#include <cstdint>
#include <string>
#include <vector>

namespace gocua {

// The hub's identity: its own device id (the origin of its ops), its log's id (the first part
// of every pull cursor: the same id keeps laptops' cursors valid) and its clock.
struct HubDumpIds {
  std::string hub_id, log_id;
  int64_t hlc = 0;
};

// One of the hub's own tables, every value as text (a NULL as "").
struct DumpTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// The hub's own tables that migrate copies column by column, in an order that keeps references
// (a console session names its admin). Tokens and codes are copied as stored: their hashes.
inline constexpr const char* kDumpTables[] = {
    "hub_devices",    "hub_codes",        "hub_origins",   "hub_scope",
    "console_admins", "console_sessions", "console_audit", "console_settings"};

}  // namespace gocua
