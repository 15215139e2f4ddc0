#pragma once
// Small files the app keeps beside its database (settings, the visit draft) and reads from
// assets (translations): read whole, written whole through a temporary file renamed into
// place, so a reader never sees half a file — not after a crash either.
#include <optional>
#include <string>

#include "base/result.h"

namespace gocua::app {

// The file's bytes, or nothing when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path);
// Writes `text` to `path` atomically. On failure the message names `what` and the path.
Status WriteFileAtomically(const std::string& path, const std::string& text, const std::string& what);

}  // namespace gocua::app
