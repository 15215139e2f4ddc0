#include "sync/protocol/json_reader.h"

#include <limits>

#include "sync/protocol/errors.h"
#include "sync/protocol/protocol.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

const json& EmptyArray() {
  static const json kEmpty = json::array();
  return kEmpty;
}

const json& EmptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

// True if `text` nests arrays and objects deeper than `max`. Exact for valid JSON; for
// anything else the parser rejects the text anyway.
bool NestsDeeperThan(std::string_view text, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

}  // namespace

Result<json> ParseBody(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes)
    return ProtocolError(kErrTooLarge, "body is " + std::to_string(text.size()) +
                                           " bytes, more than the limit of " +
                                           std::to_string(max_bytes) + "; send less at once");
  if (NestsDeeperThan(text, kMaxJsonDepth))
    return ProtocolError(kErrBadRequest, "body nests arrays/objects deeper than " +
                                             std::to_string(kMaxJsonDepth) + " levels");
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return ProtocolError(kErrBadRequest,
                         "body is not valid JSON (or not UTF-8); send a JSON object");
  return j;
}

std::string Describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a fractional number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "no value";
  }
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size() && i < 40; ++i) out += (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
  out += s.size() > 40 ? "\"... (" + std::to_string(s.size()) + " bytes)" : "\"";
  return out;
}

std::optional<int64_t> AsInt64(const json& j) {
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (j.is_number_integer()) return j.get<int64_t>();
  return std::nullopt;
}

JsonReader::JsonReader(const json& j, std::string path) : j_(j), path_(std::move(path)) {
  CheckObject();
}

JsonReader::JsonReader(const json& j, std::string_view array, size_t index)
    : j_(j), array_(array), index_(index) {
  CheckObject();
}

void JsonReader::CheckObject() {
  if (j_.is_object()) return;
  const std::string base = Base();
  Fail(kErrBadRequest,
       (base.empty() ? std::string("body") : base) + " must be an object, got " + Describe(j_));
}

std::string JsonReader::Base() const {
  if (index_ == kNoIndex) return path_;
  return std::string(array_) + "[" + std::to_string(index_) + "]";
}

std::string JsonReader::Path(std::string_view key) const {
  std::string p = Base();
  if (!p.empty()) p += '.';
  p += key;
  return p;
}

void JsonReader::Fail(std::string_view code, std::string_view text) {
  if (status_.ok()) status_ = ProtocolError(code, text);
}

const json* JsonReader::Find(std::string_view key, bool required) {
  if (!ok()) return nullptr;
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) {
    if (required) Fail(kErrBadRequest, Path(key) + ": missing");
    return nullptr;
  }
  return &*it;
}

void JsonReader::WrongType(std::string_view key, std::string_view want, const json& got) {
  std::string text = Path(key) + ": must be " + std::string(want) + ", got " + Describe(got);
  if (want == "an integer" && got.is_number_unsigned())
    text += " too large for 64 bits";
  else if (want == "an integer" && got.is_number_float())
    text += " (or an integer too large for 64 bits)";
  Fail(kErrBadRequest, text);
}

int64_t JsonReader::Int(std::string_view key) {
  const json* v = Find(key, true);
  return v ? ToInt(key, *v).value_or(0) : 0;
}

std::optional<int64_t> JsonReader::OptionalInt(std::string_view key) {
  const json* v = Find(key, false);
  return v ? ToInt(key, *v) : std::nullopt;
}

std::optional<int64_t> JsonReader::ToInt(std::string_view key, const json& v) {
  std::optional<int64_t> i = AsInt64(v);
  if (!i) WrongType(key, "an integer", v);
  return i;
}

std::string JsonReader::String(std::string_view key) {
  const json* v = Find(key, true);
  if (!v) return {};
  if (!v->is_string()) {
    WrongType(key, "a string", *v);
    return {};
  }
  return v->get<std::string>();
}

std::optional<std::string> JsonReader::OptionalString(std::string_view key) {
  const json* v = Find(key, false);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    WrongType(key, "a string", *v);
    return std::nullopt;
  }
  return v->get<std::string>();
}

bool JsonReader::Bool(std::string_view key) {
  const json* v = Find(key, true);
  if (!v) return false;
  if (!v->is_boolean()) {
    WrongType(key, "true or false", *v);
    return false;
  }
  return v->get<bool>();
}

const json& JsonReader::Any(std::string_view key) {
  if (!ok()) return EmptyObject();
  auto it = j_.find(key);
  if (it != j_.end()) return *it;
  Fail(kErrBadRequest, Path(key) + ": missing");
  return EmptyObject();
}

const json& JsonReader::Object(std::string_view key) {
  const json* v = Find(key, true);
  if (!v) return EmptyObject();
  if (!v->is_object()) {
    WrongType(key, "an object", *v);
    return EmptyObject();
  }
  return *v;
}

const json& JsonReader::Array(std::string_view key, size_t max_items) {
  const json* v = Find(key, true);
  if (!v) return EmptyArray();
  if (!v->is_array()) {
    WrongType(key, "an array", *v);
    return EmptyArray();
  }
  if (v->size() > max_items) {
    Fail(kErrTooLarge, Path(key) + ": " + std::to_string(v->size()) +
                           " elements, more than the limit of " + std::to_string(max_items));
    return EmptyArray();
  }
  return *v;
}

}  // namespace gocua::protocol
