// The v2 pull-page reader without a tree (sync/protocol/wire_v2_text.h) against the tree decoder
// it stands for: whatever it reads, the tree reads the same; whatever it leaves,
// DecodePullResponseV2 answers as the tree does — over encoded pages, truncations, mutations and
// hand-made edges.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"
#include "sync/protocol/wire_v2_text.h"
#include "tests/sync/protocol/fast_reader_check.h"
#include "tests/support/random_json.h"

namespace gocua::protocol {
namespace {

using nlohmann::json;
using testing::RandomValue;

const char kA[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
const char kB[] = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

PullResponse RandomPage(std::mt19937& rng) {
  PullResponse m;
  int64_t seq[2] = {1 + static_cast<int64_t>(rng() % 1000), 1 + static_cast<int64_t>(rng() % 9)};
  int64_t server_seq = 1 + static_cast<int64_t>(rng() % 5000);
  int64_t hlc = static_cast<int64_t>(rng()) * 65536;
  const int n = static_cast<int>(rng() % 40);
  for (int i = 0; i < n; ++i) {
    Op op;
    const int who = rng() % 5 == 0 ? 1 : 0;
    op.origin_device = who ? kB : kA;
    op.seq = seq[who] += rng() % 6 == 0 ? 1 + static_cast<int64_t>(rng() % 50) : 1;
    op.record_type = rng() % 3 ? "visit" : "household";
    op.record_id = "r" + std::to_string(rng() % 3);
    op.field = "f" + std::to_string(rng() % 4);
    op.value = RandomValue(rng);
    hlc += rng() % 5 == 0 ? -static_cast<int64_t>(rng() % 100) : 1;
    op.hlc = hlc;
    if (rng() % 3 == 0) {
      op.base_hlc = static_cast<int64_t>(rng());
      op.base_device = kB;
    }
    if (rng() % 4 == 0) op.author = "m" + std::to_string(rng() % 2);
    server_seq += rng() % 4 == 0 ? 1 + static_cast<int64_t>(rng() % 9) : 1;
    m.ops.push_back({server_seq, std::move(op)});
  }
  m.next_cursor = "c" + std::to_string(server_seq);
  m.has_more = rng() % 2 == 0;
  m.server_time = 1700000000000 + static_cast<int64_t>(rng() % 1000);
  if (rng() % 4 == 0) m.devices.push_back({kB, "Máy của Lan", 1700000000000});
  return m;
}

// Values equal in type and text too (json's == holds 1 == 1u == 1.0).
bool SamePage(const PullResponse& a, const PullResponse& b) {
  if (!(a == b) || a.ops.size() != b.ops.size()) return false;
  for (size_t i = 0; i < a.ops.size(); ++i)
    if (!testing::SameValue(a.ops[i].op.value, b.ops[i].op.value)) return false;
  return true;
}

// The fast reader agrees with the tree on `text`; returns whether it read it.
bool CheckAgrees(const std::string& text) {
  CAPTURE(text);
  return testing::CheckAgrees(ReadPullResponseV2Text(text), DecodePullResponseV2Tree(text),
                              DecodePullResponseV2(text), SamePage);
}

TEST_CASE("Protocol: a v2 pull page read without a tree is what the tree reads") {
  std::mt19937 rng(11);
  int read_fast = 0, valid = 0;
  for (int round = 0; round < 300; ++round) {
    const PullResponse m = RandomPage(rng);
    const std::string text = EncodePullResponseV2(m);
    if (DecodePullResponseV2Tree(text).ok()) ++valid;
    if (CheckAgrees(text)) ++read_fast;
    static const char kBytes[] = {' ', ',', ']', '[', '{', '}', '"', '\\',   ':',
                                  '0', '9', '-', '.', 'e', 'n', 't', '\xff', '\x01'};
    testing::CheckDamaged(text, std::string_view(kBytes, sizeof kBytes), rng,
                          [](const std::string& t) { CheckAgrees(t); });
  }
  // The writer's text is the case it exists for: nearly every valid page is read without the
  // tree (not all: the random values include deep nesting).
  CHECK(valid > 250);
  CHECK(read_fast > valid - 30);
}

TEST_CASE("Protocol: the v2 pull reader leaves every edge to the tree or agrees with it") {
  const std::string tail = R"(],"next_cursor":"c9","has_more":false,"server_time":5})";
  auto page = [&](const std::string& runs) { return "{\"runs\":[" + runs + tail; };
  const std::string run = std::string(R"({"origin":")") + kA +
                          R"(","seq":1,"server_seq":10,"type":"visit","id":"r1","hlc":100,"ops":)";
  const std::string next = R"({"seq":7,"type":"visit","id":"r2","hlc":1,"ops":[["f",1]]})";
  // Read here: the writer's form, a later run's server_seq and origin following on.
  CHECK(CheckAgrees(page(run + R"([["f",1],["g","x",{"hlc_step":5,"base_hlc":3,"base_device":")" +
                         kB + R"("}]]})")));
  CHECK(CheckAgrees(page(run + R"([["f",1]]},)" + next)));
  CHECK(CheckAgrees(page("")));  // an empty page
  CHECK(CheckAgrees("{\"runs\":[" + run + R"([["f",1]]}],"next_cursor":"c","has_more":true,)" +
                    R"("server_time":5,"devices":[{"device_id":")" + kB +
                    R"(","name":"Lan","last_seen":3}]})"));
  // Left to the tree, which decides (read or refused) as before.
  for (const std::string& text : std::vector<std::string>{
           page(run + R"([["f",1]] })"),           // whitespace
           page(run + R"([["f",1]],"extra":1})"),  // an unknown key
           page(R"({"seq":1,"server_seq":1,"type":"visit","id":"r","hlc":1,"ops":[["f",1]]})"),
           page(std::string(R"({"origin":")") + kA +
                R"(","seq":1,"type":"visit","id":"r","hlc":1,"ops":[["f",1]]})"),  // no server_seq
           page(run + R"([["f",1]]},{"seq":7,"server_seq":10,"type":"visit","id":"r2","hlc":1,)" +
                R"("ops":[["f",1]]})"),  // server_seq not increasing
           page(run + R"([["f",1]]},{"seq":0,"type":"visit","id":"r2","hlc":1,"ops":[["f",1]]})"),
           page(run + R"([]})"),                                             // an empty run
           R"({"runs":[],"next_cursor":"c","has_more":1,"server_time":5})",  // has_more not bool
           R"({"runs":[],"next_cursor":"c","server_time":5})",               // no has_more
           R"({"runs":[],"next_cursor":"c","has_more":true,"server_time":5.5})",
           R"({"runs":[],"next_cursor":"c","has_more":true,"server_time":5,"devices":null})",
           R"({"runs":[],"next_cursor":"c","has_more":true,"server_time":5,"devices":[1]})",
           R"({"runs":[],"next_cursor":"c\u0041","has_more":true,"server_time":5})",
           page("") + " ",
       })
    CheckAgrees(text);
  // The limit on ops over all runs.
  std::string ops;
  for (int i = 0; i < 1001; ++i) ops += i == 0 ? R"(["f",1])" : R"(,["f",1])";
  CHECK_FALSE(CheckAgrees(page(run + "[" + ops + "]}")));
}

}  // namespace
}  // namespace gocua::protocol
