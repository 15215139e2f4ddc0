// The deadlines that keep slow, idle and stuck clients from holding anything but their socket.
// Every connection not with a worker has one (Conn::deadline), set where its state changes:
//   - a TLS handshake, and a request's line and headers: header_timeout_s from the accept, or
//     from the request's first byte (front_read.cpp);
//   - a body: header_timeout_s after it began, plus 1 s per min_body_rate bytes received;
//   - a keep-alive connection between requests: idle_timeout_s after the last reply;
//   - a reply being written: write_timeout_s without progress (front_write.cpp);
//   - draining after the last reply: 2 s, kDrainMs (front_write.cpp).
// Past it, a body too slow is answered 408 (through the workers, like any refusal) and then
// closed; any other connection is closed at once.
#include <string>
#include <vector>

#include "sync/hub/http/front_impl.h"

namespace gocua::hub::http {

void Front::Impl::CheckDeadlines(int64_t now) {
  std::vector<uint64_t> late;
  for (auto& [id, c] : conns)
    if (c->st != Conn::St::kHandling && now >= c->deadline) late.push_back(id);
  for (uint64_t id : late) {
    Conn& c = *conns.at(id);
    if (c.st == Conn::St::kReading && c.parser.InBody()) {
      // A body slower than the minimum rate: told so, then closed.
      Job job;
      job.refuse = true;
      job.last = true;
      job.error.status = 408;
      job.error.message = "the request body came too slowly (under " +
                          std::to_string(limits.min_body_rate) +
                          " bytes/s); send it again on a better connection";
      job.req = c.parser.partial();
      Dispatch(c, std::move(job));
    } else {
      Close(c);  // idle, headers too slow, a handshake or a reply that does not move
    }
  }
}

}  // namespace gocua::hub::http
