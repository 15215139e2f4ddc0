#pragma once
// Vietnamese text handling on top of utf8proc: validation, NFC normalisation and the
// search folding (case- and diacritic-insensitive, đ/Đ → d). Pure functions, thread-safe.
#include <string>
#include <string_view>

#include "base/result.h"

namespace gocua {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, no bytes past U+10FFFF).
bool IsValidUtf8(std::string_view s);

// NFC form of `s`. Input may be NFC or NFD (as some IMEs and macOS produce).
// Fails with kInvalidInput on malformed UTF-8; the message names the 1-based offset of the
// first bad byte ("text is not valid UTF-8 (byte 5); save it as UTF-8 (Unicode) and try again").
Result<std::string> ToNfc(std::string_view s);

// The search key of `s`: NFD, combining marks stripped, case-folded, đ→d, every run of
// non-alphanumeric characters collapsed to one ASCII space, trimmed.
// "Nguyễn Văn Đức" → "nguyen van duc"; the NFD spelling gives the same key.
// Default-ignorable characters (zero-width space, soft hyphen, BOM) are dropped, not spaces;
// Ð (U+00D0, Đ's look-alike in text from legacy fonts) also folds to d.
// Malformed UTF-8 folds to the key of its valid parts (a search box must never fail): bad
// bytes are skipped. Pure-ASCII input is folded without calling utf8proc.
std::string FoldForSearch(std::string_view s);

// Number of Unicode code points in valid UTF-8 `s` (for length limits on fields).
// Each malformed byte counts as one code point (as a viewer showing U+FFFD would).
size_t CodePointCount(std::string_view s);

}  // namespace gocua
