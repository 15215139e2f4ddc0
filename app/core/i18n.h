#pragma once
// User-facing text (STYLE.md rule 15). Every string a person sees goes through Tr("key");
// assets/lang/vi.json is the default language, en.json the other. A key missing from the
// current language falls back to Vietnamese, then to the key itself (a test keeps both files
// complete: tests/app/lang_test.cpp).
//
// Threading: UI thread only (the active language is process-wide state).
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace gocua::app {

// Loads `lang` ("vi" | "en") from `<assets_dir>/lang/<lang>.json`, with vi.json as the
// fallback, and makes it the language Tr() answers in.
Status LoadLanguage(const std::string& assets_dir, const std::string& lang);
const std::string& CurrentLanguage();

// The text for `key`; the pointer stays valid until the next LoadLanguage().
const char* Tr(const char* key);

// `pattern` with "{0}", "{1}", ... replaced by `args`.
std::string Fmt(std::string_view pattern, const std::vector<std::string>& args);

}  // namespace gocua::app
