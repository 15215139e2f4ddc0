#pragma once
// An HTTP/1.1 request read incrementally off a connection, with every size bounded before it is
// buffered: the request line, the number and total size of the header lines, and the body
// (Content-Length or chunked, as sent on the wire). No I/O and no clock here: the connection
// (front.h) feeds bytes in and enforces the deadlines.
//
// Threading: one parser per connection, used by one thread at a time.
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gocua::hub::http {

struct ParseLimits {
  size_t max_request_line = 8192;   // method, target and version
  size_t max_header_count = 64;     // header lines
  size_t max_header_bytes = 16384;  // the request line and all header lines together
  size_t max_body = 0;              // the body as sent (compressed or not)
};

struct Request {
  std::string method, target, version;  // as sent: "GET", "/v1/pull?after=x", "HTTP/1.1"
  std::string path;                     // the target before '?', percent-decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::vector<std::pair<std::string, std::string>> params;   // the query, decoded ('+' is ' ')
  std::string body;                                          // as sent, de-chunked
  bool keep_alive = true;                                    // HTTP/1.1 without "Connection: close"
  // The client's IP address, set by the front (not by the parser): the peer's, or the one a
  // trusted reverse proxy names (client_address.h).
  std::string remote_addr;

  // The first value of header `name` (any case), "" if absent.
  std::string Header(std::string_view name) const;
  bool HasHeader(std::string_view name) const;
  // The first value of query parameter `name`, "" if absent.
  std::string Param(std::string_view name) const;
};

// Why a request could not be read. `status` is the HTTP status to answer with (400, 413, 431,
// 501); the connection is closed after the answer.
struct ParseError {
  int status = 400;
  std::string message;       // English, for the error body; says what to do
  std::string declared_len;  // for 413 on Content-Length: the length as sent (else "")
};

class RequestParser {
 public:
  enum class State { kNeedMore, kComplete, kError };

  explicit RequestParser(const ParseLimits& limits) : limits_(limits) {}

  // Consumes bytes from the front of `*in` (it keeps what belongs to the next request) and
  // returns kComplete once a whole request is read: take it with TakeRequest(). kError is final
  // (see error()). Memory held stays within the limits however the bytes are split.
  State Feed(std::string* in);
  // Whether the headers are read and a body is still to come (for "Expect: 100-continue").
  bool InBody() const {
    return phase_ == Phase::kBody || phase_ == Phase::kChunkSize || phase_ == Phase::kChunkData ||
           phase_ == Phase::kChunkEnd || phase_ == Phase::kTrailers;
  }
  // Whether any byte of a request has arrived.
  bool Started() const { return started_; }
  // Body bytes received so far (for the minimum rate).
  size_t BodyBytes() const { return body_seen_; }
  const ParseError& error() const { return error_; }
  // What was read of the request so far (after kError: maybe its method, path and headers).
  const Request& partial() const { return req_; }
  // The request read. REQUIRES: Feed() returned kComplete. Resets the parser for the next one.
  Request TakeRequest();

 private:
  enum class Phase {
    kRequestLine,
    kHeaders,
    kBody,
    kChunkSize,
    kChunkData,
    kChunkEnd,
    kTrailers,
    kDone,
    kError
  };
  State Fail(int status, std::string message);
  // A line ending in "\n" from `*in`, without its "\r\n"; false if it has not all arrived.
  // Fails the request if the line would exceed `max`.
  bool TakeLine(std::string* in, size_t max, std::string* line, bool* failed);
  State StartBody();
  bool ParseRequestLine(const std::string& line);

  ParseLimits limits_;
  Phase phase_ = Phase::kRequestLine;
  Request req_;
  ParseError error_;
  bool started_ = false;
  size_t header_bytes_ = 0;
  size_t body_left_ = 0;  // kBody: bytes still to come; kChunkData: of this chunk
  size_t body_seen_ = 0;
};

// Percent-decodes `s`; with `plus_is_space`, '+' becomes ' ' (query strings).
std::string DecodeUrl(std::string_view s, bool plus_is_space);

// ASCII lower case (header names and tokens), and `s` without leading/trailing spaces and tabs.
std::string Lower(std::string_view s);
std::string_view Trim(std::string_view s);

}  // namespace gocua::hub::http
