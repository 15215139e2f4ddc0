#pragma once
// Removing a household with its reason, and reading a removed one back (the household record's
// "removed_reason" field, schema v10). Households::Remove writes the tombstone alone; this
// writes both in one transaction, so the hub and every laptop get the reason with the removal.
#include <string>

#include "storage/core/database.h"

namespace gocua {

// The reason a removal gives (DOMAIN.md): a short code the app names in the person's
// language. Any other text is stored as given (up to 100 characters), shown as written.
inline constexpr const char* kRemovedReasons[] = {"moved", "duplicate", "mistake", "other"};

// Tombstones household `id` (deleted = 1) and sets its removed_reason, in one transaction:
// two change-log entries, the reason first (ops go out in order: a laptop that pulls the
// tombstone already holds the reason). NotFound when there is no live household `id`;
// InvalidInput for an empty reason.
Status RemoveHousehold(Database& db, const std::string& id, const std::string& reason);

struct RemovedHousehold {
  std::string id, head_name, address, village_id;
  std::string reason;  // "" when removed without one (before schema v10, or by Remove)
};

// Household `id` if it is removed (a tombstone); NotFound when it is live or unknown.
Result<RemovedHousehold> FindRemovedHousehold(Database& db, const std::string& id);

}  // namespace gocua
