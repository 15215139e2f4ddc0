// ParseValueText (storage/core/value_text.h): the change log's values read back without
// nlohmann's parser for the common shapes, and exactly as json::parse reads them — the same
// value, the same type — for every text, refusing what json::parse refuses.
#include "storage/core/value_text.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace gocua {
namespace {

using nlohmann::json;

// The parser's answer and ParseValueText's agree on `text`.
void Agrees(const std::string& text) {
  const json want = json::parse(text, nullptr, false);
  json got = "unset";
  const bool ok = ParseValueText(text, got);
  CHECK_MESSAGE(ok == !want.is_discarded(), text);
  if (!ok || want.is_discarded()) return;
  CHECK_MESSAGE(got == want, text);
  CHECK_MESSAGE(got.type() == want.type(), text);
  if (got.is_array())
    for (size_t i = 0; i < got.size() && i < want.size(); ++i)
      CHECK_MESSAGE(got[i].type() == want[i].type(), text);
  CHECK_MESSAGE(got.dump() == want.dump(), text);
}

TEST_CASE("Value text: the fast shapes read as json::parse reads them, type included") {
  for (const char* t : {"0",
                        "7",
                        "-0",
                        "-7",
                        "123456789012345678",
                        "-123456789012345678",
                        "true",
                        "false",
                        "null",
                        "\"\"",
                        "\"abc\"",
                        "\"Nguyễn Văn A\"",
                        "\"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\"",
                        "[]",
                        "[\"a\"]",
                        "[\"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\",\"x\"]",
                        "\"a string longer than eight bytes, to take the word path\"",
                        "\"tab\\tescaped\"",
                        "\"\\u00e9\"",
                        "1234567890123456789",
                        "12345678901234567890",
                        "-9223372036854775808",
                        "1.5",
                        "-1e3",
                        "{\"a\":1}",
                        "[1,2]",
                        "[\"a\",1]",
                        "[ \"a\" ]",
                        "\"a\" ",
                        " 1"})
    Agrees(t);
}

TEST_CASE("Value text: what json::parse refuses is refused") {
  for (const std::string& t :
       std::vector<std::string>{"",
                                "01",
                                "-",
                                "--1",
                                "1a",
                                "tru",
                                "nul",
                                "\"",
                                "\"abc",
                                "[",
                                "[\"a\"",
                                "[\"a\",]",
                                "[\"a\"]x",
                                "\"a\"b",
                                std::string("\"a\x01\""),
                                std::string("\"\xff\""),
                                std::string("\"\xc3\""),
                                std::string("\"\xed\xa0\x80\""),  // a surrogate
                                std::string("\"\xc0\xaf\""),      // an overlong '/'
                                std::string("[\"ok\",\"\xe1\x80\"]")})
    Agrees(t);
}

}  // namespace
}  // namespace gocua
