#pragma once
// Internal to sync/hub/store/sqlite/hub_log.cpp: the JSON text of a hub_log row (hub_internal.h) — its
// `value` column and its `rest` array — written and read without a json tree (record_store.cpp
// writes a record's JSON columns with AppendValueText too). Through
// nlohmann's DOM, reading `rest` back was most of a pull's CPU and writing it a third of the log.
//
// Contract: the fast paths give exactly what nlohmann gives. Writing: the text equals
// dump(-1, ' ', false, error_handler_t::replace) of the same value. Reading: values that are
// compact (no whitespace, strings without escapes, integers of at most 18 digits, arrays and
// objects of those, no repeated keys) are read by hand, others through json::parse; the
// row's own parts must be in the writer's form, else the reader answers "not read" (false) and
// the caller falls back to nlohmann, which gives the same ops or the same error as before.
// Pure functions; any thread.
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace gocua::hub_internal {

// Eight bytes at a time for the text scans (a byte at a time they were a tenth of the log).
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

// Appends `v` as compact JSON text, invalid UTF-8 replaced by U+FFFD (as dump with
// error_handler_t::replace). With `handler` strict it is v.dump() (record_store.cpp writes a
// record's JSON columns so), throwing as dump() throws on invalid UTF-8.
void AppendValueText(
    std::string& out, const nlohmann::json& v,
    nlohmann::json::error_handler_t handler = nlohmann::json::error_handler_t::replace);
// Appends `s` as a JSON string, invalid UTF-8 replaced (as json(s).dump(..., replace)), or as
// `handler` says.
void AppendStringText(
    std::string& out, const std::string& s,
    nlohmann::json::error_handler_t handler = nlohmann::json::error_handler_t::replace);

// A value read from text with the number of bytes of its compact dump() (for page sizes).
struct ReadValue {
  nlohmann::json value;
  size_t dumped_bytes = 0;
};

// The JSON value that is all of `text`: json::parse(text, nullptr, false), a discarded value
// for text that is not JSON (as the log's reader always did for the value column).
ReadValue ParseValueText(std::string_view text);

// A reader over the compact text of one `rest` array. Each call reads one token and its
// separator; any call returns false when the text is not in the writer's form (the caller
// then gives up on this reader). REQUIRES: `text` outlives the reader.
class RestReader {
 public:
  explicit RestReader(std::string_view text) : text_(text) {}
  // `c`, the next byte.
  bool Expect(char c);
  // A string without escapes, valid UTF-8 and no control characters.
  bool String(std::string* out);
  // An integer: -?(0|[1-9][0-9]{0,17}).
  bool Int(int64_t* out);
  // Any JSON value, followed by ',' or ']'.
  bool Value(ReadValue* out);
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace gocua::hub_internal
