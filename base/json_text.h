#pragma once
// The one fast JSON text writer: appending compact JSON text to a string without a temporary
// string or json tree per call. The sync protocol writes every field and value of a message
// with it (sync/protocol/wire_v2.cpp), the hub its log rows (sync/hub/store/log_text.h)
// and storage a record's JSON columns (storage/core/record_store.cpp).
//
// Contract: the text is exactly nlohmann::json::dump(-1, ' ', false, handler) of the same
// value — keys in the object's order, strings as UTF-8 with only '"', '\\' and control
// characters escaped, integers in decimal, fractional numbers as nlohmann writes them. With
// the default handler (replace) bytes that are not UTF-8 become U+FFFD and nothing throws; with
// error_handler_t::strict it throws where dump() throws (type_error 316 on invalid UTF-8).
// tests/base/json_text_test.cpp and tests/sync/protocol/json_writer_test.cpp hold it to that.
// Pure functions; any thread.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gocua::json_text {

using ErrorHandler = nlohmann::json::error_handler_t;

// Appends `v` as compact JSON text.
void AppendValueText(std::string& out, const nlohmann::json& v,
                     ErrorHandler handler = ErrorHandler::replace);
// Appends `s` as a JSON string ("s", escaped), as json(s).dump(-1, ' ', false, handler).
void AppendStringText(std::string& out, std::string_view s,
                      ErrorHandler handler = ErrorHandler::replace);

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF, as nlohmann's lexer checks it) that starts at s[i], a byte of 0x80 or
// more; 0 if there is none.
size_t Utf8SequenceAt(std::string_view s, size_t i);

// Eight bytes at a time for the text scans (a byte at a time they were a tenth of the hub log).
// Exact: each answers what the byte-by-byte test of its 8 bytes answers (the bit tricks have no
// false positive for "some byte is below n / equal to c" taken as a whole).
namespace word {
inline constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
inline uint64_t Load(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}
// High bit of a byte set where some byte of `w` is below 0x20 / is zero (exact as a whole).
inline uint64_t Controls(uint64_t w) { return (w - kOnes * 0x20) & ~w & kHigh; }
inline uint64_t Zeros(uint64_t w) { return (w - kOnes) & ~w & kHigh; }
}  // namespace word

// Whether none of the 8 bytes at `p` needs a JSON escape (a control below 0x20, '"' or '\\');
// bytes of 0x80 and up are allowed.
inline bool NoEscape8(const char* p) {
  const uint64_t w = word::Load(p);
  return (word::Controls(w) | word::Zeros(w ^ (word::kOnes * '"')) |
          word::Zeros(w ^ (word::kOnes * '\\'))) == 0;
}
// Whether the 8 bytes at `p` are ASCII and none needs a JSON escape.
inline bool PlainAscii8(const char* p) {
  return (word::Load(p) & word::kHigh) == 0 && NoEscape8(p);
}

}  // namespace gocua::json_text
