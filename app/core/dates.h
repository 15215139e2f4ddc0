#pragma once
// Dates as people in Vietnam write them (dd/mm/yyyy) and as storage keeps them (YYYY-MM-DD).
#include <optional>
#include <string>

namespace gocua::app {

// "2026-11-22" → "22/11/2026"; "" → ""; anything else is returned unchanged.
std::string ShowDate(const std::string& iso);
// "22/11/2026", "2/3/2026" or "22-11-2026" → "2026-11-22"; "" → "" (no date). Nothing when the
// text is not a real calendar date.
std::optional<std::string> ParseDate(const std::string& text);
// "2026-03-15" plus `days` (may be negative) → "2026-03-22"; nothing for a bad date.
std::optional<std::string> AddDays(const std::string& iso, int days);
// Unix ms → "22/11/2026 14:05" in local time; 0 → "".
std::string ShowTime(long long unix_ms);

}  // namespace gocua::app
