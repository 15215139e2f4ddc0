#pragma once
// The messages of sync protocol v1 and their JSON codec. Plain values; no I/O.
//
// Encoding never throws and never fails: strings that are not valid UTF-8 are written with
// U+FFFD in their place, so a sender should Validate() (validate.h) what it built first.
//
// Decoding takes untrusted input and never throws. Decode*(text) checks the body's size and
// nesting, parses it, reads every field with its type, then Validate()s the message. Failures
// are Status values made by ProtocolError() (errors.h): WireCode(status) is the error code to
// answer with (kErrBadRequest, kErrTooLarge or kErrProtocolMismatch) and the message names the
// field by its path, e.g. "ops[3].seq: must be at least 1, got 0". Unknown fields are ignored.
// *FromJson(json) does the same for a body already parsed, without the text-size check.
//
// Thread-safety: all functions are pure; call them from any thread.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "sync/protocol/protocol.h"

namespace gocua::protocol {

// One change to one field of one record, identified by (origin_device, seq).
struct Op {
  std::string origin_device;  // the device where the change was made (a UUID); kept by relays
  int64_t seq = 0;            // >= 1, dense per origin_device
  std::string record_type;    // e.g. "household"
  std::string record_id;      // e.g. a UUIDv7, or a catalog code for topics
  std::string field;          // e.g. "head_name", or "deleted" (0/1 tombstone)
  nlohmann::json value;       // the field's new value (any JSON, see kMaxValueBytes)
  // The stamp the member saw when editing: (0, "") when the field had never been written.
  int64_t base_hlc = 0;
  std::string base_device;
  int64_t hlc = 0;  // this change's stamp, > 0; its device is origin_device
  // Optional (absent = ""): the member signed in on origin_device when the change was made, a
  // record id. The hub checks it belongs to the device's commune, and that only a leader sets
  // a visit's status to approved or returned.
  std::string author;
  // Optional, a delete only (field "deleted", value 1): the highest stamp the device held on
  // the record's other fields; (0, "") = absent. The hub flags an edit stamped after it.
  int64_t seen_hlc = 0;
  std::string seen_device;

  bool operator==(const Op&) const = default;
};

// POST /v1/push. An empty `ops` is allowed: it asks for acked_seq.
struct PushRequest {
  int protocol = kProtocolVersion;
  std::string device_id;  // the pushing device (the token's device)
  std::string batch_id;   // a UUID the client makes per batch, for logs; resends may reuse it
  // In a push from one origin, seqs are consecutive and increasing. A relay (a commune hub
  // pushing to the province hub) may mix origins; each origin's ops are still consecutive.
  std::vector<Op> ops;

  bool operator==(const PushRequest&) const = default;
};

enum class Outcome {
  kApplied,      // the op's value now holds the field
  kMerged,       // recorded, but a higher stamp holds the field (or the value was the same)
  kConflict,     // concurrent edit with another value: the winner holds, a leader reviews
  kQuarantined,  // invalid or unauthorised: kept for an admin with `reason`, not applied
};
std::string_view OutcomeName(Outcome o);  // "applied" | "merged" | "conflict" | "quarantined"
std::optional<Outcome> ParseOutcome(std::string_view name);

struct OpResult {
  int64_t seq = 0;
  Outcome outcome = Outcome::kApplied;
  std::string reason;  // required for kQuarantined; otherwise optional ("" is omitted)

  bool operator==(const OpResult&) const = default;
};

struct PushResponse {
  // results[i] answers the request's ops[i]: same count, same order, same seq. Every outcome,
  // quarantined included, means the op is durably processed: the client may forget it.
  std::vector<OpResult> results;
  // The highest seq S of the pushing device such that all its ops 1..S are processed on the hub
  // (0 if none). The client removes outbox entries with seq <= acked_seq.
  int64_t acked_seq = 0;
  int64_t server_time = 0;  // the hub's clock, Unix milliseconds

  bool operator==(const PushResponse&) const = default;
};

// GET /v1/pull?after=CURSOR&limit=N&protocol=V. There is no body; see EncodePullQuery().
struct PullRequest {
  int protocol = kProtocolVersion;
  std::string after;  // the last next_cursor, or "" to start from the beginning of the scope
  int limit = kDefaultPullLimit;

  bool operator==(const PullRequest&) const = default;
};

// An op as the hub hands it out: in its scope's server order.
struct PulledOp {
  int64_t server_seq = 0;  // >= 1, strictly increasing within a page and across pages
  Op op;

  bool operator==(const PulledOp&) const = default;
};

// A device of the commune and when the hub last heard from it (a pull page's `devices`).
struct DeviceSeen {
  std::string device_id;
  std::string name;        // as enrolled, e.g. "Laptop tổ 3"
  int64_t last_seen = 0;   // Unix ms on the hub's clock of its last push or completed pull; 0 = never

  bool operator==(const DeviceSeen&) const = default;
};

struct PullResponse {
  std::vector<PulledOp> ops;
  // Opaque; saved by the client in the same transaction that applies `ops`, sent as `after`.
  std::string next_cursor;
  bool has_more = false;  // another page is ready now; true only with a non-empty page
  int64_t server_time = 0;
  // Optional: the commune's enrolled devices, sent on the last page of a pull (has_more
  // false) for the leaders' "last sync per device". Empty = not said.
  std::vector<DeviceSeen> devices;

