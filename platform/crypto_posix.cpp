#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstring>

#include "platform/crypto.h"

namespace gocua {

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

bool Pbkdf2HmacSha256(std::string_view password, std::string_view salt, uint32_t iterations,
                      unsigned char* out, size_t out_len) {
  bool fits = password.size() <= INT_MAX && salt.size() <= INT_MAX && out_len <= INT_MAX &&
              iterations >= 1 && iterations <= INT_MAX;
  if (fits && PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                                reinterpret_cast<const unsigned char*>(salt.data()),
                                static_cast<int>(salt.size()), static_cast<int>(iterations),
                                EVP_sha256(), static_cast<int>(out_len), out) == 1)
    return true;
  std::memset(out, 0, out_len);
  return false;
}

bool SecureRandomBytes(unsigned char* out, size_t n) {
  return n <= INT_MAX && RAND_bytes(out, static_cast<int>(n)) == 1;
}

bool ConstantTimeEqual(const void* a, const void* b, size_t n) {
  return CRYPTO_memcmp(a, b, n) == 0;
}

}  // namespace gocua
