#pragma once
// The rules a well-formed v1 message follows beyond JSON types: id formats, lengths, ranges,
// seq order, batch limits. Decoders (messages.h) run Validate() on what they read; a sender
// runs it on what it built. Failures are ProtocolError() statuses (errors.h) whose message
// starts with the field's path. Pure functions; any thread.
//
// An op's rules come in two parts, because an invalid op must never block the ops behind it
// (DESIGN.md, "Push"):
//  - identity: origin_device is a device id, seq >= 1, and in a push each origin's seqs are
//    consecutive. Without these the hub cannot acknowledge the op, so a push that breaks them
//    is rejected whole (kErrBadRequest).
//  - content: everything else, CheckOpContent(). The hub does not reject a push for these: it
//    quarantines that op with the message as its reason and goes on. A client sends such an
//    op like any other (never holds it back); Validate(PushRequest) does not check content.
// Pull pages are checked fully: the hub only hands out ops whose content is valid.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/op_view.h"

namespace gocua::protocol {

bool IsDeviceId(std::string_view s);    // a 36-char lower-case UUID, 8-4-4-4-12 hex digits
bool IsRecordId(std::string_view s);    // 1..kMaxRecordIdLength of [a-z0-9_-]
bool IsName(std::string_view s);        // record_type, field: 1..kMaxNameLength of [a-z0-9_]
bool IsCursor(std::string_view s);      // 1..kMaxCursorLength of [A-Za-z0-9._-]
bool IsToken(std::string_view s);       // kMinTokenLength..kMaxTokenLength, RFC 6750 b64token
bool IsEnrollCode(std::string_view s);  // kMinEnrollCodeLength..kMaxEnrollCodeLength, [A-Za-z0-9-]

// kErrProtocolMismatch, naming kSupportedVersions, unless `version` is supported.
Status CheckVersion(int64_t version);
// The same for a side that speaks only `spoken` (a subset of kSupportedVersions).
Status CheckVersion(int64_t version, std::span<const int> spoken);

// The content rules of an op (see above). The message is fit to be a quarantine reason.
Status CheckOpContent(const Op& op);
// The same for an op that follows `passed_before`, an op that passed it (nullptr: none): the
// texts they share (a run's record and author) are not looked at again. Same answers.
Status CheckOpContent(const Op& op, const Op* passed_before);
// The same for an op seen through views (the hub's pull, op_view.h). Same answers.
Status CheckOpContent(const OpView& op, const OpView* passed_before);

Status Validate(const Op& m);           // identity and content
Status Validate(const PushRequest& m);  // envelope, op identities, kMaxOpsPerBatch/Bytes
// The same, for a push whose JSON text is `json_bytes` long (it is not encoded again).
Status Validate(const PushRequest& m, size_t json_bytes);
Status Validate(const PushResponse& m);
Status Validate(const PullRequest& m);
Status Validate(const PullResponse& m);  // includes every op's content
// Everything Validate(PullResponse) checks but each op's content: for a page whose every op
// already passed CheckOpContent (the hub's pull, which drops an op that does not).
Status ValidatePullEnvelope(const PullResponse& m);
// ValidatePullEnvelope for a page written op by op (wire_v2.h PullBodyV2): Add() each op as it
// is written, then Finish() with the page (its `ops` not looked at). Same answers as
// ValidatePullEnvelope of the page holding those ops.
class PullEnvelopeCheck {
 public:
  void Add(int64_t server_seq, const OpView& op);
  Status Finish(const PullResponse& m) const;

 private:
  size_t ops_ = 0;
  int64_t last_ = 0;
  std::string origin_;  // the last op's origin_device, a device id ("" before the first)
  Status broken_;       // the first op that broke a rule
};
// The checks of a pull page after its ops (cursor, has_more for `ops` ops, devices, time),
// and of its op count.
Status CheckPullTail(const PullResponse& m, size_t ops);
Status CheckPullCount(size_t ops);
Status Validate(const EnrollRequest& m);
Status Validate(const EnrollResponse& m);
Status Validate(const ErrorBody& m);
Status Validate(const HealthResponse& m);

// For the client: `response` answers `request` (one result per op, in order, same seqs) and
// its acked_seq covers every op the request carried from the pushing device. A hub that breaks
// this would leave entries in the outbox forever, so the client treats it as a failed push.
Status CheckAnswers(const PushRequest& request, const PushResponse& response);

}  // namespace gocua::protocol
