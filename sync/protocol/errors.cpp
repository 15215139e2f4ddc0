#include "sync/protocol/errors.h"

#include <array>

namespace gocua::protocol {
namespace {

struct CodeStatus {
  std::string_view code;
  int http;
};

constexpr std::array<CodeStatus, 12> kCodes = {{
    {kErrBadRequest, 400},
    {kErrUnauthorized, 401},
    {kErrProtocolMismatch, 400},
    {kErrSeqGap, 409},
    {kErrDeviceFork, 409},
    {kErrCursorExpired, 410},
    {kErrNotFound, 404},
    {kErrTooLarge, 413},
    {kErrInternal, 500},
    {kErrRateLimited, 429},
    {kErrUnavailable, 503},
    {kErrForbidden, 403},
}};

// The known code `message` starts with as "<code>: ", or "".
std::string_view PrefixCode(std::string_view message) {
  for (const CodeStatus& c : kCodes) {
    if (message.size() > c.code.size() + 1 && message.substr(0, c.code.size()) == c.code &&
        message.substr(c.code.size(), 2) == ": ")
      return c.code;
  }
  return {};
}

// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, size_t max) {
  if (s.size() <= max) return;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
}

}  // namespace

Status ProtocolError(std::string_view code, std::string_view text) {
  const ErrorCode ec = code == kErrInternal      ? ErrorCode::kInternal
                       : code == kErrUnavailable ? ErrorCode::kIo
                                                 : ErrorCode::kInvalidInput;
  std::string message(code);
  message += ": ";
  message += text;
  return {ec, std::move(message)};
}

std::string_view WireCode(const Status& s) {
  if (std::string_view code = PrefixCode(s.message()); !code.empty()) return code;
  switch (s.code()) {
    case ErrorCode::kInvalidInput:
      return kErrBadRequest;
    case ErrorCode::kNotFound:
      return kErrNotFound;
    default:
      return kErrInternal;
  }
}

std::string WireMessage(const Status& s) {
  std::string_view code = PrefixCode(s.message());
  if (code.empty()) return s.message();
  return s.message().substr(code.size() + 2);
}

int HttpStatusFor(std::string_view code) {
  for (const CodeStatus& c : kCodes)
    if (c.code == code) return c.http;
  return 400;
}

ErrorBody ToErrorBody(const Status& s) {
  ErrorBody body;
  body.code = std::string(WireCode(s));
  body.message = WireMessage(s);
  TruncateUtf8(body.message, kMaxMessageBytes);
  if (body.code == kErrProtocolMismatch)
    body.supported_versions.assign(kSupportedVersions.begin(), kSupportedVersions.end());
  return body;
}

}  // namespace gocua::protocol
