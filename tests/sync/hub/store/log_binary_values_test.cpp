// The binary log's value tags (sync/hub/store/log_binary.h, hub schema 13): every value reads
// back to the same json and the same text, with the same byte count a dump() has, whatever tag
// it took; the strings the tags 3..7 stand for take them, near misses stay JSON text (tag 0).
// And the word list is append-only in effect: the codes a file holds are pinned here.
#include <doctest/doctest.h>

#include <cstdio>
#include <random>
#include <string>

#include "base/json_text.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/log_words.h"

namespace gocua::hub_internal {
namespace {

using json = nlohmann::json;

const std::string kAuthor = "01a24c5c-0a9a-75b5-b391-c26a3effbd0e";
const std::string kOther = "01a24c5c-0590-7974-828a-5eb9d1e5b8a2";

// The tag `v` is written with, after checking that it reads back exactly: as the op's JSON
// text parses (json::parse makes a non-negative integer number_unsigned), so to that text.
int RoundTrip(const json& given, const std::string* author = &kAuthor) {
  const json v = json::parse(given.dump());
  std::string bytes;
  PutValue(bytes, v, author);
  REQUIRE(!bytes.empty());
  json back;
  size_t dumped = 0;
  INFO("value ", v.dump());
  REQUIRE(GetValue(bytes, 0, back, dumped, author));
  CHECK(back == v);
  CHECK(back.type() == v.type());
  std::string a, b;
  json_text::AppendValueText(a, v);
  json_text::AppendValueText(b, back);
  CHECK(a == b);
  CHECK(dumped == v.dump().size());
  // The pull writes the tags of strings, arrays of strings and objects of words as text,
  // without the json (GetValueText): the same text; tag 0 is left to GetValue.
  const int tag = static_cast<unsigned char>(bytes[0]);
  std::string text = "x";
  const bool as_text = GetValueText(bytes, 0, text, author ? std::string_view(*author) : "");
  CHECK(as_text == (tag != 0));
  CHECK(text == (as_text ? "x" + a : "x"));
  return tag;
}

TEST_CASE("log binary values: dates, words, objects of words and the author take their tags") {
  CHECK(RoundTrip("2026-12-06") == 3);
  CHECK(RoundTrip("2000-01-01") == 3);
  CHECK(RoundTrip("2024-02-29") == 3);
  CHECK(RoundTrip("2400-02-29") == 3);
  CHECK(RoundTrip("pending") == 4);
  CHECK(RoundTrip("") == 4);
  CHECK(RoundTrip("needs_followup") == 4);
  CHECK(RoundTrip(json{{"dvc", "guided"}, {"vneid", "needs_followup"}}) == 5);
  CHECK(RoundTrip(json{{"public_services", "proficient"}}) == 5);
  CHECK(RoundTrip(kAuthor) == 6);
  CHECK(RoundTrip(json::array({kAuthor, kOther})) == 7);
  CHECK(RoundTrip(json::array({kAuthor})) == 7);
  CHECK(RoundTrip(json::array({kOther, kAuthor})) == 2);
  CHECK(RoundTrip(kOther) == 1);
  // Near misses: JSON text, byte for byte.
  for (const char* s : {"2026-02-29", "1999-12-31", "2026-13-01", "2026-00-10", "2026-1-01",
                        "2026-01-32", " 2026-01-01", "2026-01-01 ", "2026/01/01", "9999-12-31",
                        "Pending", "pending ", "guided\n", "đã xong", "ab\"c"})
    CHECK(RoundTrip(s) == 0);
  CHECK(RoundTrip(json::object()) == 0);
  CHECK(RoundTrip(json{{"dvc", "guided"}, {"x", "done"}}) == 0);
  CHECK(RoundTrip(json{{"dvc", "nope"}}) == 0);
  CHECK(RoundTrip(json{{"dvc", 1}}) == 0);
  CHECK(RoundTrip(json{{"dvc", json{{"dvc", "done"}}}}) == 0);
  CHECK(RoundTrip(json::array({kAuthor, 1})) == 0);
  CHECK(RoundTrip(json::array({kAuthor, "x"})) == 0);
  CHECK(RoundTrip(json::array()) == 0);
  CHECK(RoundTrip(24) == 0);
  CHECK(RoundTrip(-1) == 0);
  CHECK(RoundTrip(2.5) == 0);
  CHECK(RoundTrip(nullptr) == 0);
  CHECK(RoundTrip(true) == 0);
  // No author (or one that is no canonical UUID): no tag 6 or 7.
  CHECK(RoundTrip(kAuthor, nullptr) == 1);
  CHECK(RoundTrip(json::array({kAuthor, kOther}), nullptr) == 2);
  // Tags 6 and 7 read back only with the author they were written with.
  std::string bytes;
  PutValue(bytes, kAuthor, &kAuthor);
  json back;
  size_t dumped = 0;
  CHECK_FALSE(GetValue(bytes, 0, back, dumped, nullptr));
}

TEST_CASE("log binary values: damaged bytes are refused, never read as another value") {
  json v;
  size_t n = 0;
  CHECK_FALSE(GetValue(std::string("\x04\x7f", 2), 0, v, n, nullptr));          // no such word
  CHECK_FALSE(GetValue(std::string("\x04\x01\x01", 3), 0, v, n, nullptr));      // a byte too many
  CHECK_FALSE(GetValue(std::string("\x05\x0e", 2), 0, v, n, nullptr));          // half a pair
  CHECK_FALSE(GetValue(std::string("\x05\x0e\x04\x0e", 4), 0, v, n, nullptr));  // odd
  CHECK_FALSE(GetValue(std::string("\x05\x0e\x04\x0e\x05", 5), 0, v, n, nullptr));  // twice
  CHECK_FALSE(GetValue(std::string("\x03\x80", 2), 0, v, n, nullptr));              // a cut varint
  CHECK_FALSE(GetValue(std::string("\x03\xff\xff\xff\x01", 5), 0, v, n, nullptr));  // too far
  CHECK_FALSE(GetValue(std::string("\x06\x00", 2), 0, v, n, &kAuthor));             // bytes after 6
  CHECK_FALSE(GetValue(std::string("\x07\x00", 2), 0, v, n, &kAuthor));             // not 16 bytes
  CHECK_FALSE(GetValue(std::string("\x08", 1), 0, v, n, &kAuthor));                 // no such tag
  // The text reader refuses the same bytes, and writes nothing.
  std::string text;
  for (const std::string& bad :
       {std::string("\x04\x7f", 2), std::string("\x04\x01\x01", 3), std::string("\x03\x80", 2),
        std::string("\x03\xff\xff\xff\x01", 5), std::string("\x06\x00", 2),
        std::string("\x07\x00", 2), std::string("\x08", 1), std::string("\x01\x00", 2)})
    CHECK_FALSE(GetValueText(bad, 0, text, kAuthor));
  CHECK_FALSE(GetValueText(std::string("\x06", 1), 0, text, ""));  // 6 needs the author
  // Objects: damaged, a key twice, keys out of order (GetValue reads those: a json object
  // sorts them).
  for (const std::string& bad : {std::string("\x05\x0e", 2), std::string("\x05\x0e\x04\x0e", 4),
                                 std::string("\x05\x0e\x04\x0e\x05", 5),
                                 std::string("\x05\x0e\x04\x7f\x01", 5),
                                 std::string("\x05\x0d\x01\x0e\x04", 5)})
    CHECK_FALSE(GetValueText(bad, 0, text, kAuthor));
  CHECK(text.empty());
  const std::string reordered("\x05\x0d\x01\x0e\x04", 5);  // vneid, then dvc
  REQUIRE(GetValue(reordered, 0, v, n, nullptr));
  CHECK(v.dump() == "{\"dvc\":\"guided\",\"vneid\":\"pending\"}");
  CHECK(GetValueText(std::string("\x05\x0e\x04\x0d\x01", 5), 0, text, kAuthor));
  CHECK(text == "{\"dvc\":\"guided\",\"vneid\":\"pending\"}");
}

TEST_CASE("log binary values: random values read back to the same text (property)") {
  std::mt19937 rng(20261206);
  const std::string pieces[] = {"2026", "-",  "12", "06", "02", "29",    "pending", "guided", "dvc",
                                "x",    "\"", "đ",  "0",  "9",  kAuthor, "",        "done"};
  auto text = [&] {
    std::string s;
    const int k = static_cast<int>(rng() % 5);
    for (int i = 0; i < k; ++i) s += pieces[rng() % std::size(pieces)];
    return s;
  };
  auto word = [&] { return std::string(kLogWords[rng() % kLogWordCount]); };
  int tagged = 0;
  for (int i = 0; i < 3000; ++i) {
    json v;
    switch (rng() % 6) {
      case 0:
        v = text();
        break;
      case 1:
        v = word();
        break;
      case 2: {
        char d[16];
        std::snprintf(d, sizeof d, "%04u-%02u-%02u", static_cast<unsigned>(1990 + rng() % 60),
                      static_cast<unsigned>(rng() % 14), static_cast<unsigned>(rng() % 33));
        v = d;
        break;
      }
      case 3: {
        v = json::object();
        const int k = static_cast<int>(rng() % 4);
        for (int j = 0; j < k; ++j)
          v[rng() % 6 ? word() : text()] = rng() % 6 ? json(word()) : json(text());
        break;
      }
      case 4: {
        v = json::array();
        const int k = static_cast<int>(rng() % 4);
        for (int j = 0; j < k; ++j) v.push_back(rng() % 2 ? kAuthor : rng() % 2 ? kOther : text());
        break;
      }
      default:
        v = static_cast<int>(rng() % 1000) - 500;
    }
    tagged += RoundTrip(v) != 0;
  }
  CHECK(tagged > 1000);  // the generator reaches the tags, not only JSON text
}

TEST_CASE("log binary values: the word codes a file holds never move") {
  // Codes are on disk (tags 4 and 5, and the SQLite hub's table hub_words): append only.
  REQUIRE(kLogWordCount >= 25);
  CHECK(kLogWords[0] == "");
  CHECK(kLogWords[1] == "pending");
  CHECK(kLogWords[4] == "guided");
  CHECK(kLogWords[6] == "needs_followup");
  CHECK(kLogWords[12] == "other");
  CHECK(kLogWords[14] == "dvc");
  CHECK(kLogWords[24] == "platforms");
  for (size_t i = 0; i < kLogWordCount; ++i) {
    CHECK(LogWordCode(kLogWords[i]) == static_cast<int>(i));  // no word twice
    for (char c : kLogWords[i]) CHECK(((c >= 'a' && c <= 'z') || c == '_'));
  }
}

}  // namespace
}  // namespace gocua::hub_internal
