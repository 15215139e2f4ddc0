// The protocol's fast paths against what they stand for: the compact JSON writer (base/json_text.h)
// against nlohmann's dump, and the content checks' shortcut (validate.cpp) against the full
// checks, near every edge where they could disagree.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/json_text.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/protocol.h"
#include "sync/protocol/validate.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;

std::string Dumped(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string Written(const json& v) {
  std::string out = "prefix:";
  json_text::AppendValueText(out, v);
  REQUIRE(out.rfind("prefix:", 0) == 0);
  return out.substr(7);
}

TEST_CASE("Protocol: the JSON writer gives exactly nlohmann's compact text") {
  std::vector<std::string> strings = {"",
                                      "plain",
                                      "Nguyễn Văn Đức",
                                      "quote \" and backslash \\ and slash /",
                                      std::string("nul \0 inside", 12),
                                      "\b\f\n\r\t\x01\x1f\x7f",
                                      "emoji 😀 and 𝄞",
                                      "\xc3\x28",          // a bad continuation byte
                                      "\xe2\x82",          // a sequence cut at the end
                                      "\xed\xa0\x80",      // a surrogate
                                      "\xc0\xaf",          // an overlong '/'
                                      "\xf4\x90\x80\x80",  // past U+10FFFF
                                      "\xff\xfe ok",       // bytes that never start a sequence
                                      "mixed \xe1\xba\xbf\x80 tail"};
  for (int c = 0; c < 256; ++c) strings.push_back(std::string(1, static_cast<char>(c)) + "x");
  for (const std::string& s : strings) {
    INFO("string: " << json(s).dump(-1, ' ', true, json::error_handler_t::replace));
    CHECK(Written(json(s)) == Dumped(json(s)));
    std::string out;
    json_text::AppendStringText(out, s);
    CHECK(out == Dumped(json(s)));
  }
  const std::vector<json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      42,
      std::numeric_limits<int64_t>::min(),
      std::numeric_limits<int64_t>::max(),
      std::numeric_limits<uint64_t>::max(),
      0.5,
      -1e-300,
      1.7976931348623157e308,
      3.0,
      std::nan(""),
      std::numeric_limits<double>::infinity(),
      json::array(),
      json::object(),
      json::parse(R"([1, "a", [2, [3, {}]], {"k": null}])"),
      json::parse(R"({"vneid": "done", "payment": "needs_followup", "b": {"a": [true, 1.25]}})"),
      json{{"kh\u00f3a \"x\"", "gi\u00e1 tr\u1ecb"}, {"\x01", {1, 2}}},
      json::binary({1, 2, 3})};
  for (const json& v : values) {
    INFO("value: " << Dumped(v));
    CHECK(Written(v) == Dumped(v));
  }
}

Op ValidOp() {
  Op op;
  op.origin_device = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  op.seq = 1;
  op.record_type = "visit";
  op.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
  op.field = "notes";
  op.value = "x";
  op.hlc = 1720000000000LL << 16;
  return op;
}

TEST_CASE(
    "Protocol: content checks accept and refuse values exactly at the size and depth limits") {
  auto check = [](const json& value) {
    Op op = ValidOp();
    op.value = value;
    return CheckOpContent(op);
  };
  // A string's JSON text is its bytes and two quotes, each control character six bytes.
  CHECK(check(std::string(kMaxValueBytes - 2, 'v')).ok());
  CHECK_FALSE(check(std::string(kMaxValueBytes - 1, 'v')).ok());
  CHECK(check(std::string((kMaxValueBytes - 2) / 6, '\x01')).ok());
  const Status escaped = check(std::string((kMaxValueBytes - 2) / 6 + 1, '\x01'));
  REQUIRE_FALSE(escaped.ok());
  CHECK(WireMessage(escaped) == "value: is 32774 bytes as JSON, more than the limit of 32768");
  // Arrays of numbers: the text, not a guess, decides.
  json numbers = json::array();
  while (Dumped(numbers).size() < kMaxValueBytes - 20) numbers.push_back(123456789);
  while (Dumped(numbers).size() <= kMaxValueBytes) {
    INFO("bytes: " << Dumped(numbers).size());
    CHECK(check(numbers).ok());
    numbers.push_back(7);
  }
  CHECK_FALSE(check(numbers).ok());
  // Nesting: 8 levels are allowed, 9 are not.
  json deep = 1;
  for (int i = 0; i < kMaxValueDepth; ++i) deep = json::array({deep});
  CHECK(check(deep).ok());
  CHECK(WireMessage(check(json::array({deep}))) ==
        "value: nests arrays/objects deeper than 8 levels");
  json deep_object = json::object({{"k", deep}});
  CHECK_FALSE(check(deep_object).ok());
  // Numbers that are not finite, at any depth the check reaches.
  CHECK(WireMessage(check(json::array({1, json::array({std::nan("")})}))) ==
        "value: holds a number that is not finite");
  CHECK(WireMessage(check(json::binary({1}))) == "value: must be a JSON value");
}

TEST_CASE("Protocol: a pull page's checks name the first bad op, however far into the page") {
  PullResponse page;
  page.next_cursor = "e1.2000";
  page.server_time = 1720000000000;
  for (int i = 0; i < kMaxPullLimit; ++i) {
    Op op = ValidOp();
    op.seq = i + 1;
    page.ops.push_back({i + 1, op});
  }
  CHECK(Validate(page).ok());
  page.ops[700].op.base_hlc = 5;
  CHECK(WireMessage(Validate(page)) ==
        "ops[700].base_hlc: must be 0 exactly when base_device is \"\" (a field never written); "
        "got 5 and \"\"");
  page.ops[300].server_seq = 300;
  CHECK(WireMessage(Validate(page)) == "ops[300].server_seq: 300 follows 300; must increase");

  PushRequest push;
  push.device_id = page.ops[0].op.origin_device;
  push.batch_id = "0190a1b2-c3d4-7000-8000-000000000001";
  for (int i = 0; i < 5; ++i) push.ops.push_back(page.ops[i].op);
  Op other = ValidOp();
  other.origin_device = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
  other.seq = 9;
  push.ops.insert(push.ops.begin() + 2, other);  // a relay: another origin in between
  other.seq = 10;
  push.ops.push_back(other);
  CHECK(Validate(push).ok());
  push.ops.back().seq = 12;
  CHECK(WireMessage(Validate(push)) ==
        "ops[6].seq: 12 follows 9 from the same origin_device; one origin's seqs in a push must "
        "be consecutive and increasing");
  push.ops[4].seq = 0;
  CHECK(WireMessage(Validate(push)) == "ops[4].seq: must be at least 1, got 0");
}

}  // namespace
}  // namespace gocua::protocol
