#pragma once
// Small pieces of the console's HTML: escaping, times, and the page frame (head, navigation,
// language switch, sign-out form) around a page's body.
#include <cstdint>
#include <string>
#include <string_view>

#include "sync/hub/console/strings.h"

namespace gocua::hub::console {

// `s` safe inside HTML text and double-quoted attributes.
std::string Esc(std::string_view s);
// Unix ms as "YYYY-MM-DD HH:MM" in Vietnam's time (UTC+7); "—" for 0.
std::string FormatTime(int64_t unix_ms);
// `part` of `whole` as "12.5 %"; "—" when whole is 0.
std::string Percent(int64_t part, int64_t whole);

struct Frame {
  Lang lang = Lang::kVi;
  std::string title;   // already translated
  std::string active;  // the nav entry's path, e.g. "/console/communes"
  std::string admin;   // who is signed in ("" on the sign-in page: no navigation)
  std::string csrf;    // for the sign-out form
  std::string self;    // this page's path and query, for the language links
};

// A whole HTML document: `frame` around `body` (HTML).
std::string Page(const Frame& frame, const std::string& body);

}  // namespace gocua::hub::console
