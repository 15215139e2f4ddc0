#include "storage/core/text.h"

#include <doctest/doctest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gocua {
namespace {

// NFD of valid UTF-8 `s`, straight from utf8proc (a second opinion, not the code under test).
std::string Nfd(const std::string& s) {
  utf8proc_uint8_t* out = utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  REQUIRE(out != nullptr);
  std::string nfd(reinterpret_cast<const char*>(out));
  std::free(out);
  return nfd;
}

// The search key computed the slow, obvious way: drop malformed bytes, run utf8proc_map over
// the whole string (never an ASCII shortcut), then map đ/ð and collapse by category.
std::string ReferenceFold(std::string_view s) {
  std::string clean;
  for (size_t i = 0; i < s.size();) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()) + i,
                         static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      ++i;
      continue;
    }
    clean.append(s.substr(i, static_cast<size_t>(n)));
    i += static_cast<size_t>(n);
  }
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
      static_cast<utf8proc_ssize_t>(clean.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                     UTF8PROC_IGNORE | UTF8PROC_CASEFOLD));
  REQUIRE(len >= 0);
  std::string key;
  bool pending = false;
  for (utf8proc_ssize_t i = 0; i < len;) {
    utf8proc_int32_t cp;
    i += utf8proc_iterate(mapped + i, len - i, &cp);
    if (cp == 0x0111 || cp == 0x00F0) cp = 'd';
    const utf8proc_category_t cat = utf8proc_category(cp);
    const bool alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                       (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (!alnum) {
      pending = true;
      continue;
    }
    if (pending && !key.empty()) key.push_back(' ');
    pending = false;
    utf8proc_uint8_t buf[4];
    key.append(reinterpret_cast<const char*>(buf),
               static_cast<size_t>(utf8proc_encode_char(cp, buf)));
  }
  std::free(mapped);
  return key;
}

const std::vector<std::string> kNames = {
    "Nguyễn Văn Đức", "ĐỖ THỊ HỒNG",    "Phạm Ngọc Ánh", "Ưng Ơn",        "Trần Thị Thuỷ",
    "Lê Hữu Nghĩa",   "Huỳnh Tấn Phát", "Võ Thị Sáu",    "Đặng Quốc Bảo", "Bùi Xuân Hưởng",
};

}  // namespace

TEST_CASE("Text: IsValidUtf8 accepts well-formed text") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Thôn 3, xã Tịnh Sơn"));
  CHECK(IsValidUtf8(std::string_view("a\0b", 3)));  // NUL is a code point like any other
  CHECK(IsValidUtf8("\x7F"));
  CHECK(IsValidUtf8("\xC2\x80"));          // U+0080, the first two-byte code point
  CHECK(IsValidUtf8("\xDF\xBF"));          // U+07FF
  CHECK(IsValidUtf8("\xE0\xA0\x80"));      // U+0800
  CHECK(IsValidUtf8("\xED\x9F\xBF"));      // U+D7FF, just below the surrogates
  CHECK(IsValidUtf8("\xEE\x80\x80"));      // U+E000, just above them
  CHECK(IsValidUtf8("\xEF\xBF\xBF"));      // U+FFFF
  CHECK(IsValidUtf8("\xF0\x90\x80\x80"));  // U+10000
  CHECK(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
  CHECK(IsValidUtf8("Chúc mừng 🎉"));
}

TEST_CASE("Text: IsValidUtf8 rejects malformed UTF-8") {
  CHECK_FALSE(IsValidUtf8("\xC3"));              // truncated two-byte sequence
  CHECK_FALSE(IsValidUtf8("Nguy\xE1\xBB"));      // truncated ễ at the end
  CHECK_FALSE(IsValidUtf8("\xF0\x9F\x8E"));      // truncated four-byte sequence
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  CHECK_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF, a surrogate
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong U+007F
  CHECK_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong '/' in three bytes
  CHECK_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));  // overlong '/' in four bytes
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000, past the last code point
  CHECK_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));  // a lead byte that never occurs
  CHECK_FALSE(IsValidUtf8("\x80"));              // a lone continuation byte
  CHECK_FALSE(IsValidUtf8("\xFF"));
  CHECK_FALSE(IsValidUtf8("Th\xF4n"));   // Latin-1 ô, not UTF-8
  CHECK_FALSE(IsValidUtf8("\xC3\x28"));  // lead byte followed by ASCII
}

