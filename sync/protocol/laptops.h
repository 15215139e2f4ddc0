#pragma once
// The messages of a leader's laptop managing its commune's laptops, and of a laptop retiring
// its own old identity (docs/sync-protocol.md, "Leaders manage their commune's laptops"):
//   POST /v1/laptops/code    LaptopCodeRequest   -> LaptopCodeResponse
//   GET  /v1/laptops                             -> LaptopListResponse
//   POST /v1/laptops/rename  LaptopRenameRequest -> LaptopResponse
//   POST /v1/laptops/revoke  LaptopRevokeRequest -> LaptopResponse
//   POST /v1/retire          RetireRequest       -> RetireResponse
// Plain values and their JSON codec, as messages.h: encoding never fails, decoding takes
// untrusted text, never throws and answers a Status made by ProtocolError() (errors.h) that
// names the field. Unknown fields are ignored. Thread-safety: pure functions.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sync/protocol/protocol.h"

namespace gocua::protocol {

// A code lives from 1 minute to this many; absent asks for kDefaultLaptopCodeMinutes.
inline constexpr int64_t kMaxLaptopCodeMinutes = 7 * 24 * 60;
inline constexpr int64_t kDefaultLaptopCodeMinutes = 60;
inline constexpr size_t kMaxLaptopsListed = 5000;

// A laptop of the commune as the hub holds it.
struct LaptopInfo {
  std::string device_id;
  std::string name;         // as enrolled or renamed
  std::string role;         // "member" | "leader"
  int64_t enrolled_at = 0;  // Unix ms, hub clock
  int64_t last_seen = 0;    // its last push or completed pull; 0 = never
  bool revoked = false;     // its token no longer works
  std::string replaced_by;  // set when it re-identified (reset-device): the new id
  bool operator==(const LaptopInfo&) const = default;
};

// POST /v1/laptops/code: a one-time code that enrolls one MEMBER laptop into the caller's
// commune (leaders' codes come from the hub's admin only).
struct LaptopCodeRequest {
  int protocol = kProtocolVersion;
  int64_t ttl_minutes = kDefaultLaptopCodeMinutes;  // 1..kMaxLaptopCodeMinutes
  bool operator==(const LaptopCodeRequest&) const = default;
};
struct LaptopCodeResponse {
  std::string code;        // shown once; the hub keeps its hash only
  std::string commune_id;  // the caller's
  std::string role;        // "member"
  int64_t expires_at = 0;  // Unix ms, hub clock: unused after this it is refused
  int64_t server_time = 0;
  bool operator==(const LaptopCodeResponse&) const = default;
};

// GET /v1/laptops: every laptop enrolled in the caller's commune, revoked ones included,
// oldest enrolled first.
struct LaptopListResponse {
  std::vector<LaptopInfo> laptops;
  int64_t server_time = 0;
  bool operator==(const LaptopListResponse&) const = default;
};

struct LaptopRenameRequest {
  int protocol = kProtocolVersion;
  std::string device_id;
  std::string name;  // 1..kMaxDeviceNameBytes bytes, no control characters
  bool operator==(const LaptopRenameRequest&) const = default;
};
struct LaptopRevokeRequest {
  int protocol = kProtocolVersion;
  std::string device_id;
  bool operator==(const LaptopRevokeRequest&) const = default;
};
// The laptop after a rename or a revocation.
struct LaptopResponse {
  LaptopInfo laptop;
  int64_t server_time = 0;
  bool operator==(const LaptopResponse&) const = default;
};

// POST /v1/retire, with the OLD identity's token: that identity is retired for good (its
// token refused, its ops kept), replaced by `replaced_by` (the laptop's new id).
struct RetireRequest {
  int protocol = kProtocolVersion;
  std::string replaced_by;
  bool operator==(const RetireRequest&) const = default;
};
struct RetireResponse {
  std::string device_id;  // the retired identity
  std::string replaced_by;
  int64_t server_time = 0;
  bool operator==(const RetireResponse&) const = default;
};

std::string Encode(const LaptopCodeRequest& m);
std::string Encode(const LaptopCodeResponse& m);
std::string Encode(const LaptopListResponse& m);
std::string Encode(const LaptopRenameRequest& m);
std::string Encode(const LaptopRevokeRequest& m);
std::string Encode(const LaptopResponse& m);
std::string Encode(const RetireRequest& m);
std::string Encode(const RetireResponse& m);

Result<LaptopCodeRequest> DecodeLaptopCodeRequest(std::string_view text);
Result<LaptopCodeResponse> DecodeLaptopCodeResponse(std::string_view text);
Result<LaptopListResponse> DecodeLaptopListResponse(std::string_view text);
Result<LaptopRenameRequest> DecodeLaptopRenameRequest(std::string_view text);
Result<LaptopRevokeRequest> DecodeLaptopRevokeRequest(std::string_view text);
Result<LaptopResponse> DecodeLaptopResponse(std::string_view text);
Result<RetireRequest> DecodeRetireRequest(std::string_view text);
Result<RetireResponse> DecodeRetireResponse(std::string_view text);

}  // namespace gocua::protocol
