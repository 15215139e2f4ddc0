// The v2 push reader without a tree (sync/protocol/wire_v2_text.h) against the tree decoder it
// stands for: whatever it reads, the tree reads the same; whatever it leaves, DecodePushRequest
// answers as the tree does — over encoded bodies, truncations, mutations and hand-made edges.
#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"
#include "sync/protocol/wire_v2_text.h"
#include "tests/support/random_json.h"
#include "tests/sync/protocol/fast_reader_check.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;
using testing::RandomValue;

const char kDevice[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const char kOther[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
const char kBatch[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d";

PushRequest RandomPush(std::mt19937& rng) {
  PushRequest m;
  m.protocol = kProtocolV2;
  m.device_id = kDevice;
  m.batch_id = kBatch;
  int64_t seq[2] = {1 + static_cast<int64_t>(rng() % 1000), 1 + static_cast<int64_t>(rng() % 9)};
  int64_t hlc = static_cast<int64_t>(rng()) * 65536;
  const int n = static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i) {
    Op op;
    const int who = rng() % 8 == 0 ? 1 : 0;  // a relay's push mixes origins
    op.origin_device = who ? kOther : kDevice;
    op.seq = seq[who]++;
    op.record_type = rng() % 3 ? "visit" : "household";
    op.record_id = "r" + std::to_string(rng() % 3);
    op.field = "f" + std::to_string(rng() % 4);
    op.value = RandomValue(rng);
    hlc += rng() % 5 == 0 ? -static_cast<int64_t>(rng() % 100) : 1;
    op.hlc = hlc;
    if (rng() % 3 == 0) {
      op.base_hlc = static_cast<int64_t>(rng());
      op.base_device = rng() % 2 ? kOther : "";
    }
    if (rng() % 4 == 0) op.author = "m" + std::to_string(rng() % 2);
    if (rng() % 6 == 0) {
      op.seen_hlc = static_cast<int64_t>(rng() % 7);
      op.seen_device = rng() % 2 ? kDevice : "";
    }
    m.ops.push_back(std::move(op));
  }
  return m;
}

// Values equal in type and text too (json's == holds 1 == 1u == 1.0).
bool SameRequest(const PushRequest& a, const PushRequest& b) {
  if (!(a == b) || a.ops.size() != b.ops.size()) return false;
  for (size_t i = 0; i < a.ops.size(); ++i)
    if (!testing::SameValue(a.ops[i].value, b.ops[i].value)) return false;
  return true;
}

// `m` as read for the hub (ReadPushRunsV2Text, DecodePushRuns) made whole: an op that
// follows takes the op before's origin, record and author, which it must not hold itself.
PushRequest Whole(PushRequest m, const std::vector<bool>& follows) {
  if (follows.empty()) return m;
  REQUIRE(follows.size() == m.ops.size());
  for (size_t i = 0; i < m.ops.size(); ++i) {
    if (!follows[i]) continue;
    REQUIRE(i > 0);
    Op& op = m.ops[i];
    CHECK((op.origin_device.empty() && op.record_type.empty() && op.record_id.empty() &&
           op.author.empty()));
    const Op& before = m.ops[i - 1];
    op.origin_device = before.origin_device;
    op.record_type = before.record_type;
    op.record_id = before.record_id;
    op.author = before.author;
  }
  return m;
}

// The fast reader agrees with the tree on `text`, and the hub's reading of runs with the fast
// reader and DecodePushRequest once made whole; returns whether the fast reader read it.
bool CheckAgrees(const std::string& text, std::span<const int> spoken = kSupportedVersions) {
  CAPTURE(text);
  const std::optional<PushRequest> fast = ReadPushRequestV2Text(text, spoken);
  std::vector<bool> follows;
  const std::optional<PushRequest> runs = ReadPushRunsV2Text(text, spoken, &follows);
  REQUIRE(runs.has_value() == fast.has_value());
  if (runs) CHECK(SameRequest(Whole(*runs, follows), *fast));
  const Result<PushRequest> both = DecodePushRequest(text, spoken);
  const Result<PushRequest> hub = DecodePushRuns(text, spoken, &follows);
  REQUIRE(hub.ok() == both.ok());
  if (hub.ok())
    CHECK(SameRequest(Whole(*hub, follows), *both));
  else
    CHECK(hub.error().message() == both.error().message());
  return testing::CheckAgrees(fast, DecodePushRequestTree(text, spoken), both, SameRequest);
}

TEST_CASE("Protocol: a v2 push read without a tree is what the tree reads") {
  std::mt19937 rng(5);
  int read_fast = 0;
  for (int round = 0; round < 300; ++round) {
    const PushRequest m = RandomPush(rng);
    const std::string text = Encode(m);
    if (CheckAgrees(text)) ++read_fast;
    static const char kBytes[] = {' ', ',', ']', '[', '{', '}', '"',    '\\',  ':',
                                  '0', '9', '-', '.', 'e', 'n', '\xff', '\x01'};
    testing::CheckDamaged(text, std::string_view(kBytes, sizeof kBytes), rng,
                          [](const std::string& t) { CheckAgrees(t); });
  }
  // The writer's text is the case it exists for: nearly all of it is read without the tree
  // (not all: the random values include deep nesting).
  CHECK(read_fast > 250);
}

TEST_CASE("Protocol: the v2 push reader leaves every edge to the tree or agrees with it") {
  const std::string head = std::string("{\"protocol\":2,\"device_id\":\"") + kDevice +
                           "\",\"batch_id\":\"" + kBatch + "\",\"runs\":[";
  auto body = [&](const std::string& runs) { return head + runs + "]}"; };
  const std::string run = R"({"seq":1,"type":"visit","id":"r1","hlc":100,"ops":)";
  // Read here: the writer's form.
  CHECK(CheckAgrees(body(run + R"([["f",1],["g","x",{"hlc_step":5,"base_hlc":3}]]})")));
  CHECK(CheckAgrees(body(run + R"([["f",[1,{"a":"]"}]],["g",1.5]]})")));
  CHECK(CheckAgrees(body(run + R"([["f","a\"b"]]})")));  // an escape inside a value
  CHECK(CheckAgrees(body(run + R"([["f",-9223372036854775807]]})")));
  CHECK(CheckAgrees(body(run + R"([["f",9223372036854775807]]})")));
  CHECK(CheckAgrees(body(run + R"([["f",18446744073709551615]]})")));
  // Left to the tree, which decides (read or refused) as before.
  for (
      const std::string& text : {
          body(run + R"([["f",1]] })"),                      // whitespace
          body(run + R"([["f",1]],"ops":[["g",2]]})"),       // a repeated key
          body(run + R"([["f",1]],"extra":1})"),             // an unknown key
          body(run + R"([["f",1,{"seen_device":null}]]})"),  // a null
          body(run + R"([["f",1,{"hlc_step":2}]]})"),        // a first op's step
          body(run + R"([["f",-0]]})"),                      // -0
          body(run + R"([["f",-9223372036854775808]]})"),    // int64's minimum
          body(run + R"([["f\u0041",1]]})"),                 // an escaped field
          body(run + R"([["f",1]]},{"seq":3,"type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})"),
          body(run + R"([]})"),                                           // an empty run
          body(run + R"([["f"]]})"),                                      // no value
          body(run + R"([["f",1,{},4]]})"),                               // four parts
          body(R"({"type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})"),  // no seq
          body(R"({"seq":0,"type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})"),
          body(R"({"seq":1,"origin":"ABC","type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})"),
          body(
              R"({"seq":9223372036854775807,"type":"visit","id":"r1","hlc":1,"ops":[["f",1],["g",2]]})"),
          body(run + R"([["f",)" + std::string(11, '[') + std::string(11, ']') + "]]}"),
          body(run + R"([["f",)" + std::string(12, '[') + std::string(12, ']') + "]]}"),
          body(run + R"([["f",1]]})") + " ",
          std::string("{\"protocol\":2,\"device_id\":\"") + kDevice +  // a bad batch id
              "\",\"batch_id\":\"ABC\",\"runs\":[" + run + R"([["f",1],["g",2]]}]})",
          std::string("{\"runs\":[") + run + R"([["f",1]]}],"protocol":2,"device_id":")" + kDevice +
              "\",\"batch_id\":\"" + kBatch + "\"}",
          std::string("{\"protocol\":1,\"device_id\":\"") + kDevice + "\",\"batch_id\":\"" +
              kBatch + "\",\"ops\":[]}",
          std::string("{\"protocol\":2.0,\"device_id\":\"") + kDevice + "\",\"batch_id\":\"" +
              kBatch + "\",\"runs\":[]}",
      })
    CheckAgrees(text);
  // A version this side does not speak.
  const int only_v1[] = {1};
  CHECK_FALSE(CheckAgrees(body(run + R"([["f",1]]})"), only_v1));
  // The limits: ops over all runs, and the body's size.
  {
    std::string runs;
    for (int i = 0; i < 2001; ++i) {
      if (i > 0) runs += ',';
      runs += i == 0 ? R"({"seq":1,"type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})"
                     : R"({"type":"visit","id":"r1","hlc":1,"ops":[["f",1]]})";
    }
    CHECK_FALSE(CheckAgrees(body(runs)));
    std::string ops;
    for (int i = 0; i < 2001; ++i) ops += i == 0 ? R"(["f",1])" : R"(,["f",1])";
    CHECK_FALSE(CheckAgrees(body(run + "[" + ops + "]}")));
    CHECK_FALSE(CheckAgrees(body(run + R"([["f",")" + std::string(600 * 1024, 'a') + "\"]]}")));
  }
}

