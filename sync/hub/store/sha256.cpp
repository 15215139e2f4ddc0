#include "sync/hub/store/sha256.h"

#include <openssl/evp.h>

namespace gocua::hub_internal {

std::string Sha256Hex(const std::string& s) {
  unsigned char out[32];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), out, &n, EVP_sha256(), nullptr);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < n; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
  return hex;
}

}  // namespace gocua::hub_internal
