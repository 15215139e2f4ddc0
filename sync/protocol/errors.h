#pragma once
// Protocol errors as Status values, and their mapping to error bodies and HTTP statuses.
//
// A Status made by ProtocolError(code, text) carries the wire code as a prefix of its message,
// "<code>: <text>", because base/result.h has no room for it. Use WireCode() and
// WireMessage() to take it apart; never parse the message yourself.
#include <string>
#include <string_view>

#include "base/result.h"
#include "sync/protocol/messages.h"

namespace gocua::protocol {

// ErrorCode::kInternal for kErrInternal, kIo for kErrUnavailable, ErrorCode::kInvalidInput for
// every other code.
Status ProtocolError(std::string_view code, std::string_view text);

// The error code `s` stands for: the prefix ProtocolError() put there; otherwise kErrBadRequest
// for kInvalidInput, kErrNotFound for kNotFound and kErrInternal for anything else.
// REQUIRES: !s.ok()
std::string_view WireCode(const Status& s);
// The message of `s` without the code prefix.
std::string WireMessage(const Status& s);

// The HTTP status for an error code; 400 for a code this build does not know.
int HttpStatusFor(std::string_view code);

// The body to answer a failed request with. For kErrProtocolMismatch it lists
// kSupportedVersions. expected_seq and origin_device are for the caller to fill.
ErrorBody ToErrorBody(const Status& s);

}  // namespace gocua::protocol