TEST_CASE("Protocol: the v2 push reader looks at every byte of a long string wherever it sits") {
  // Strings are read 8 bytes at a time where those are plain ASCII: a quote, a backslash, a
  // control or a byte of UTF-8 at any offset must still be seen as the tree sees it.
  const std::string head = std::string("{\"protocol\":2,\"device_id\":\"") + kDevice +
                           "\",\"batch_id\":\"" + kBatch + "\",\"runs\":[";
  const std::string plain(40, 'a');
  int read_fast = 0, left = 0;
  for (size_t at = 0; at <= plain.size(); ++at) {
    for (const std::string& odd :
         {std::string("\\\""), std::string("\\\\"), std::string("\\n"), std::string("\x01"),
          std::string("\x1f"), std::string("\x7f"), std::string("\xc3\xa1"),
          std::string("\xe1\xbb\x87"), std::string("\xff"), std::string("\xc3")}) {
      const std::string text = plain.substr(0, at) + odd + plain.substr(at);
      // As an op's value and as the record's id.
      const std::string as_value =
          head + R"({"seq":1,"type":"visit","id":"r1","hlc":100,"ops":[["f",")" + text + "\"]]}]}";
      const std::string as_id =
          head + R"({"seq":1,"type":"visit","id":")" + text + R"(","hlc":100,"ops":[["f",1]]}]})";
      // A value with an escape is read here too (by nlohmann, on the value's extent); controls
      // and broken UTF-8 are read nowhere. An id is read here only without escapes.
      const bool refused = odd == "\x01" || odd == "\x1f" || odd == "\xff" || odd == "\xc3";
      CHECK(CheckAgrees(as_value) == !refused);
      const bool fast = CheckAgrees(as_id);
      if (refused || odd[0] == '\\') CHECK_FALSE(fast);
      fast ? ++read_fast : ++left;
    }
  }
  CHECK(read_fast > 0);
  CHECK(left > 0);
}

}  // namespace
}  // namespace gocua::protocol