TEST_CASE("Text: ToNfc composes NFD input and keeps NFC input") {
  for (const std::string& name : kNames) {
    CAPTURE(name);
    const std::string nfd = Nfd(name);
    REQUIRE(nfd != name);  // the test is pointless if the spelling did not change
    auto from_nfd = ToNfc(nfd);
    REQUIRE(from_nfd.ok());
    CHECK(*from_nfd == name);
    auto from_nfc = ToNfc(name);
    REQUIRE(from_nfc.ok());
    CHECK(*from_nfc == name);
  }
  // ễ spelled by hand as e + circumflex + tilde, the way some IMEs send it.
  auto r = ToNfc("Nguye\xCC\x82\xCC\x83n");
  REQUIRE(r.ok());
  CHECK(*r == "Nguyễn");
  CHECK(ToNfc("").value().empty());
  CHECK(*ToNfc("plain ascii, 123") == "plain ascii, 123");
  CHECK(*ToNfc(std::string_view("a\0b", 3)) == std::string("a\0b", 3));
}

TEST_CASE("Text: ToNfc fails with kInvalidInput on malformed UTF-8 and names the byte") {
  for (const char* bad : {"\xC3", "\xED\xA0\x80", "\xC0\xAF", "\xF4\x90\x80\x80", "\x80"}) {
    CAPTURE(bad);
    auto r = ToNfc(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::kInvalidInput);
    CHECK(r.error().message().find("byte 1)") != std::string::npos);
  }
  auto r = ToNfc("Nguy\xC3n");  // the bad byte is the fifth
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code() == ErrorCode::kInvalidInput);
  CHECK(r.error().message().find("not valid UTF-8 (byte 5)") != std::string::npos);
  CHECK(r.error().message().find("UTF-8 (Unicode) and try again") != std::string::npos);
}

TEST_CASE("Text: FoldForSearch examples") {
  CHECK(FoldForSearch("Nguyễn Văn Đức") == "nguyen van duc");
  CHECK(FoldForSearch("ĐỖ THỊ HỒNG") == "do thi hong");
  CHECK(FoldForSearch("  Thôn 3, xã Tịnh-Sơn ") == "thon 3 xa tinh son");
  CHECK(FoldForSearch("0912.345.678") == "0912 345 678");
  CHECK(FoldForSearch("Phạm Ngọc Ánh") == "pham ngoc anh");
  CHECK(FoldForSearch("Ưng Ơn") == "ung on");
  CHECK(FoldForSearch("") == "");
  CHECK(FoldForSearch(" ,.- ") == "");
  CHECK(FoldForSearch("Tổ\t4\r\nấp  Bình\u00A0Mỹ") == "to 4 ap binh my");  // tab, CRLF, NBSP
  CHECK(FoldForSearch("Nguy\u200Bễn") == "nguyen");  // zero-width space is ignorable
  CHECK(FoldForSearch("\uFEFFLê") == "le");          // a BOM left at the start of a cell
}

TEST_CASE("Text: FoldForSearch gives NFC and NFD spellings the same key") {
  for (const std::string& name : kNames) {
    CAPTURE(name);
    const std::string nfd = Nfd(name);
    REQUIRE(nfd != name);
    CHECK(FoldForSearch(nfd) == FoldForSearch(name));
  }
  // Explicit combining bytes: e + U+0302 (circumflex) + U+0303 (tilde); U+0111 đ stays a letter.
  CHECK(FoldForSearch("Nguye\xCC\x82\xCC\x83n Va\xCC\x86n \xC4\x90u\xCC\x9B\xCC\x81\x63") ==
        "nguyen van duc");
  // Marks in the other canonical order, and a lone mark at the start, are still just marks.
  CHECK(FoldForSearch("e\xCC\x83\xCC\x82") == "e");
  CHECK(FoldForSearch("\xCC\x81"
                      "Anh") == "anh");
}

TEST_CASE("Text: FoldForSearch folds đ and Đ to d") {
  CHECK(FoldForSearch("đ") == "d");
  CHECK(FoldForSearch("Đ") == "d");
  CHECK(FoldForSearch("Đặng đường ĐÔNG") == "dang duong dong");
  CHECK(FoldForSearch("ĐĐđđ") == "dddd");
  CHECK(FoldForSearch("Đỗ") == FoldForSearch("Do"));
  // Ð (U+00D0, eth) looks identical to Đ and turns up in text from legacy Vietnamese fonts.
  CHECK(FoldForSearch("\xC3\x90\xE1\xBB\x97") == "do");
}

