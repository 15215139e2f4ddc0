// The crypto seam (platform/crypto.h) on known-answer vectors: the same file runs against
// OpenSSL on Linux and Windows CNG under Wine, so a pass on both is the proof that the two
// builds hash alike — a PIN set on a Linux laptop (or synced from one) signs in on Windows.
#include "platform/crypto.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/device/members.h"

namespace gocua::test {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string Pbkdf2Hex(std::string_view password, std::string_view salt, uint32_t iterations,
                      size_t len) {
  std::vector<unsigned char> out(len, 0xAA);
  REQUIRE(Pbkdf2HmacSha256(password, salt, iterations, out.data(), out.size()));
  return Hex(out.data(), out.size());
}

// Made by HashPin("2468", "00112233445566778899aabbccddeeff", 20000) in the Linux build
// (OpenSSL); the Windows build must verify it with CNG.
constexpr const char* kLinuxPinHash =
    "pbkdf2-sha256$20000$00112233445566778899aabbccddeeff$"
    "6b4fd5b89963ceb41cce0b7208fea4559044ae809de7825bf34803ec8ef08d9a";

}  // namespace

TEST_CASE("Crypto: SHA-256 of abc and of the empty string are the FIPS 180-2 values") {
  const Sha256Digest abc = Sha256("abc");
  CHECK(Hex(abc.data(), abc.size()) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const Sha256Digest empty = Sha256("");
  CHECK(Hex(empty.data(), empty.size()) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("Crypto: PBKDF2-HMAC-SHA256 gives the RFC 7914 section 11 vectors") {
  CHECK(Pbkdf2Hex("passwd", "salt", 1, 64) ==
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        "49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783");
  CHECK(Pbkdf2Hex("Password", "NaCl", 80000, 64) ==
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56"
        "a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d");
}

TEST_CASE("Crypto: zero iterations are refused and the output is zeroed") {
  unsigned char out[8];
  for (unsigned char& c : out) c = 0xAA;
  CHECK_FALSE(Pbkdf2HmacSha256("1234", "salt", 0, out, sizeof out));
  CHECK(Hex(out, sizeof out) == "0000000000000000");
}

TEST_CASE("Crypto: a PIN hash made by the Linux build verifies here, and a wrong PIN does not") {
  CHECK(HashPin("2468", "00112233445566778899aabbccddeeff", 20000) == kLinuxPinHash);
  CHECK(VerifyPin("2468", kLinuxPinHash));
  CHECK_FALSE(VerifyPin("2469", kLinuxPinHash));
}

TEST_CASE("Crypto: secure random bytes differ between calls and the comparison sees one bit") {
  unsigned char a[32] = {}, b[32] = {};
  REQUIRE(SecureRandomBytes(a, sizeof a));
  REQUIRE(SecureRandomBytes(b, sizeof b));
  CHECK_FALSE(ConstantTimeEqual(a, b, sizeof a));  // 2^-256 chance of a false failure
  std::copy(a, a + 32, b);
  CHECK(ConstantTimeEqual(a, b, sizeof a));
  b[31] ^= 1;
  CHECK_FALSE(ConstantTimeEqual(a, b, sizeof a));
}

}  // namespace gocua::test
