#pragma once
// The v1 protocol tests' shared parts (tests/sync/protocol/protocol_*_test.cpp): ids, sample
// ops, pushes and pages, and checks of a decode's error code and message.
#include <doctest/doctest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/protocol.h"
#include "sync/protocol/validate.h"

namespace gocua::protocol::protocol_fixtures {

using nlohmann::json;

inline const std::string kDevA = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
inline const std::string kDevB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";
inline const std::string kBatch = "0190a1b2-c3d4-7000-8000-000000000001";
inline const std::string kHousehold = "0190a1b2-c3d4-7111-8222-333344445555";
inline constexpr int64_t kNow = 1720000000000;  // Unix ms
inline constexpr int64_t kHlc = kNow << 16;

inline bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// `r` failed with wire code `code` and a message containing `needle`.
template <typename T>
inline void ExpectError(const Result<T>& r, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(r.ok());
  INFO("message: " << r.error().message());
  CHECK(WireCode(r.error()) == code);
  CHECK(Contains(r.error().message(), needle));
}

inline void ExpectError(const Status& s, std::string_view code, std::string_view needle) {
  REQUIRE_FALSE(s.ok());
  INFO("message: " << s.message());
  CHECK(WireCode(s) == code);
  CHECK(Contains(s.message(), needle));
}

inline Op MakeOp(const std::string& origin, int64_t seq) {
  Op op;
  op.origin_device = origin;
  op.seq = seq;
  op.record_type = "household";
  op.record_id = kHousehold;
  op.field = "head_name";
  op.value = "Nguyễn Văn Đức";
  op.hlc = kHlc + seq;
  return op;
}

inline PushRequest MakePush(int n_ops = 3) {
  PushRequest p;
  p.protocol = 1;  // this file is the v1 suite; v2 is tests/sync/protocol/wire_v2_test.cpp
  p.device_id = kDevA;
  p.batch_id = kBatch;
  for (int i = 1; i <= n_ops; ++i) p.ops.push_back(MakeOp(kDevA, 10 + i));
  return p;
}

inline PullResponse MakePull() {
  PullResponse p;
  p.ops.push_back({101, MakeOp(kDevA, 1)});
  p.ops.push_back({105, MakeOp(kDevB, 7)});
  p.next_cursor = "e1.105";
  p.has_more = true;
  p.server_time = kNow;
  return p;
}

template <typename T>
inline T MustDecode(const Result<T>& r) {
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r.value();
}

inline Result<PushRequest> DecodePush(const json& j) { return DecodePushRequest(j.dump()); }

}  // namespace gocua::protocol::protocol_fixtures