TEST_CASE("Text: FoldForSearch skips malformed bytes and never fails") {
  CHECK(FoldForSearch("\xC3") == "");
  CHECK(FoldForSearch("\xED\xA0\x80") == "");  // surrogate
  CHECK(FoldForSearch("\xC0\xAF") == "");      // overlong
  CHECK(FoldForSearch("\xFF\xFE\x80") == "");
  CHECK(FoldForSearch("Nguy\xE1\xBB"
                      "n") == "nguyn");  // truncated ễ: its bytes are dropped
  CHECK(FoldForSearch("Nguy\xC3n V\xC4\x83n") == "nguyn van");
  CHECK(FoldForSearch("\xC0\xAF"
                      "Đức\xED\xA0\x80") == "duc");
  CHECK(FoldForSearch("Th\xF4n 3") == "thn 3");  // Latin-1 ô
  CHECK(FoldForSearch("Lê\xC3") == "le");        // cut off mid-character while typing
  // Whatever comes in, the key is well-formed UTF-8.
  std::mt19937 rng(12345);
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 24, '\0');
    for (char& c : junk) c = static_cast<char>(rng() % 256);
    const std::string key = FoldForSearch(junk);
    CAPTURE(junk);
    CHECK(IsValidUtf8(key));
    CHECK(key == ReferenceFold(junk));
  }
}

TEST_CASE("Text: FoldForSearch ASCII fast path matches the utf8proc path") {
  // FoldForSearch folds ASCII bytes itself; ReferenceFold sends everything through utf8proc.
  // Every ASCII byte alone, between ASCII letters, and beside non-ASCII letters.
  for (int b = 0; b < 0x80; ++b) {
    const std::string c(1, static_cast<char>(b));
    CAPTURE(b);
    CHECK(FoldForSearch(c) == ReferenceFold(c));
    CHECK(FoldForSearch("a" + c + "Z") == ReferenceFold("a" + c + "Z"));
    CHECK(FoldForSearch("ư" + c + "Ơ") == ReferenceFold("ư" + c + "Ơ"));
    CHECK(FoldForSearch("x" + c + "é") == ReferenceFold("x" + c + "é"));
  }
  // Mixed inputs built from: ASCII, words, Vietnamese letters in NFC and NFD (and Ð), odd
  // spaces and ignorables, characters whose folding is not one-to-one, malformed bytes.
  // clang-format off
  const std::vector<std::string> pieces = {
      "a", "Z", "7", " ", "  ", ",", "-", ".", "\t", "\n", "_", "'",
      "Nguy", "Thôn", "xã", "Tịnh-Sơn", "0912.345.678",
      "ễ", "e\xCC\x82\xCC\x83", "Đ", "đ", "Ơ", "ư", "Ư", "Á", "ạ", "ỹ", "\xC3\x90",
      "\u00A0", "\u3000", "\u200B", "\u00AD", "🎉",
      "ß", "Σ", "ς", "İ", "ﬁ", "２", "Ⅻ", "٣",
      "\xC3", "\xED\xA0\x80", "\xC0\xAF"};
  // clang-format on
  std::mt19937 rng(2024);
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    const int n = static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) s += pieces[rng() % pieces.size()];
    CAPTURE(s);
    CHECK(FoldForSearch(s) == ReferenceFold(s));
  }
  for (const std::string& name : kNames) {
    CHECK(FoldForSearch(name) == ReferenceFold(name));
    CHECK(FoldForSearch(Nfd(name)) == ReferenceFold(Nfd(name)));
  }
}

TEST_CASE("Text: FoldForSearch's table of Latin letters matches the utf8proc path") {
  // FoldForSearch keeps the folds of U+0080..U+024F and U+1E00..U+1EFF in a table made on
  // first use; ReferenceFold asks utf8proc. Every such code point alone, between ASCII
  // letters, after a separator, and beside a combining mark.
  auto utf8 = [](utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
    return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  };
  for (const auto& [first, end] : {std::pair{0x80, 0x250}, std::pair{0x1E00, 0x1F00}}) {
    for (utf8proc_int32_t cp = first; cp < end; ++cp) {
      const std::string c = utf8(cp);
      CAPTURE(cp);
      CHECK(FoldForSearch(c) == ReferenceFold(c));
      CHECK(FoldForSearch("a" + c + "Z") == ReferenceFold("a" + c + "Z"));
      CHECK(FoldForSearch("- " + c + "\u0301x") == ReferenceFold("- " + c + "\u0301x"));
    }
  }
}

TEST_CASE("Text: FoldForSearch is idempotent") {
  for (const std::string& name : kNames) {
    const std::string key = FoldForSearch(name);
    CHECK(FoldForSearch(key) == key);
  }
  CHECK(FoldForSearch(FoldForSearch("  Thôn 3, xã Tịnh-Sơn ")) == "thon 3 xa tinh son");
}

TEST_CASE("Text: CodePointCount") {
  CHECK(CodePointCount("") == 0);
  CHECK(CodePointCount("abc") == 3);
  CHECK(CodePointCount("Nguyễn") == 6);
  CHECK(CodePointCount(Nfd("Nguyễn")) == 8);  // e + two combining marks
  CHECK(CodePointCount("Đức 🎉") == 5);
  CHECK(CodePointCount(std::string_view("a\0b", 3)) == 3);
  CHECK(CodePointCount("\xF4\x8F\xBF\xBF") == 1);
}

}  // namespace gocua
