#pragma once
// The errors the sync engine reports, as Status values a person can act on: Vietnamese first,
// then English after " — ", each saying what to do next. Internal to sync/client.
#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/protocol/messages.h"

namespace gocua::client {

std::string TrimSpaces(const std::string& s);
// An enrollment code as a person typed it, without any whitespace: a code read aloud as
// "AN7D FEQG" is often typed with a space where the dash was (the hub ignores dashes and case).
std::string CodeAsTyped(const std::string& s);

Status CancelledError();
Status NotEnrolledError();
Status BadHubUrlError(const std::string& url);
Status BadEnrollInputError(const Status& why);
Status LocalError(const Status& why);
// No reply after `tries` tries; `why` is the last transport failure.
Status NetworkError(const std::string& url, int tries, const Status& why);
// The hub answered 5xx (or 408/429) `tries` times.
Status HubFailingError(const std::string& url, int tries, const protocol::ErrorBody& body,
                       int http_status);
Status ProtocolMismatchError(const std::vector<int>& hub_versions);
Status BadCodeError(const std::string& hub_message);
Status UnauthorizedError(const std::string& hub_message);
Status NotFoundError(const std::string& url, std::string_view path);
Status RejectedError(int http_status, const protocol::ErrorBody& body);
Status BadReplyError(const Status& why);
Status UnsendableError(int64_t seq, const Status& why);
Status DeviceForkError(const std::string& hub_message);
// Enrollment answered 409: the hub already knows this device id.
Status AlreadyEnrolledError(const std::string& hub_message);
// The hub answered 429 to an enrollment: too many refused attempts; wait, then a valid code.
Status EnrollRateLimitedError(const std::string& hub_message);
Status HubLostDataError(const std::string& url, int64_t expected_seq, int64_t first_held_seq);
Status TooOldError(const Status& why);
Status WrongCommuneError(const Status& why);

}  // namespace gocua::client
