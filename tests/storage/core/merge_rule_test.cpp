// The merge rule itself (storage/core/merge.h, DESIGN.md "Merge and conflicts"): per field, the
// higher stamp wins; of two equal HLCs the greater device id (byte order) wins. Pinned directly,
// so that flipping either comparison fails here, and checked idempotent and order-independent
// over random op sets with many HLC ties.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "storage/core/merge.h"

namespace gocua {
namespace {

RemoteOp Op(int64_t hlc, const std::string& device, nlohmann::json value, Stamp base = {}) {
  RemoteOp op;
  op.origin_device = device;
  op.seq = 1;
  op.record_type = "household";
  op.record_id = "h1";
  op.field = "head_name";
  op.value = std::move(value);
  op.base = std::move(base);
  op.hlc = hlc;
  return op;
}

TEST_CASE("Merge rule: the higher HLC wins whatever the device ids") {
  CHECK(StampAfter({20, "a"}, {10, "z"}));
  CHECK_FALSE(StampAfter({10, "z"}, {20, "a"}));
  // An op with a higher HLC than the field's replaces it; a lower one does not.
  const Stamp held{10, "zzz"};
  auto newer = DecideMerge("old", held, Op(11, "aaa", "new", held));
  CHECK(newer.write);
  CHECK(newer.outcome == MergeOutcome::kApplied);
  auto older = DecideMerge("old", held, Op(9, "zzzz", "new", held));
  CHECK_FALSE(older.write);
  CHECK(older.outcome == MergeOutcome::kMerged);
}

TEST_CASE("Merge rule: equal HLCs are decided by the device id, the greater one wins") {
  CHECK(StampAfter({5, "b"}, {5, "a"}));
  CHECK_FALSE(StampAfter({5, "a"}, {5, "b"}));
  CHECK_FALSE(StampAfter({5, "a"}, {5, "a"}));  // a stamp is not after itself
  // UUIDv7 device ids compare as bytes: "01a…" < "01b…".
  CHECK(StampAfter({5, "01b00000"}, {5, "01a00000"}));
  const Stamp held{7, "dev-b"};
  auto from_greater = DecideMerge("x", held, Op(7, "dev-c", "y", held));
  CHECK(from_greater.write);
  auto from_smaller = DecideMerge("x", held, Op(7, "dev-a", "y", held));
  CHECK_FALSE(from_smaller.write);
  // Concurrent edits (neither saw the other) with equal HLCs: a conflict either way, and the
  // same winner as without one.
  auto concurrent_greater = DecideMerge("x", held, Op(7, "dev-c", "y"));
  CHECK(concurrent_greater.outcome == MergeOutcome::kConflict);
  CHECK(concurrent_greater.write);
  auto concurrent_smaller = DecideMerge("x", held, Op(7, "dev-a", "y"));
  CHECK(concurrent_smaller.outcome == MergeOutcome::kConflict);
  CHECK_FALSE(concurrent_smaller.write);
}

TEST_CASE("Merge rule: an op whose stamp the field holds changes nothing") {
  const Stamp held{7, "dev-b"};
  auto again = DecideMerge("x", held, Op(7, "dev-b", "x", {3, "dev-a"}));
  CHECK_FALSE(again.write);
  CHECK(again.outcome == MergeOutcome::kMerged);
}

struct Field {
  nlohmann::json value = "";
  Stamp stamp;
  bool operator==(const Field&) const = default;
};

Field ApplyAll(const std::vector<RemoteOp>& ops) {
  Field f;
  for (const RemoteOp& op : ops) {
    const MergeDecision d = DecideMerge(f.value, f.stamp, op);
    if (d.write) f = {op.value, op.stamp()};
  }
  return f;
}

TEST_CASE("Merge rule: idempotent and order-independent over random op sets") {
  std::mt19937 rng(20260315);
  const std::vector<std::string> devices = {"01a0", "01b0", "01c0", "01c00", "02"};
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    std::vector<RemoteOp> ops;
    const int n = std::uniform_int_distribution<int>(1, 12)(rng);
    for (int i = 0; i < n; ++i) {
      // HLCs from a small range: ties are common. A (hlc, device) pair is one op everywhere
      // (a device never stamps two changes alike), so the pair fixes the value.
      const int64_t hlc = std::uniform_int_distribution<int64_t>(1, 4)(rng);
      const std::string& dev = devices[std::uniform_int_distribution<size_t>(0, 4)(rng)];
      const Stamp base{std::uniform_int_distribution<int64_t>(0, 4)(rng), dev};
      ops.push_back(Op(hlc, dev, dev + "@" + std::to_string(hlc), base));
    }
    // The winner is the op with the greatest stamp under StampAfter.
    const RemoteOp* best = &ops[0];
    for (const RemoteOp& op : ops)
      if (StampAfter(op.stamp(), best->stamp())) best = &op;
    const Field want{best->value, best->stamp()};
    CHECK(ApplyAll(ops) == want);
    // Applied twice: the same.
    std::vector<RemoteOp> twice = ops;
    twice.insert(twice.end(), ops.begin(), ops.end());
    CHECK(ApplyAll(twice) == want);
    // Any other order: the same.
    for (int k = 0; k < 5; ++k) {
      std::shuffle(ops.begin(), ops.end(), rng);
      CHECK(ApplyAll(ops) == want);
    }
  }
}

}  // namespace
}  // namespace gocua
