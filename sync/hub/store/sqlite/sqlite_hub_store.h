#pragma once
// The embedded hub store: one SQLite file (WAL, synchronous = FULL) holding the hub's record
// tables and its own (sqlite/hub_schema.h). The implementation is hidden behind this factory.
#include <memory>
#include <string>

#include "base/result.h"
#include "platform/clock.h"
#include "sync/hub/store/hub_store.h"

namespace gocua {

// Opens or creates the hub database at `path` and brings its schema up to date in place.
// `clock` must outlive the store. kTooNew for a file of a newer hub, kCorrupt for a file that
// is not a hub database.
Result<std::unique_ptr<HubStore>> OpenSqliteHubStore(const std::string& path, const Clock& clock);

}  // namespace gocua
