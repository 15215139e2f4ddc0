#pragma once
// The protocol v2 tests' shared parts (tests/sync/protocol/wire_v2_*_test.cpp): ids, visit ops
// and pushes, random op batches, and checks of a decode's error.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::protocol::wire_v2_fixtures {

using nlohmann::json;

inline const std::string kDevA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
inline const std::string kDevB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
inline const std::string kBatch = "0190a1b2-c3d4-7000-8000-000000000001";
inline const std::string kVisit = "0190a1b2-c3d4-7111-8222-333344445555";
inline const std::string kMember = "0190a1b2-0000-7000-8000-00000000beef";
inline constexpr int64_t kHlc = int64_t{1720000000000} << 16;

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

template <typename T>
inline T MustDecode(const Result<T>& r) {
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r.value();
}

template <typename T>
inline void ExpectError(const Result<T>& r, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(r.ok());
  INFO("message: " << r.error().message());
  CHECK(WireCode(r.error()) == code);
  CHECK(Contains(r.error().message(), needle));
}

inline Op VisitOp(const std::string& origin, int64_t seq, const std::string& field, json value) {
  Op op;
  op.origin_device = origin;
  op.seq = seq;
  op.record_type = "visit";
  op.record_id = kVisit;
  op.field = field;
  op.value = std::move(value);
  op.hlc = kHlc + seq;
  op.author = kMember;
  return op;
}

inline PushRequest VisitPush(int protocol) {
  PushRequest p;
  p.protocol = protocol;
  p.device_id = kDevA;
  p.batch_id = kBatch;
  p.ops = {VisitOp(kDevA, 41, "household_id", "0190a1b2-c3d4-7111-8222-000000000001"),
           VisitOp(kDevA, 42, "topics", {{"vneid", "done"}, {"payment", "needs_followup"}}),
           VisitOp(kDevA, 43, "note", nullptr)};
  return p;
}

// ---- Random ops: every field the v1 codec carries, in shapes that break runs often ----

struct RandomOps {
  std::mt19937_64 rng;
  explicit RandomOps(uint64_t seed) : rng(seed) {}

  int64_t Pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  }
  bool Chance(int percent) { return Pick(1, 100) <= percent; }

  json Value() {
    switch (Pick(0, 6)) {
      case 0:
        return nullptr;
      case 1:
        return Pick(-5, 5);
      case 2:
        return "Nguyễn Văn " + std::to_string(Pick(0, 99));
      case 3:
        return {{"vneid", "done"}, {"n", Pick(0, 3)}};
      case 4:
        return json::array({1, "a", nullptr, 2.5});
      case 5:
        return Chance(50);
      default:
        return std::numeric_limits<int64_t>::min() + Pick(0, 3);
    }
  }

  // `n` ops: runs of 1..6 ops on a few records, origins mixed when `relay`, stamps that step
  // by one mostly and jump (either way) sometimes, bases, seens and authors now and then.
  std::vector<Op> Ops(int n, bool relay, int64_t first_seq = 1) {
    std::vector<Op> ops;
    std::vector<std::pair<std::string, int64_t>> next = {{kDevA, first_seq}, {kDevB, 7}};
    int64_t hlc = kHlc;
    while (static_cast<int>(ops.size()) < n) {
      auto& [origin, seq] = next[relay && Chance(30) ? 1 : 0];
      const std::string type = Chance(70) ? "visit" : "household";
      const std::string id = "r" + std::to_string(Pick(1, 3));
      const std::string author = Chance(60) ? kMember : (Chance(50) ? "" : "m2");
      const int64_t run = Pick(1, 6);
      for (int64_t k = 0; k < run && static_cast<int>(ops.size()) < n; ++k) {
        Op op;
        op.origin_device = origin;
        op.seq = seq++;
        op.record_type = type;
        op.record_id = id;
        op.field = Chance(10) ? "deleted" : "f" + std::to_string(Pick(1, 9));
        op.value = Value();
        hlc += Chance(80) ? 1 : Pick(-1000000, 1000000000);
        op.hlc = hlc;
        op.author = author;
        if (Chance(25)) {
          op.base_hlc = kHlc - Pick(1, 99999);
          op.base_device = Chance(50) ? kDevA : kDevB;
        }
        if (Chance(10)) {
          op.seen_hlc = kHlc + Pick(1, 99);
          op.seen_device = kDevB;
        }
        ops.push_back(std::move(op));
      }
    }
    return ops;
  }
};

}  // namespace gocua::protocol::wire_v2_fixtures
