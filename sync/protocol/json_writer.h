#pragma once
// Internal to sync/protocol: appending compact JSON text to a string. The text is exactly
// nlohmann::json::dump(-1, ' ', false, error_handler_t::replace) of the same value (keys in
// the object's order, strings as UTF-8 with only '"', '\\' and control characters escaped,
// bytes that are not UTF-8 written as U+FFFD), without a temporary string or json per call:
// the v2 writer calls it for every field and value of a message. Never throws.
// Pure functions; any thread.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace gocua::protocol {

void AppendJson(std::string& out, const nlohmann::json& v);
void AppendJsonString(std::string& out, std::string_view s);  // "s", escaped

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF, as nlohmann's lexer checks it) that starts at s[i], a byte of 0x80 or
// more; 0 if there is none.
size_t Utf8SequenceAt(std::string_view s, size_t i);

}  // namespace gocua::protocol
