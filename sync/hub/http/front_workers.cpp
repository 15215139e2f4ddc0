// The hand-off between the loop and the workers. The loop queues a connection's complete (or
// refused) request as a Job and stops reading it; a worker runs the Handler on it and queues
// the reply's bytes as Done, then wakes the loop through wake_fd; the loop writes the reply.
// A connection has at most one Job at a time. One that failed meanwhile is only marked dead
// (its Conn stays until its reply comes back, then closes).
#include <unistd.h>

#include <mutex>
#include <string>
#include <vector>

#include "sync/hub/http/client_address.h"
#include "sync/hub/http/front_impl.h"
#include "sync/hub/http/response_text.h"

namespace gocua::hub::http {

void Front::Impl::Dispatch(Conn& c, Job job) {
  job.conn = c.id;
  job.req.remote_addr = ClientAddress(c.addr, job.req, limits.trusted_proxies);
  c.st = Conn::St::kHandling;
  SetInterest(c);
  {
    std::lock_guard<std::mutex> lock(job_mutex);
    jobs.push_back(std::move(job));
  }
  job_cv.notify_one();
}

void Front::Impl::TakeDone() {
  std::vector<Done> ready;
  {
    std::lock_guard<std::mutex> lock(done_mutex);
    ready.swap(done);
  }
  for (Done& d : ready) {
    auto it = conns.find(d.conn);
    if (it == conns.end()) continue;
    Conn& c = *it->second;
    if (c.dead) {
      Close(c);
      continue;
    }
    c.out = std::move(d.bytes);
    c.out_pos = 0;
    c.close_after = d.close || stopping;
    c.st = Conn::St::kWriting;
    c.deadline = NowMs() + limits.write_timeout_s * 1000LL;
    Write(c);
  }
}

std::string Front::Impl::Answer(Job& job, bool* close) {
  Response res;
  try {
    res = job.refuse ? handler.Refuse(job.error, job.req) : handler.Handle(job.req);
  } catch (...) {
    res = Response();
    res.status = 500;
    res.headers = {{"Content-Type", "application/json"}};
    res.body = R"({"error":{"code":"internal","message":"the hub failed; retry later"}})";
    res.close = true;
  }
  *close = job.last || res.close || stop_requested;
  return Serialize(res, *close, limits);
}

void Front::Impl::Work() {
  for (;;) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(job_mutex);
      job_cv.wait(lock, [&] { return workers_quit || !jobs.empty(); });
      if (jobs.empty()) return;
      job = std::move(jobs.front());
      jobs.pop_front();
    }
    Done d;
    d.conn = job.conn;
    d.bytes = Answer(job, &d.close);
    {
      std::lock_guard<std::mutex> lock(done_mutex);
      done.push_back(std::move(d));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t w = write(wake_fd, &one, sizeof one);
  }
}

}  // namespace gocua::hub::http
