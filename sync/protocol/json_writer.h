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

}  // namespace gocua::protocol
