#pragma once
// UTF-8 <-> UTF-16 for the Windows files of platform/ only (Windows' own APIs speak UTF-16).
// Invalid input becomes U+FFFD rather than an error.
#include <string>
#include <string_view>

namespace gocua {

std::wstring WideFromUtf8(std::string_view utf8);
std::string Utf8FromWide(std::wstring_view wide);

}  // namespace gocua
