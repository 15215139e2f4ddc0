#pragma once
// SHA-256 as lower-case hex (OpenSSL): conflict ids, token and code hashes.
#include <string>

namespace gocua::hub_internal {

std::string Sha256Hex(const std::string& s);

}  // namespace gocua::hub_internal
