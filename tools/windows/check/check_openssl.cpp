// OpenSSL's libcrypto from the prefix: SHA-256 of "abc" is the FIPS 180-2 test vector.
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstring>

int main() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest("abc", 3, md, &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    std::printf("FAIL EVP_Digest\n");
    return 1;
  }
  char hex[65];
  for (unsigned i = 0; i < len; ++i) std::snprintf(hex + 2 * i, 3, "%02x", md[i]);
  if (std::strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0) {
    std::printf("FAIL sha256(abc) = %s\n", hex);
    return 1;
  }
  // OPENSSLDIR (where openssl.cnf is read at init) must be a Windows path, not the build machine's.
  const char* dir = OpenSSL_version(OPENSSL_DIR);
  if (std::strstr(dir, "\"C:/Program Files/Common Files/SSL\"") == nullptr) {
    std::printf("FAIL %s\n", dir);
    return 1;
  }
  std::printf("ok %s, SHA-256, %s\n", OpenSSL_version(OPENSSL_VERSION), dir);
  return 0;
}
