#pragma once
// The hub store on PostgreSQL (libpq), for a province or the nation: several gocua-hub
// processes may serve one database at once (docs/architecture.md, "PostgreSQL hub store").
// The implementation is hidden behind this factory.
#include <memory>
#include <string>

#include "base/result.h"
#include "platform/clock.h"
#include "sync/hub/store/hub_store.h"

namespace gocua {

// Whether `store` names a PostgreSQL database ("postgresql://..." or "postgres://...").
bool IsPostgresUri(const std::string& store);

// Connects to `uri` (postgresql://USER@HOST:PORT/DB), brings the database's schema up to date
// and returns the store. `clock` must outlive it. kIo when the server cannot be reached (the
// message says so), kTooNew for a database of a newer hub. The store may be called from several
// threads at once (ConcurrentCalls): it keeps a pool of at most `connections` (>= 1), one per
// call in progress, opened as needed and re-opened after PostgreSQL restarts.
Result<std::unique_ptr<HubStore>> OpenPostgresHubStore(const std::string& uri, const Clock& clock,
                                                       int connections = 1);

}  // namespace gocua
