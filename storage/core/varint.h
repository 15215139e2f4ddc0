#pragma once
// LEB128 unsigned varints, the integers of the binary stamps and change-log runs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace gocua {

// Appends `v`, 7 bits a byte, low first; the high bit marks "more".
inline void PutVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads one varint at t[p], advancing p. False: truncated, or longer than 64 bits.
inline bool GetVarint(std::string_view t, size_t& p, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (p >= t.size()) return false;
    const auto b = static_cast<unsigned char>(t[p++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

}  // namespace gocua
