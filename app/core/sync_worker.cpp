#include "app/core/sync_worker.h"

#include <chrono>

#include "storage/core/database.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"

namespace gocua::app {

SyncWorker::SyncWorker(SyncWorkerOptions options, const Clock& clock, MainQueue& queue,
                       Listener listener)
    : options_(std::move(options)), clock_(clock), queue_(queue), listener_(std::move(listener)) {
  thread_ = std::thread([this] { Run(); });
}

SyncWorker::~SyncWorker() {
  *alive_ = false;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  thread_.join();
}

void SyncWorker::SyncNow() {
  if (busy_) return;
  std::lock_guard lock(mu_);
  request_ = Request{};
  has_request_ = true;
  cv_.notify_all();
}

void SyncWorker::Enroll(std::string hub_url, std::string code, std::string device_name) {
  if (busy_) return;
  std::lock_guard lock(mu_);
  request_ = Request{true, false, std::move(hub_url), std::move(code), std::move(device_name)};
  has_request_ = true;
  cv_.notify_all();
}

void SyncWorker::Cancel() { cancel_ = true; }

bool SyncWorker::Hold() {
  std::lock_guard lock(mu_);
  if (busy_) return false;  // set under mu_ when a request is taken: no window between
  held_ = true;
  has_request_ = false;
  return true;
}

void SyncWorker::Release() {
  std::lock_guard lock(mu_);
  held_ = false;
}

void SyncWorker::Emit(SyncEvent e) {
  // The closure may run after this worker (and the model listening) are gone: the queue
  // outlives them. `alive_` is cleared on the UI thread by the destructor, where Drain() runs.
  queue_.Post([alive = alive_, listener = listener_, e = std::move(e)] {
    if (*alive) listener(e);
  });
}

void SyncWorker::Run() {
  using namespace std::chrono;
  auto next_auto = steady_clock::now() + duration<double>(options_.first_auto_s);
  for (;;) {
    Request r;
    {
      std::unique_lock lock(mu_);
      const bool automatic_on = options_.auto_every_s > 0;
      auto woke = [&] { return stop_ || has_request_; };
      if (automatic_on) {
        cv_.wait_until(lock, next_auto, woke);
      } else {
        cv_.wait(lock, woke);
      }
      if (stop_) return;
      if (has_request_) {
        r = request_;
        has_request_ = false;
      } else if (steady_clock::now() >= next_auto) {
        r.automatic = true;
      } else {
        continue;
      }
      if (automatic_on) {
        next_auto = steady_clock::now() +
                    duration_cast<steady_clock::duration>(duration<double>(options_.auto_every_s));
      }
      if (held_) continue;  // a restore is replacing the database: no sync now
      busy_ = true;         // under mu_, so that Hold() sees it
    }
    Execute(r);
  }
}

void SyncWorker::Execute(const Request& r) {
  // Each run opens its own connection: this thread's, closed when the run ends.
  auto db = Database::Open(options_.db_path, clock_);
  if (!db) {
    busy_ = false;
    SyncEvent e{SyncEvent::Kind::kFinished, r.automatic, r.enroll};
    e.result.failure = client::SyncFailure::kLocal;
    e.result.error = db.error();
    Emit(std::move(e));
    return;
  }
  auto state = Replica(**db).State();
  if (r.automatic && (!state || state->token.empty())) {  // quiet: only when enrolled
    busy_ = false;
    return;
  }
  cancel_ = false;
  Emit({SyncEvent::Kind::kStarted, r.automatic, r.enroll});
  client::CurlOptions curl;
  curl.connect_timeout_s = options_.connect_timeout_s;
  if (state) curl.ca_file = state->ca_file;  // kept by gocua-cli enroll --ca-file
  client::CurlTransport transport(curl);
  client::SyncOptions so = options_.engine;
  if (r.automatic) so.max_attempts = 1;  // the hub does not answer: try again later, quietly
  client::SyncEngine engine(**db, transport, clock_, so);
  auto progress = [&](client::SyncPhase phase, int64_t done, int64_t total) {
    SyncEvent e{SyncEvent::Kind::kProgress, r.automatic, r.enroll, phase, done, total};
    Emit(std::move(e));
  };
  SyncEvent done{SyncEvent::Kind::kFinished, r.automatic, r.enroll};
  if (r.enroll) {
    done.result = engine.Enroll(r.hub_url, r.code, r.device_name, progress, &cancel_).sync;
  } else {
    done.result = engine.Sync(progress, &cancel_);
  }
  busy_ = false;
  Emit(std::move(done));
}

}  // namespace gocua::app
