#include "storage/core/text.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace gocua {
namespace {

// The fold applied to each code point: canonical decomposition, combining marks and default
// ignorables (soft hyphen, zero-width space, BOM) dropped, full case folding.
constexpr utf8proc_option_t kFoldOptions =
    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                   UTF8PROC_IGNORE | UTF8PROC_CASEFOLD);

constexpr utf8proc_option_t kNfcOptions =
    static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);

const utf8proc_uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const utf8proc_uint8_t*>(s.data());
}

// Decodes the code point at s[i]. Returns its length in bytes, or 0 when the bytes at s[i]
// do not start a well-formed sequence (overlong, surrogate, past U+10FFFF, truncated).
size_t DecodeAt(std::string_view s, size_t i, utf8proc_int32_t* cp) {
  const utf8proc_ssize_t n =
      utf8proc_iterate(Bytes(s) + i, static_cast<utf8proc_ssize_t>(s.size() - i), cp);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

// Offset of the first malformed byte, or s.size() when `s` is well-formed.
size_t FirstInvalidByte(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    const size_t n = DecodeAt(s, i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return s.size();
}

// True when NFC leaves valid UTF-8 `s` as it is because every code point is below U+0300 or in
// Latin Extended Additional (U+1E00..U+1EFF): starters that are their own NFC and that no
// canonical composition takes as a second part, so no pair of them composes (checked
// exhaustively against utf8proc when this was written). Vietnamese typed in NFC is all such;
// text with combining marks (NFD) is not and takes utf8proc_map.
bool IsTriviallyNfc(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      i += 1;
    } else if (c >= 0xC2 && c <= 0xCB) {  // U+0080..U+02FF
      i += 2;
    } else if (c == 0xE1 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0xB8 &&
               static_cast<unsigned char>(s[i + 1]) <= 0xBB) {  // U+1E00..U+1EFF
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

bool IsAlphanumeric(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Builds a search key one folded code point at a time: alphanumerics are appended, anything
// else becomes a pending separator, so runs collapse to one space and the ends are trimmed.
class KeyBuilder {
 public:
  explicit KeyBuilder(size_t capacity) { key_.reserve(capacity); }

  // An ASCII byte, folded without utf8proc. Must agree with AddFolded() for every byte; the
  // tests compare the two on all of ASCII.
  void AddAscii(unsigned char c) {
    if (c >= 'A' && c <= 'Z') {
      AddAlnum(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      AddAlnum(static_cast<char>(c));
    } else {
      separator_pending_ = true;
    }
  }

  // A code point that has already been decomposed, stripped and case-folded.
  void AddFolded(utf8proc_int32_t cp) {
    // đ (from đ or Đ) has no decomposition: the stroke is part of the letter. ð (from Ð,
    // U+00D0) is its look-alike in text converted from legacy Vietnamese fonts.
    if (cp == 0x0111 || cp == 0x00F0) cp = 'd';
    if (cp < 0x80) {
      AddAscii(static_cast<unsigned char>(cp));
      return;
    }
    if (!IsAlphanumeric(cp)) {
      separator_pending_ = true;
      return;
    }
    utf8proc_uint8_t buf[4];
    const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    if (separator_pending_ && !key_.empty()) key_.push_back(' ');
    separator_pending_ = false;
    key_.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }

  std::string Take() { return std::move(key_); }

 private:
  void AddAlnum(char c) {
    if (separator_pending_ && !key_.empty()) key_.push_back(' ');
    separator_pending_ = false;
    key_.push_back(c);
  }

  std::string key_;
  bool separator_pending_ = false;
};

// Folds one non-ASCII code point into `key` with utf8proc.
void AddCodePointSlow(utf8proc_int32_t cp, KeyBuilder& key) {
  // Canonical decomposition plus case folding yields at most a handful of code points.
  constexpr utf8proc_ssize_t kBufSize = 16;
  utf8proc_int32_t buf[kBufSize];
  int boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, kBufSize, kFoldOptions, &boundclass);
  if (n <= 0) return;  // stripped (a mark or an ignorable), or an error: nothing to add
  if (n <= kBufSize) {
    for (utf8proc_ssize_t k = 0; k < n; ++k) key.AddFolded(buf[k]);
    return;
  }
  std::vector<utf8proc_int32_t> big(static_cast<size_t>(n));
  const utf8proc_ssize_t m = utf8proc_decompose_char(cp, big.data(), n, kFoldOptions, &boundclass);
  for (utf8proc_ssize_t k = 0; k < m && k < n; ++k) key.AddFolded(big[static_cast<size_t>(k)]);
}

// What AddCodePointSlow adds for each code point of U+0080..U+024F (Latin-1 Supplement,
// Latin Extended-A and -B) and U+1E00..U+1EFF (Latin Extended Additional), where every
// Vietnamese letter is: utf8proc asked once per code point, on first use (~1,000 calls), not
// once per letter of every name folded. Entries whose fold is longer than kMax are left to
// utf8proc.
class FoldTable {
 public:
  static constexpr int kMax = 3;
  struct Entry {
    int8_t n = -1;  // folded code points in `cp`; -1: not held, ask utf8proc
    utf8proc_int32_t cp[kMax] = {};
  };

  static const FoldTable& Get() {
    static const FoldTable table;
    return table;
  }
  // The entry of `cp`, or null when the table does not cover it.
  const Entry* Find(utf8proc_int32_t cp) const {
    if (cp >= kLowFirst && cp < kLowEnd) return &low_[cp - kLowFirst];
    if (cp >= kHighFirst && cp < kHighEnd) return &high_[cp - kHighFirst];
    return nullptr;
  }

 private:
  static constexpr utf8proc_int32_t kLowFirst = 0x80, kLowEnd = 0x250;
  static constexpr utf8proc_int32_t kHighFirst = 0x1E00, kHighEnd = 0x1F00;

  FoldTable() {
    for (utf8proc_int32_t cp = kLowFirst; cp < kLowEnd; ++cp) Fill(cp, low_[cp - kLowFirst]);
    for (utf8proc_int32_t cp = kHighFirst; cp < kHighEnd; ++cp) Fill(cp, high_[cp - kHighFirst]);
  }
  static void Fill(utf8proc_int32_t cp, Entry& e) {
    utf8proc_int32_t buf[kMax];
    int boundclass = 0;
    const utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, kMax, kFoldOptions, &boundclass);
    if (n < 0 || n > kMax) return;  // an error, or too long: left to utf8proc
    e.n = static_cast<int8_t>(n);
    for (utf8proc_ssize_t k = 0; k < n; ++k) e.cp[k] = buf[k];
  }

  Entry low_[kLowEnd - kLowFirst];
  Entry high_[kHighEnd - kHighFirst];
};

// Folds one non-ASCII code point into `key`: from FoldTable when it holds it, else utf8proc.
void AddCodePoint(utf8proc_int32_t cp, KeyBuilder& key) {
  const FoldTable::Entry* e = FoldTable::Get().Find(cp);
  if (!e || e->n < 0) return AddCodePointSlow(cp, key);
  for (int k = 0; k < e->n; ++k) key.AddFolded(e->cp[k]);
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return FirstInvalidByte(s) == s.size(); }

Result<std::string> ToNfc(std::string_view s) {
  const size_t bad = FirstInvalidByte(s);
  if (bad != s.size()) {
    return InvalidInput("text is not valid UTF-8 (byte " + std::to_string(bad + 1) +
                        "); save it as UTF-8 (Unicode) and try again");
  }
  if (IsTriviallyNfc(s)) return std::string(s);  // ASCII and NFC Vietnamese: the common case

  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(Bytes(s), static_cast<utf8proc_ssize_t>(s.size()), &out, kNfcOptions);
  if (n < 0) {
    std::free(out);  // NULL on error in practice; free(NULL) is a no-op
    return Status(ErrorCode::kInternal,
                  std::string("could not normalise text: ") + utf8proc_errmsg(n));
  }
  std::string nfc(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return nfc;
}

std::string FoldForSearch(std::string_view s) {
  KeyBuilder key(s.size());
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // the fast path: pure-ASCII input never reaches utf8proc
      key.AddAscii(c);
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    const size_t n = DecodeAt(s, i, &cp);
    if (n == 0) {  // a malformed byte: skip it and resynchronise on the next one
      ++i;
      continue;
    }
    AddCodePoint(cp, key);
    i += n;
  }
  return key.Take();
}

size_t CodePointCount(std::string_view s) {
  size_t count = 0;
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp;
    const size_t n = static_cast<unsigned char>(s[i]) < 0x80 ? 1 : DecodeAt(s, i, &cp);
    i += n == 0 ? 1 : n;  // a malformed byte counts as one
    ++count;
  }
  return count;
}

}  // namespace gocua
