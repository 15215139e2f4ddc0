// Reading a request (front_impl.h): bytes go through the connection's RequestParser until it
// holds a complete request or an error, which go to the workers (Dispatch). The header
// deadline starts at the first byte of a request; the body's grows with every byte received
// at limits.min_body_rate after a grace of header_timeout (front_deadlines.cpp enforces both).
#include <strings.h>

#include <algorithm>
#include <string>

#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {

void Front::Impl::Read(Conn& c) {
  char buf[16384];
  for (;;) {
    if (!c.in.empty()) {
      Parse(c);
      if (c.st != Conn::St::kReading) return;
    }
    const ssize_t n = ReadSome(c, buf, sizeof buf);
    if (n == kWouldBlock) break;
    if (n <= 0) return Close(c);  // the peer closed, or the connection failed
    c.in.append(buf, static_cast<size_t>(n));
  }
  SetInterest(c);
}

void Front::Impl::Parse(Conn& c) {
  const bool was_started = c.parser.Started(), was_body = c.parser.InBody();
  const RequestParser::State state = c.parser.Feed(&c.in);
  const int64_t now = NowMs();
  if (!was_started && c.parser.Started()) c.deadline = now + limits.header_timeout_s * 1000LL;
  if (state == RequestParser::State::kNeedMore && c.parser.InBody()) {
    if (!was_body) {
      c.body_start = now;
      // A client that asked to be told before it sends the body (RFC 9110 10.1.1). The socket's
      // buffer is empty at this point, so the 25 bytes go at once or not at all.
      const std::string expect = c.parser.partial().Header("Expect");
      if (expect.size() == 12 && strncasecmp(expect.c_str(), "100-continue", 12) == 0) {
        static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
        WriteSome(c, kContinue, sizeof kContinue - 1);
      }
    }
    const int64_t rate = static_cast<int64_t>(std::max<size_t>(limits.min_body_rate, 1));
    c.deadline = c.body_start + limits.header_timeout_s * 1000LL +
                 static_cast<int64_t>(c.parser.BodyBytes()) * 1000 / rate;
  }
  if (state == RequestParser::State::kComplete) {
    Job job;
    job.req = c.parser.TakeRequest();
    job.last = !job.req.keep_alive || c.requests + 1 >= limits.max_requests_per_connection;
    Dispatch(c, std::move(job));
  } else if (state == RequestParser::State::kError) {
    Job job;
    job.refuse = true;
    job.last = true;
    job.error = c.parser.error();
    job.req = c.parser.partial();
    Dispatch(c, std::move(job));
  }
}

}  // namespace gocua::hub::http
