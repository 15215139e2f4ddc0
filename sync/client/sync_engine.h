#pragma once
// The sync engine on the laptop (DESIGN.md, "Sync protocol (v1)"; docs/sync-protocol.md):
// enrolls the device, pushes the change log in adaptive batches, pulls the commune's changes
// by cursor, and retries a bad link with exponential backoff and jitter.
//
// Resuming is the point. Everything the hub acknowledged leaves the outbox at once, and every
// group of pulled pages is applied together with its last cursor, so a sync cut at any moment — the
// link, a cancel, a killed process — starts the next time exactly where it stopped: acknowledged
// ops are never sent again, applied pages are never fetched again. A push whose reply was lost is
// resent; the hub answers it as before (it dedupes by (origin_device, seq)). An acked_seq past
// the highest seq sent during the run is trusted only up to that seq: a hub that holds this
// device id's later seqs from elsewhere (a restored or copied database) must not make the
// device drop edits the hub never saw; pushing them then meets device_fork.
//
// Threading: a SyncEngine runs on one worker thread, over a Database connection opened by and
// for that thread (each thread has its own connection; WAL lets the UI keep reading and
// writing meanwhile). Not thread-safe: one Sync() or Enroll() at a time. `cancel` may be set
// from any thread. The progress callback is called on the worker thread: post to the UI queue.
// Each run makes its HTTP exchanges, one at a time, on a thread of its own (the transport is
// used from there, never by two threads at once), so that the worker can apply pulled pages
// while the next ones are fetched, or read the next push batch while one is on the wire; the
// database is used on the worker thread only. Sync() returns once that thread has stopped.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "platform/clock.h"
#include "storage/core/database.h"
#include "sync/client/http_transport.h"
#include "sync/client/pacing.h"
#include "sync/protocol/protocol.h"

