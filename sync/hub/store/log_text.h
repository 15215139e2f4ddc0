#pragma once
// Internal to the hub store's log (log_runs.cpp, sqlite/hub_log.cpp): the JSON text of a log row
// — its `value` column and its `rest` array — read without a json tree, and written with
// base's writer (base/json_text.h). Through nlohmann's DOM, reading `rest` back was most of a
// pull's CPU and writing it a third of the log.
//
// Contract: values that are compact (no whitespace, strings without escapes, integers of at
// most 18 digits, arrays and objects of those, no repeated keys) are read by hand, others
// through json::parse; the row's own parts must be in the writer's form, else the reader
// answers "not read" (false) and the caller falls back to nlohmann, which gives the same ops
// or the same error as before. Pure functions; any thread.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/json_text.h"

namespace gocua::hub_internal {

// The log writes with base's writer (the text nlohmann's dump gives) and scans with its words.
using json_text::AppendStringText;
using json_text::AppendValueText;
using json_text::NoEscape8;
using json_text::PlainAscii8;

// A value read from text with the number of bytes of its compact dump() (for page sizes).
struct ReadValue {
  nlohmann::json value;
  size_t dumped_bytes = 0;
};

// The JSON value that is all of `text`: json::parse(text, nullptr, false), a discarded value
// for text that is not JSON (as the log's reader always did for the value column).
ReadValue ParseValueText(std::string_view text);
// Whether `text` is a string (valid UTF-8, nothing JSON escapes), an integer of at most 18
// digits or a literal, written as AppendValueText writes the value ParseValueText reads from
// it: then the text is that value's compact text, byte for byte.
bool ScalarText(std::string_view text);

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
