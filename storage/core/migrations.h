#pragma once
// Numbered schema migrations. Migration N (1-based) takes PRAGMA user_version N-1 to N.
// Once released, a migration's text never changes: add a new one instead.
#include <vector>

namespace gocua {

const std::vector<const char*>& Migrations();

}  // namespace gocua
