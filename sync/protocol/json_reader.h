#pragma once
// Internal to sync/protocol: reading untrusted JSON into typed fields without exceptions.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace gocua::protocol {

// Parses a body. kErrTooLarge if `text` is longer than `max_bytes`; kErrBadRequest if it nests
// deeper than kMaxJsonDepth (checked before parsing, so nothing recurses that deep) or is not
// JSON.
Result<nlohmann::json> ParseBody(std::string_view text, size_t max_bytes);

// How a value looks, for messages: "a string", "null", "a fractional number", ...
std::string Describe(const nlohmann::json& j);

// `s` for a message: in quotes, cut to 40 bytes (the length then follows), bytes outside
// printable ASCII shown as '?'. Safe to echo untrusted input with.
std::string Quote(std::string_view s);

// The value as a 64-bit integer, or nullopt if it is not an integer in range (floats, bools
// and integers beyond int64 included).
std::optional<int64_t> AsInt64(const nlohmann::json& j);

// Reads the fields of one JSON object. The first error sticks: later reads return defaults and
// keep it, so a decoder reads every field and then checks status() once. Messages name fields
// by path: the reader of ops[3] reports "ops[3].seq: ...".
// `j` must outlive the reader and the references it returns.
class JsonReader {
 public:
  // `path` names `j` ("" for the body itself). A `j` that is not an object is an error.
  JsonReader(const nlohmann::json& j, std::string path);
  // `j` is `array`[`index`], e.g. "ops[3]"; the path is built only for a message.
  // REQUIRES: `array` outlives the reader (a literal).
  JsonReader(const nlohmann::json& j, std::string_view array, size_t index);

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Required fields: missing, null or the wrong type is a kErrBadRequest error.
  int64_t Int(std::string_view key);
  std::string String(std::string_view key);
  bool Bool(std::string_view key);
  const nlohmann::json& Any(std::string_view key);  // any value, null included
  const nlohmann::json& Object(std::string_view key);
  // An array; more than `max_items` elements is a kErrTooLarge error.
  const nlohmann::json& Array(std::string_view key, size_t max_items);

  // Optional fields: absent or null gives nullopt; a wrong type is an error.
  std::optional<int64_t> OptionalInt(std::string_view key);
  std::optional<std::string> OptionalString(std::string_view key);

  // "path.key", or "key" at the top.
  std::string Path(std::string_view key) const;
  // Records an error unless one is already recorded. `text` should start with a path.
  void Fail(std::string_view code, std::string_view text);

 private:
  // The field, or nullptr (recording "missing" if `required`). Null counts as absent.
  const nlohmann::json* Find(std::string_view key, bool required);
  std::optional<int64_t> ToInt(std::string_view key, const nlohmann::json& v);
  void WrongType(std::string_view key, std::string_view want, const nlohmann::json& got);

  std::string Base() const;  // the path of `j_`
  void CheckObject();

  const nlohmann::json& j_;
  std::string path_;
  std::string_view array_;  // with index_ != kNoIndex: the path is array_[index_]
  static constexpr size_t kNoIndex = static_cast<size_t>(-1);
  size_t index_ = kNoIndex;
  Status status_;
};

}  // namespace gocua::protocol
