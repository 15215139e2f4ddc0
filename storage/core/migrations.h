#pragma once
// Numbered schema migrations. Migration N (1-based) takes PRAGMA user_version N-1 to N.
// Once released, a migration's text never changes: add a new one instead.
#include <vector>

namespace gocua {

const std::vector<const char*>& Migrations();

// v13's statements (the derived visit tables keyed by integers), which the migration runs only
// where visit_persons still has its v1 text column (storage/core/database.cpp).
const char* DerivedVisitKeysSql();

}  // namespace gocua
