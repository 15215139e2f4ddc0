// Windows CNG (bcrypt.dll, Windows Vista and later): BCryptHash-style calls through the
// algorithm providers, BCryptDeriveKeyPBKDF2 and BCryptGenRandom with the system RNG.
#include <windows.h>
// windows.h first: bcrypt.h uses its types.
#include <bcrypt.h>

#include <climits>
#include <cstring>

#include "platform/crypto.h"

namespace gocua {
namespace {

// One provider handle per use: opening one costs microseconds next to the hashing itself, and
// no handle outlives its call (nothing to close at exit).
class Provider {
 public:
  explicit Provider(ULONG flags) {
    if (BCryptOpenAlgorithmProvider(&h_, BCRYPT_SHA256_ALGORITHM, nullptr, flags) != 0)
      h_ = nullptr;
  }
  ~Provider() {
    if (h_) BCryptCloseAlgorithmProvider(h_, 0);
  }
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;
  BCRYPT_ALG_HANDLE get() const { return h_; }

 private:
  BCRYPT_ALG_HANDLE h_ = nullptr;
};

PUCHAR Bytes(std::string_view s) { return reinterpret_cast<PUCHAR>(const_cast<char*>(s.data())); }

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest out{};
  Provider alg(0);
  BCRYPT_HASH_HANDLE hash = nullptr;
  if (!alg.get() || data.size() > ULONG_MAX ||
      BCryptCreateHash(alg.get(), &hash, nullptr, 0, nullptr, 0, 0) != 0)
    return out;
  if (BCryptHashData(hash, Bytes(data), static_cast<ULONG>(data.size()), 0) != 0 ||
      BCryptFinishHash(hash, out.data(), static_cast<ULONG>(out.size()), 0) != 0)
    out.fill(0);
  BCryptDestroyHash(hash);
  return out;
}

bool Pbkdf2HmacSha256(std::string_view password, std::string_view salt, uint32_t iterations,
                      unsigned char* out, size_t out_len) {
  Provider alg(BCRYPT_ALG_HANDLE_HMAC_FLAG);
  bool ok = alg.get() && iterations >= 1 && password.size() <= ULONG_MAX &&
            salt.size() <= ULONG_MAX && out_len <= ULONG_MAX &&
            BCryptDeriveKeyPBKDF2(alg.get(), Bytes(password), static_cast<ULONG>(password.size()),
                                  Bytes(salt), static_cast<ULONG>(salt.size()), iterations, out,
                                  static_cast<ULONG>(out_len), 0) == 0;
  if (!ok) std::memset(out, 0, out_len);
  return ok;
}

bool SecureRandomBytes(unsigned char* out, size_t n) {
  return n <= ULONG_MAX &&
         BCryptGenRandom(nullptr, out, static_cast<ULONG>(n), BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}

bool ConstantTimeEqual(const void* a, const void* b, size_t n) {
  const volatile unsigned char* x = static_cast<const volatile unsigned char*>(a);
  const volatile unsigned char* y = static_cast<const volatile unsigned char*>(b);
  unsigned char diff = 0;
  for (size_t i = 0; i < n; ++i) diff = static_cast<unsigned char>(diff | (x[i] ^ y[i]));
  return diff == 0;
}

}  // namespace gocua
