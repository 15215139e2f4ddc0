#pragma once
// The console's request parts: an application/x-www-form-urlencoded body or query, and the
// Cookie header.
#include <map>
#include <string>
#include <string_view>

namespace gocua::hub::console {

// name → value, '+' as space, %XX decoded; the first of repeated names wins.
std::map<std::string, std::string> ParseForm(std::string_view body);
// Cookie: a=b; c=d → {a: b, c: d}; the first of repeated names wins.
std::map<std::string, std::string> ParseCookies(std::string_view header);
// `s` percent-encoded for a query value.
std::string UrlEncode(std::string_view s);

}  // namespace gocua::hub::console