  bool operator==(const PullResponse&) const = default;
};

// POST /v1/enroll (no token: the one-time code is the credential).
struct EnrollRequest {
  int protocol = kProtocolVersion;
  std::string code;         // as the leader gave it, whitespace trimmed by the client
  std::string device_id;    // the device's own UUID (the origin_device of its ops)
  std::string device_name;  // shown to leaders, e.g. "Laptop tổ 3"

  bool operator==(const EnrollRequest&) const = default;
};

struct EnrollResponse {
  std::string device_id;  // as requested
  std::string token;      // sent as "Authorization: Bearer <token>"; only this reply has it
  std::string commune_id;
  int64_t server_time = 0;
  // The role the enrollment code gave the device: "member" or "leader"; "" from a hub that
  // has no roles (before hub schema 7), which checks no role.
  std::string role;

  bool operator==(const EnrollResponse&) const = default;
};

// Any 4xx/5xx reply: {"error": {...}}.
struct ErrorBody {
  std::string code;     // one of kErr* (protocol.h); unknown codes are kept, not rejected
  std::string message;  // for people: says what to do next
  std::optional<int64_t> expected_seq;       // kErrSeqGap: the seq the hub wants next
  std::optional<std::string> origin_device;  // kErrSeqGap, kErrDeviceFork: whose seqs
  std::vector<int> supported_versions;       // kErrProtocolMismatch: what the hub speaks

  bool operator==(const ErrorBody&) const = default;
};

// GET /healthz (no token).
struct HealthResponse {
  std::vector<int> supported_versions;
  int64_t server_time = 0;

  bool operator==(const HealthResponse&) const = default;
};

nlohmann::json ToJson(const Op& m);
nlohmann::json ToJson(const PushRequest& m);
nlohmann::json ToJson(const PushResponse& m);
nlohmann::json ToJson(const PullResponse& m);
nlohmann::json ToJson(const EnrollRequest& m);
nlohmann::json ToJson(const EnrollResponse& m);
nlohmann::json ToJson(const ErrorBody& m);
nlohmann::json ToJson(const HealthResponse& m);

// Compact JSON text of ToJson(m).
std::string Encode(const Op& m);
std::string Encode(const PushRequest& m);
std::string Encode(const PushResponse& m);
std::string Encode(const PullResponse& m);
std::string Encode(const EnrollRequest& m);
std::string Encode(const EnrollResponse& m);
std::string Encode(const ErrorBody& m);
std::string Encode(const HealthResponse& m);

// A push body is limited to kMaxBatchBytes, every other body to kMaxDecompressedBody.
// A push in v2 (wire_v2.h) is decoded to the same ops; Encode/ToJson(PushRequest) write the
// version in m.protocol. The overload answers kErrProtocolMismatch, before reading anything
// else, for a version outside `spoken` (a hub that speaks fewer versions than this build).
Result<PushRequest> DecodePushRequest(std::string_view text);
Result<PushRequest> DecodePushRequest(std::string_view text, std::span<const int> spoken);
// The same for the hub, which applies a run's ops with the run's strings held once: an op
// after the first of its run on the wire — (*follows)[i] set — may be left without
// origin_device, record_type, record_id and author, which are then the op before's. *follows
// is empty when every op is whole (a body read through the json tree).
Result<PushRequest> DecodePushRuns(std::string_view text, std::span<const int> spoken,
                                   std::vector<bool>* follows);
Result<PushResponse> DecodePushResponse(std::string_view text);
Result<PullResponse> DecodePullResponse(std::string_view text);
Result<EnrollRequest> DecodeEnrollRequest(std::string_view text);
Result<EnrollResponse> DecodeEnrollResponse(std::string_view text);
Result<ErrorBody> DecodeErrorBody(std::string_view text);
Result<HealthResponse> DecodeHealthResponse(std::string_view text);

Result<Op> OpFromJson(const nlohmann::json& j);
Result<PushRequest> PushRequestFromJson(const nlohmann::json& j);
Result<PushResponse> PushResponseFromJson(const nlohmann::json& j);
Result<PullResponse> PullResponseFromJson(const nlohmann::json& j);
Result<EnrollRequest> EnrollRequestFromJson(const nlohmann::json& j);
Result<EnrollResponse> EnrollResponseFromJson(const nlohmann::json& j);
Result<ErrorBody> ErrorBodyFromJson(const nlohmann::json& j);
Result<HealthResponse> HealthResponseFromJson(const nlohmann::json& j);
// Appends a pull page's optional `devices` (v1 and v2 alike) from the page's body `j`; absent
// or null adds nothing. A bad entry is a bad_request naming `devices[i]`.
Status ReadDevicesSeen(const nlohmann::json& j, std::vector<DeviceSeen>* out);

// "after=<cursor>&limit=<n>&protocol=<v>". Cursors need no URL escaping (see IsCursor()).
std::string EncodePullQuery(const PullRequest& m);
// The hub's side: the raw query parameter values, "" for an absent one. `protocol` is
// required; an empty `limit` means kDefaultPullLimit and one above kMaxPullLimit is lowered.
Result<PullRequest> DecodePullQuery(std::string_view after, std::string_view limit,
                                    std::string_view protocol);

}  // namespace gocua::protocol