namespace gocua::client {

struct SyncOptions {
  int max_attempts = 6;  // tries of one request (the first included) before giving up
  int64_t base_backoff_ms = 1000;
  int64_t max_backoff_ms = 60000;
  uint64_t jitter_seed = 0;  // 0: a random seed
  // Ops per pull page asked for: the most a hub gives, so that a big download takes fewer
  // round trips. Small pages are right for a rural link: a cut loses little.
  int pull_limit = protocol::kMaxPullLimit;
  // Pull pages fetched, decoded and checked ahead of the database thread, at most (memory).
  int pull_ahead_pages = 16;
  // The most ops the database thread applies in one transaction: it takes every page fetched
  // ahead up to this (a page bigger than this alone), and goes on with the pages fetched while
  // it applies them, each freed once applied, until the group reaches this or finds none
  // queued. Fewer, bigger transactions write the hot pages of the indexes and derived tables,
  // and refresh each household's and person's derived rows, once instead of once a group
  // (16,000 without going on → 48,000 going on: 8 groups → 4 for the e2e pull of 10,000
  // visits, its apply 2,457 → 1,891 M instructions, docs/benchmarks.md); this bounds how long
  // a local save from the UI may wait for the write lock (~0.25 s here, estimated).
  int pull_group_ops = 48000;
  // How long the database thread may wait, when it is ready for the next group, for the pages
  // fetched ahead to fill one (pull_group_ops ops, or pull_ahead_pages pages, or the last page)
  // before it takes what has come. Each group pays once for every household and person its
  // visits name (their latest visit and spans are rewritten: BulkDerived::Grow), so small
  // groups do that work many times over. Taking what had come at once, a download of 10,000
  // visits on two busy cores went in ~40 groups, 22 of them one page; with the wait, in 8 of
  // 16 pages (client CPU 0.98 → 0.88 s). On a fast link a group fills well within the wait;
  // on a slow one the thread applies what came when it runs out. 0: take what has come.
  int pull_group_wait_ms = 300;
  // A push answered faster than this with a full batch doubles the batch size.
  int64_t fast_push_ms = 5000;
  // Waits `ms` between retries, returning early once `*cancel` (may be null) is true. Unset:
  // sleep in short slices. Called on the worker thread, or (retries of a pull page) on the
  // run's network thread; never on both at once. Tests pass one that only records the waits.
  std::function<void(int64_t ms, const std::atomic<bool>* cancel)> sleep;
};

enum class SyncPhase { kPush, kPull };
std::string_view PhaseName(SyncPhase phase);  // "push" | "pull"

// (phase, done, total): ops pushed of the ops pending when the sync began, or ops pulled so
// far with total 0 (the hub does not say how many are coming).
using ProgressFn = std::function<void(SyncPhase phase, int64_t done, int64_t total)>;

// Why a sync or an enrollment stopped. The Status beside it says what to do, Vietnamese first.
enum class SyncFailure {
  kNone,
  kCancelled,         // `cancel` was set; what was acknowledged or applied stays done
  kNotEnrolled,       // no hub or token yet: enroll first
  kBadInput,          // the hub address, code or device name given is not valid
  kNetwork,           // no reply after every attempt (no link, timeouts, cuts): try later
  kHubFailing,        // the hub kept answering 5xx: try later, tell the admin if it lasts
  kUnauthorized,      // unknown/used/expired code, or the token was revoked: enroll again
  kProtocolMismatch,  // the app and the hub speak different protocol versions: update
  kDeviceFork,        // the hub holds this device id otherwise (a copied disk, a restored
                      // backup, an earlier enrollment): the admin must step in
  kHubLostData,       // the hub wants ops this device no longer holds: an admin must look
  kRejected,          // the hub refused a request (400, 404, 413 ...): a bug or a wrong address
  kBadReply,          // the hub's replies break the protocol
  kTooOld,            // pulled records this build does not know: update the app
  kWrongCommune,      // enrolling into a commune other than the one this device holds
  kLocal,             // the local database failed
};
std::string_view FailureName(SyncFailure f);  // "network", "unauthorized", ...

struct SyncResult {
  int64_t pushed = 0;       // own ops the hub acknowledged during this run
  int64_t pulled = 0;       // other devices' ops received and applied during this run
  int64_t conflicts = 0;    // pushed ops the hub answered `conflict` (a leader will review)
  int64_t quarantined = 0;  // pushed ops the hub answered `quarantined` (an admin will look)
  int64_t pending = 0;      // outbox entries still waiting (-1 if unknown)
  SyncFailure failure = SyncFailure::kNone;
  Status error;  // ok when the sync completed

  bool ok() const { return failure == SyncFailure::kNone; }
};

struct EnrollResult {
  std::string commune_id;  // set once the hub accepted the code
  SyncResult sync;         // the enrollment's failure, or the first sync's result
  bool ok() const { return sync.ok(); }
};

class SyncEngine {
 public:
  // `db`, `transport` and `clock` must outlive the engine; `db` is this thread's connection.
  SyncEngine(Database& db, HttpTransport& transport, const Clock& clock, SyncOptions options = {});
  ~SyncEngine();
  SyncEngine(const SyncEngine&) = delete;
  SyncEngine& operator=(const SyncEngine&) = delete;

  // Trades a one-time enrollment `code` for a token (POST /v1/enroll, with this database's
  // device id), saves the hub, token and commune, then runs a first Sync() to download the
  // commune. A device that already holds another commune is refused (kWrongCommune).
  // `hub_url`: "http://host:port" or "https://...", a trailing '/' ignored.
  EnrollResult Enroll(const std::string& hub_url, const std::string& code,
                      const std::string& device_name, const ProgressFn& progress = {},
                      const std::atomic<bool>* cancel = nullptr);

  // One sync: learn the hub's clock (GET /healthz), push the outbox, pull to the end, mark
  // the sync done. Counts are kept on failure: what was done stays done.
  SyncResult Sync(const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

 private:
  struct Run;
  Database& db_;
  HttpTransport& transport_;
  const Clock& clock_;
  SyncOptions options_;
  Backoff backoff_;  // keeps drawing from one seeded sequence across runs
};

}  // namespace gocua::client
