#pragma once
// Team members and leaders of this device's commune, and their PINs.
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

class Members {
 public:
  explicit Members(Database& db) : db_(db) {}

  // Adds a member to this device's commune. `pin` is 4–8 digits; only its PBKDF2 hash is kept.
  Result<Member> Add(const std::string& name, Role role, const std::string& pin);
  Result<Member> Get(const std::string& id);
  // Members of this device's commune, by name.
  Result<std::vector<Member>> List();
  // True when `pin` is the member's PIN. Constant-time compare.
  Result<bool> CheckPin(const std::string& member_id, const std::string& pin);

 private:
  Database& db_;
};

// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>". Exposed for tests.
std::string HashPin(const std::string& pin, const std::string& salt_hex, int iterations);
bool VerifyPin(const std::string& pin, const std::string& pin_hash);

}  // namespace gocua
