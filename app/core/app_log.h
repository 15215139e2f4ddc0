#pragma once
// What people read and what a technician needs are kept apart: screens show a plain sentence
// in the current language; the technical detail (library text, paths, codes) is appended to
// <data_dir>/logs/gocua.log, one line per event, which Settings points to.
//
// Threading: UI thread (the app's only writer of the log).
#include <cstdint>
#include <string>
#include <string_view>

namespace gocua::app {

// <data_dir>/logs/gocua.log
std::string LogPath(const std::string& data_dir);
// Appends "<time ms> <where>: <detail>" (newlines flattened); creates logs/ when missing.
// A log that cannot be written is skipped: it must never stop the work.
void AppendLog(const std::string& data_dir, int64_t now_ms, std::string_view where,
               std::string_view detail);
// The part of a storage/sync message ("Vietnamese — English") in the current language.
std::string PlainText(const std::string& message);

}  // namespace gocua::app
