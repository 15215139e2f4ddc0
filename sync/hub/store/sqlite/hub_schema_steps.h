#pragma once
// The steps of the hub's schema (hub_schema.h tells their story), for Migrate (hub_schema.cpp),
// which runs them in order inside its transaction. Nothing else reads these. Internal to
// sync/hub/store/sqlite/. Never changed once released: a change is a new step.
#include "storage/core/sqlite_db.h"

namespace gocua::hub_internal {

// hub_schema_v1_v6.cpp: hub schema 1..5 as hubs before 6 ran them (kLegacySteps[v] takes a
// file from v to v + 1), schema 6 whole for a new file, and step 6's two halves: the topics of
// a new file, and on an upgraded file the drop of every object not in schema 6.
extern const char* const kLegacySteps[5];
extern const char kSchema6[];
Status SeedTopics(Database::Impl& d);
Status KeepSchema6Only(Database::Impl& d);

// hub_schema_v7_v11.cpp: steps 7..11, each for a file below it.
extern const char kStep7[];
extern const char kStep8[];
extern const char kStep9[];
extern const char kStep10[];
extern const char kStep11[];

}  // namespace gocua::hub_internal
