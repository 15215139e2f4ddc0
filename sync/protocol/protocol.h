#pragma once
// Sync protocol v1 and v2: the versions, the limits and the error codes that the hub and the
// client share. v2 (wire_v2.h) carries the same ops as v1, one entry per run of ops on a record. The contract in prose is docs/sync-protocol.md (and DESIGN.md, "Sync protocol (v1)");
// a change here is a change to both, and to the tests in tests/sync/protocol/protocol_test.cpp.
//
// Compatibility: decoders ignore fields they do not know, so adding an optional field needs no
// new version. Adding a required field, or changing the meaning of one, does: bump
// kProtocolVersion and list every version this side still speaks in kSupportedVersions.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace gocua::protocol {

// The newest version this build speaks; a client uses it when the hub's GET /healthz lists it,
// else the newest version both list (docs/sync-protocol.md, "Versions").
inline constexpr int kProtocolVersion = 2;
// Versions this build speaks, oldest first. A request in any other version is answered with
// kErrProtocolMismatch listing these. v1 stays for the apps in the field that speak only v1.
inline constexpr std::array<int, 2> kSupportedVersions = {1, 2};

constexpr bool IsSupportedVersion(int64_t version) {
  for (int v : kSupportedVersions)
    if (v == version) return true;
  return false;
}

// --- Push batches (DESIGN.md, "Batches") ---
// The client starts at kStartBatchOps / kStartBatchBytes and adapts between one op and the
// maximum. Bytes are those of the push request's JSON text before gzip; a single op always
// fits a batch (see kMaxValueBytes).
inline constexpr int kMaxOpsPerBatch = 2000;
inline constexpr size_t kMaxBatchBytes = 512 * 1024;
inline constexpr int kStartBatchOps = 200;
inline constexpr size_t kStartBatchBytes = 64 * 1024;

// Any body, either direction, after gunzip. A receiver stops inflating past this (gzip bombs)
// and answers kErrTooLarge.
inline constexpr size_t kMaxDecompressedBody = 8 * 1024 * 1024;

// --- Pull pages ---
// `limit` is a hint: absent means kDefaultPullLimit, larger than kMaxPullLimit means
// kMaxPullLimit. The hub also stops adding ops once a page's JSON passes kMaxPullPageBytes
// (a page always carries at least one op when there is one to give).
inline constexpr int kDefaultPullLimit = 500;
inline constexpr int kMaxPullLimit = 1000;
inline constexpr size_t kMaxPullPageBytes = 1024 * 1024;

// --- Fields ---
inline constexpr size_t kMaxNameLength = 40;         // record_type, field: [a-z0-9_]
inline constexpr size_t kMaxRecordIdLength = 40;     // record ids: [a-z0-9_-] (UUIDv7 or a code)
inline constexpr size_t kMaxValueBytes = 32 * 1024;  // an op's value as compact JSON
inline constexpr int kMaxValueDepth = 8;             // nesting of arrays/objects in a value
inline constexpr int kMaxJsonDepth = 16;             // nesting anywhere in a body
inline constexpr size_t kMaxDeviceNameBytes = 200;   // UTF-8, no control characters
inline constexpr size_t kMaxDevicesListed = 1000;    // a pull page's optional `devices`
inline constexpr size_t kMinEnrollCodeLength = 4;    // [A-Za-z0-9-]
inline constexpr size_t kMaxEnrollCodeLength = 64;
inline constexpr size_t kMinTokenLength = 16;  // RFC 6750 b64token characters
inline constexpr size_t kMaxTokenLength = 256;
inline constexpr size_t kMaxCursorLength = 64;     // opaque to the client: [A-Za-z0-9._-]
inline constexpr size_t kMaxReasonBytes = 1000;    // an op result's reason
inline constexpr size_t kMaxMessageBytes = 2000;   // an error body's message
inline constexpr size_t kMaxErrorCodeLength = 40;  // [a-z0-9_]

// --- Error codes: the "code" of an error body. HttpStatusFor() (errors.h) gives the status. ---
// 400: the body or query is malformed or breaks a rule above; the message names the field.
inline constexpr std::string_view kErrBadRequest = "bad_request";
// 401: no token, an unknown or revoked token, or an unknown, used or expired enrollment code.
inline constexpr std::string_view kErrUnauthorized = "unauthorized";
// 400: the request's protocol version is not spoken; the body lists supported_versions.
inline constexpr std::string_view kErrProtocolMismatch = "protocol_mismatch";
// 409: a push skipped seqs; the body says expected_seq (and origin_device).
inline constexpr std::string_view kErrSeqGap = "seq_gap";
// 409: an (origin_device, seq) already applied with a different payload: a cloned device.
inline constexpr std::string_view kErrDeviceFork = "device_fork";
// 410: the pull cursor is no longer served; re-download the scope from an empty cursor.
inline constexpr std::string_view kErrCursorExpired = "cursor_expired";
// 404: no such endpoint.
inline constexpr std::string_view kErrNotFound = "not_found";
// 413: a body, batch or field over its limit; the client sends smaller batches.
inline constexpr std::string_view kErrTooLarge = "too_large";
// 500: the hub failed; retry later with backoff.
inline constexpr std::string_view kErrInternal = "internal";
// Too many refused enrollment attempts from one address or for one commune's codes (429).
inline constexpr std::string_view kErrRateLimited = "rate_limited";
// 503: the hub cannot reach its database for now (a PostgreSQL restart or failover); retry
// later with backoff.
inline constexpr std::string_view kErrUnavailable = "unavailable";
// 403: the token is valid but its device may not do this (a member's laptop asking for a
// leader's endpoint, a laptop of another commune); the message says who may.
inline constexpr std::string_view kErrForbidden = "forbidden";

}  // namespace gocua::protocol
