#pragma once
// A UUID's 16 bytes and its canonical text (8-4-4-4-12 lowercase hex), both ways. The compact
// stores keep canonical UUIDs as their bytes: the laptop's change log (outbox_runs.cpp) and the
// hub's binary log (sync/hub/store/log_binary.cpp). Pure functions; any thread.
#include <cstddef>
#include <string>
#include <string_view>

namespace gocua {

namespace uuid_bytes_internal {
inline int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
}  // namespace uuid_bytes_internal

// The 16 bytes of `id` into `out`, if `id` is a canonical (lowercase) UUID; false (and `out`
// unspecified) otherwise.
inline bool PackUuid(std::string_view id, unsigned char out[16]) {
  using uuid_bytes_internal::Hex;
  if (id.size() != 36) return false;
  size_t k = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (id[i++] != '-') return false;
      continue;
    }
    const int hi = Hex(id[i]), lo = Hex(id[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[k++] = static_cast<unsigned char>(hi * 16 + lo);
    i += 2;
  }
  return true;
}

// Writes the 36 characters of the UUID whose 16 bytes are b[0..16) at `out`.
inline void UnpackUuidTo(std::string_view b, char* out) {
  static const char kDigits[] = "0123456789abcdef";
  for (size_t k = 0; k < 16; ++k) {
    if (k == 4 || k == 6 || k == 8 || k == 10) *out++ = '-';
    const auto v = static_cast<unsigned char>(b[k]);
    *out++ = kDigits[v >> 4];
    *out++ = kDigits[v & 15];
  }
}

// The canonical text of the UUID whose 16 bytes are b[0..16).
inline std::string UnpackUuid(std::string_view b) {
  std::string out(36, '\0');
  UnpackUuidTo(b, out.data());
  return out;
}

}  // namespace gocua
