#pragma once
// The rules of the hub's admin commands that do not depend on the store: what a name, a PIN and
// an enrollment code must be. Both stores (sqlite/, postgresql/) check and make them here.
#include <string>

#include "base/result.h"

namespace gocua::hub_internal {

// `name` in NFC, or why it cannot be a name: `what` says which ("tỉnh (province)", …).
Result<std::string> NfcName(const std::string& name, const char* what);

// Ok if `pin` is 4 to 8 digits; else kInvalidInput saying so.
Status CheckNewPin(const std::string& pin);

// A new enrollment code as shown to people: 8 random letters and digits without 0/O and 1/I,
// "ABCD-EFGH".
std::string NewEnrollmentCode();

// A code as typed, without dashes and spaces, upper case: what hub_codes hashes.
std::string NormaliseCode(const std::string& code);

}  // namespace gocua::hub_internal
