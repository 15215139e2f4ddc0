// The eight-bytes-at-a-time scans of the JSON text writer (base/json_text.h NoEscape8,
// PlainAscii8) against the byte-by-byte tests they stand for, and the writer's strings, long
// enough to take them, against nlohmann's dump.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "base/json_text.h"
#include "sync/hub/store/sqlite/hub_internal.h"

namespace gocua::hub_internal {
namespace {

using nlohmann::json;

bool NoEscapeByBytes(const char* p) {
  for (int i = 0; i < 8; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == '"' || c == '\\') return false;
  }
  return true;
}

bool PlainAsciiByBytes(const char* p) {
  for (int i = 0; i < 8; ++i)
    if (static_cast<unsigned char>(p[i]) >= 0x80) return false;
  return NoEscapeByBytes(p);
}

// A byte near the edges the scans test: controls, the two escapes, DEL, 0x80 and up.
char EdgyByte(std::mt19937& rng) {
  static const unsigned char kEdges[] = {0x00, 0x01, 0x1f, 0x20, 0x21, '"',  0x23, '[',  '\\',
                                         ']',  'a',  0x7e, 0x7f, 0x80, 0x9f, 0xa0, 0xa2, 0xbf,
                                         0xc0, 0xc3, 0xdc, 0xdf, 0xe0, 0xed, 0xf4, 0xfe, 0xff};
  if (rng() % 3 == 0) return static_cast<char>(rng() % 256);
  return static_cast<char>(kEdges[rng() % sizeof kEdges]);
}

TEST_CASE("JSON text: the 8-byte scans answer as the byte-by-byte tests") {
  std::mt19937 rng(42);
  char w[8];
  // Every single byte in every position of an otherwise plain word.
  for (int pos = 0; pos < 8; ++pos)
    for (int b = 0; b < 256; ++b) {
      for (char& c : w) c = 'x';
      w[pos] = static_cast<char>(b);
      CAPTURE(pos);
      CAPTURE(b);
      CHECK(json_text::NoEscape8(w) == NoEscapeByBytes(w));
      CHECK(json_text::PlainAscii8(w) == PlainAsciiByBytes(w));
    }
  // Random words of mostly edgy bytes, and mostly plain ones with one or two edgy bytes.
  for (int round = 0; round < 200000; ++round) {
    for (char& c : w) c = round % 2 ? EdgyByte(rng) : static_cast<char>('a' + rng() % 26);
    if (round % 2 == 0)
      for (int k = static_cast<int>(rng() % 3); k > 0; --k) w[rng() % 8] = EdgyByte(rng);
    const bool no_escape = json_text::NoEscape8(w), plain = json_text::PlainAscii8(w);
    if (no_escape != NoEscapeByBytes(w) || plain != PlainAsciiByBytes(w)) {
      CAPTURE(std::string(w, 8));
      FAIL("a scan disagrees with the bytes");
    }
  }
}

TEST_CASE("JSON text: long strings are written as nlohmann writes them") {
  std::mt19937 rng(9);
  const std::vector<std::string> pieces = {"abcdefgh",
                                           "Nguyễn Văn Đức",
                                           "\"",
                                           "\\",
                                           "\n",
                                           "\x01",
                                           "\x7f",
                                           "😀",
                                           "\xc3",
                                           "\xff",
                                           "\xed\xa0\x80",
                                           " ",
                                           "0123456789012345",
                                           "ế",
                                           "\xe2\x82"};
  for (int round = 0; round < 5000; ++round) {
    std::string s;
    for (int n = static_cast<int>(rng() % 12); n > 0; --n) s += pieces[rng() % pieces.size()];
    CAPTURE(s);
    std::string text;
    json_text::AppendStringText(text, s);
    CHECK(text == json(s).dump(-1, ' ', false, json::error_handler_t::replace));
    // The log's own strings (ids, names: no UTF-8 check) through a one-op row's rest text.
    LogEntry head, next;
    head.op = {"d", 1, "household", "h", "head_name", s, {}, 1, "", {}};
    next = head;
    next.op.seq = 2;
    next.op.field = s;       // written by AppendString, escapes only
    next.op.author = s + s;  // likewise
    next.reason = s;         // written by AppendStringText
    const std::string rest = RestJson({head, next});
    const json parsed = json::parse(rest, nullptr, false);
    if (s.find_first_of("\xc3\xff\xed\xe2") == std::string::npos) {
      REQUIRE(parsed.is_array());
      CHECK(parsed[0][0] == s);
      CHECK(parsed[0][8] == s + s);
      CHECK(parsed[0][7] == s);
    }
  }
}

json RandomJson(std::mt19937& rng, int depth = 0) {
  static const std::vector<std::string> texts = {"",
                                                 "a",
                                                 "Nguyễn Văn Đức",
                                                 "\"q\"",
                                                 "\\",
                                                 "\n\x01",
                                                 "\xff",
                                                 "\xc3",
                                                 "\xed\xa0\x80",
                                                 "😀",
                                                 "0123456789abcdef",
                                                 "\x7f"};
  switch (rng() % (depth < 3 ? 8 : 5)) {
    case 0:
      return texts[rng() % texts.size()];
    case 1:
      return static_cast<int64_t>(rng()) - (1LL << 31);
    case 2:
      return rng() % 2 == 0 ? json(nullptr) : json(rng() % 2 == 0);
    case 3:
      return static_cast<double>(rng() % 1000) / 8.0;
    case 4:
      return static_cast<uint64_t>(rng()) << 33;
    case 5:
    case 6: {
      json a = json::array();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n) a.push_back(RandomJson(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int n = static_cast<int>(rng() % 4); n > 0; --n)
        o[texts[rng() % texts.size()]] = RandomJson(rng, depth + 1);
      return o;
    }
  }
}

TEST_CASE("JSON text: AppendValueText with the strict handler is dump(), exception and all") {
  std::mt19937 rng(11);
  int threw = 0;
  for (int round = 0; round < 20000; ++round) {
    const json v = RandomJson(rng);
    std::string expected;
    bool expected_threw = false;
    try {
      expected = v.dump();
    } catch (const json::exception&) {
      expected_threw = true;
    }
    std::string got = "prefix";
    bool got_threw = false;
    try {
      json_text::AppendValueText(got, v, json::error_handler_t::strict);
    } catch (const json::exception&) {
      got_threw = true;
    }
    REQUIRE(got_threw == expected_threw);
    if (!got_threw) CHECK(got == "prefix" + expected);
    threw += got_threw;
  }
  CHECK(threw > 0);  // invalid UTF-8 was met
}

}  // namespace
}  // namespace gocua::hub_internal
