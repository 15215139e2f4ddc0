#pragma once
// Wrong PINs counted per member on this laptop, in its database (table `pin_attempts`, local,
// never synced): the record the PIN lockout rules read (app/core/pin_lockout.h). Kept on disk
// so that restarting the app or the CLI does not reset the count.
#include <string>

#include "storage/core/database.h"

namespace gocua {

struct PinAttempts {
  int failures = 0;             // wrong PINs in a row since the last right one
  int64_t last_failure_ms = 0;  // wall clock of the latest (or when the wait was restarted)
  bool operator==(const PinAttempts&) const = default;
};

class PinAttemptsStore {
 public:
  explicit PinAttemptsStore(Database& db) : db_(db) {}
  // {0, 0} for a member with no wrong PIN recorded.
  Result<PinAttempts> Get(const std::string& member_id);
  // Saves `a` for the member; {0, 0} forgets the member's record.
  Status Put(const std::string& member_id, const PinAttempts& a);

 private:
  Database& db_;
};

}  // namespace gocua
