#pragma once
// The pull pages a sync run's network thread has fetched ahead of its worker thread
// (sync_engine.cpp, Run::Pull). Internal to sync/client.
//
// The network thread fetches page after page, each after the one before's next_cursor, without
// waiting for the worker, while fewer than `max_pages` items wait here; the worker takes what
// has arrived in groups and applies each group in one transaction. On a fast link the queue
// fills and groups are large; on a slow one the worker finds one page at a time. A group may
// go on with the pages queued while it was applied (TakeQueuedPages), each page freed once
// applied. Memory: at most `max_pages` pages here, one more being fetched, and the pages the
// worker took and has not yet handed back (Discard).
//
// Threading: Push() and FetchOver() on the network thread; Take(), Discard() and FetchBegins()
// on the worker; Close() on any thread.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

#include "base/result.h"
#include "storage/device/replica.h"
#include "sync/client/sync_engine.h"
#include "sync/protocol/messages.h"

namespace gocua::client {

// Why a run stopped, as Run::Fail() records it.
struct Failure {
  SyncFailure kind = SyncFailure::kNone;
  Status error;
};

// What the network thread brings back for one pull request, its retries included.
struct FetchedPage {
  enum class Kind { kPage, kExpired, kFailed };
  Kind kind = Kind::kFailed;
  protocol::PullResponse page;  // kPage, its ops moved to `ops`
  CheckedPage ops;              // kPage: checked on the network thread
  Failure failure;              // kFailed
  int limit = 0;                // the limit of the last try (halved by failed tries)
};

class PullAhead {
 public:
  explicit PullAhead(size_t max_pages) : max_pages_(max_pages < 1 ? 1 : max_pages) {}
  PullAhead(const PullAhead&) = delete;
  PullAhead& operator=(const PullAhead&) = delete;

  // Network thread: queues `item` after those before it, first waiting while `max_pages` items
  // wait. Returns false, dropping `item`, once Close() was called (before or while waiting):
  // the fetcher then stops.
  bool Push(FetchedPage item);

  // Worker: waits up to `wait` for an item, then takes the next group, in order: the first item
  // and, if it is a page, the pages queued right after it while the group's ops stay within
  // `max_ops` (a first page bigger than that is taken alone). A kExpired or kFailed item is
  // taken alone, once the pages before it were taken. Empty when nothing came within `wait`.
  std::vector<FetchedPage> Take(size_t max_ops, std::chrono::milliseconds wait);

  // Worker: waits up to `wait` until what is queued makes a full group: its pages reach
  // `max_ops` ops, `max_pages` items wait (the fetcher waits for the worker), or the last item
  // queued ends the fetching (a kExpired or kFailed item, or a page with nothing after it).
  // True once so, or once Close() was called; false when `wait` ran out first. Takes nothing.
  bool AwaitFullGroup(size_t max_ops, std::chrono::milliseconds wait);

  // Worker, while applying a group: takes, without waiting, the pages queued now, in order,
  // while their ops stay within `max_ops` (none when the first is bigger), stopping before a
  // kExpired or kFailed item (left for Take()).
  std::vector<FetchedPage> TakeQueuedPages(size_t max_ops);

  // Makes every waiting and later Push() return false. Items already queued stay takeable.
  void Close();

  // Worker: hands over a group it is done with (applied or not), to be destroyed on the network
  // thread between its fetches and while it waits in Push(): the pages were allocated there
  // (decoded and checked), and freeing their ~3 strings an op cost the worker — the pull's
  // bound — about a twentieth of applying them. When no fetching job runs (none begun, or all
  // over) nothing is taken and `group` comes back, for the caller to destroy elsewhere.
  std::vector<FetchedPage> Discard(std::vector<FetchedPage> group);

  // A fetching job (the one that calls Push()) is posted, by the worker before it posts it;
  // and it is over, by the job as it returns (what Discard() queued is destroyed then).
  void FetchBegins();
  void FetchOver();

 private:
  const size_t max_pages_;
  std::mutex mu_;
  std::condition_variable changed_;  // an item queued or taken, or closed
  std::deque<FetchedPage> items_;    // guarded by mu_
  size_t queued_ops_ = 0;            // ops of the pages in items_; guarded by mu_
  bool closed_ = false;              // guarded by mu_
  int fetching_ = 0;                 // fetching jobs begun and not over; guarded by mu_
  // Groups Discard() took, destroyed by the network thread; guarded by mu_.
  std::vector<std::vector<FetchedPage>> discarded_;
};

}  // namespace gocua::client
