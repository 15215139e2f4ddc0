#pragma once
// The one way text becomes a file-system path and back. Every path in Gõ Cửa is UTF-8 text in a
// std::string (settings, options, messages, SQLite's file names); std::filesystem::path built
// straight from such a string reads it in the ANSI code page on Windows (mingw's libstdc++), so
// "Nguyễn Thị Hoà" in %APPDATA% turns into mojibake and the file is not found. Implemented in
// utf8_path_posix.cpp (bytes as they are) and utf8_path_win32.cpp (MultiByteToWideChar with
// CP_UTF8, and back).
//
// Open files through the path, not the string: std::ifstream/ofstream(PathFromUtf8(s)) use the
// wide file name on Windows; fopen(s.c_str()) does not. SQLite takes UTF-8 itself.
#include <filesystem>
#include <string>
#include <string_view>

namespace gocua {

// UTF-8 text (e.g. "C:\\Users\\Nguyễn Thị Hoà\\AppData\\Roaming\\GoCua") → a path. Invalid
// UTF-8 on Windows becomes U+FFFD, so such a path names no existing file.
std::filesystem::path PathFromUtf8(std::string_view utf8);

// A path → UTF-8 text in the platform's own separators (what the user sees, what SQLite takes).
std::string PathToUtf8(const std::filesystem::path& path);

// `dir` and `name` (UTF-8; `name` may hold several parts, e.g. "logs/gocua.log") joined with the
// platform's rules: "a\\b" + "c/d.db" → "a\\b\\c\\d.db" on Windows, "a/b/c/d.db" on POSIX.
std::string JoinPathUtf8(std::string_view dir, std::string_view name);

}  // namespace gocua
