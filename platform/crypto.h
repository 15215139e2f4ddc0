#pragma once
// The hashes and the random bytes the app needs, one seam for every OS. Implemented in
// crypto_posix.cpp (OpenSSL's libcrypto) and crypto_win32.cpp (Windows CNG, bcrypt.dll), so that
// the Windows build needs no OpenSSL for them. Both give byte-identical results: a PIN hash made
// on Linux verifies on Windows (tests/platform/crypto_test.cpp pins known-answer vectors).
//
// Threading: every function is safe to call from any thread at once.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gocua {

using Sha256Digest = std::array<unsigned char, 32>;

// SHA-256 of `data`.
Sha256Digest Sha256(std::string_view data);

// PBKDF2 with HMAC-SHA-256 (RFC 8018): fills out[0..out_len) from `password`, `salt` and
// `iterations` (>= 1). False only if the OS library fails or the arguments are out of its range;
// `out` is then zero-filled.
bool Pbkdf2HmacSha256(std::string_view password, std::string_view salt, uint32_t iterations,
                      unsigned char* out, size_t out_len);

// `n` bytes from the OS's cryptographically secure generator. False if it fails (a broken
// system); the caller decides what to do then.
bool SecureRandomBytes(unsigned char* out, size_t n);

// Compares two equal-length byte strings in time independent of where they differ.
bool ConstantTimeEqual(const void* a, const void* b, size_t n);

}  // namespace gocua
