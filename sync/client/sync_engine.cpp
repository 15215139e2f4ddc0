#include "sync/client/sync_engine.h"

// Over 500 lines on purpose, for now: this file is one Sync()/Enroll() run (class Run) whose
// push loop, pull loop and retries share one tally, one cancel flag and one network thread; the
// helpers it needs that are ideas of their own already live beside it (push_batch, pull_ahead,
// pacing, net_thread, sync_errors). Split it by phase when it next grows.

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "storage/core/change_log.h"
#include "storage/device/members.h"
#include "storage/device/replica.h"
#include "sync/client/group_pages.h"
#include "sync/client/net_thread.h"
#include "sync/client/pacing.h"
#include "sync/client/pull_ahead.h"
#include "sync/client/push_batch.h"
#include "sync/client/sync_errors.h"
#include "sync/ops/op_convert.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/gzip.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::client {
namespace {

using protocol::ErrorBody;

// "http://host:port" without a trailing '/', or kInvalidInput.
Result<std::string> NormalizeHubUrl(const std::string& raw) {
  std::string url = TrimSpaces(raw);
  while (!url.empty() && url.back() == '/') url.pop_back();
  const bool http = url.rfind("http://", 0) == 0 && url.size() > 7;
  const bool https = url.rfind("https://", 0) == 0 && url.size() > 8;
  if ((!http && !https) || url.find_first_of(" ?#") != std::string::npos)
    return BadHubUrlError(raw);
  return url;
}

// How often a worker waiting for an exchange looks at the person's `cancel`.
constexpr std::chrono::milliseconds kCancelPoll{50};

bool IsTransientStatus(int status) { return status == 408 || status == 429 || status >= 500; }

void SleepSliced(int64_t ms, const std::atomic<bool>* cancel) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < until) {
    if (cancel && cancel->load()) return;
    const auto left = until - std::chrono::steady_clock::now();
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(100)));
  }
}

// The error body of a failed reply, or one made from the status when the body is not one
// (a proxy's HTML page, an empty body).
ErrorBody ReadErrorBody(const HttpResponse& r) {
  auto body = protocol::DecodeErrorBody(r.body);
  if (body) return std::move(body).value();
  ErrorBody made;
  made.code =
      r.status == 404 ? std::string(protocol::kErrNotFound) : "http_" + std::to_string(r.status);
  made.message = "HTTP " + std::to_string(r.status);
  return made;
}

}  // namespace

std::string_view PhaseName(SyncPhase phase) { return phase == SyncPhase::kPush ? "push" : "pull"; }

// One Sync() or Enroll(): the request loop, its retries and its tally.
//
// Threading: the run's worker thread (the caller's, which owns the database connection) does
// everything but the HTTP exchanges, which run one at a time on the run's NetThread: Exchange()
// waits for one, Push() reads and encodes the next batch while one is on the wire, and Pull()
// applies pages while the next ones are fetched and decoded (FetchAhead() runs on the
// NetThread, retries included). `stop_` is the `cancel` of every exchange and of the
// NetThread's backoff waits: Await() and Pull() set it when the person cancels, and the
// destructor when a job is left behind. e_.backoff_ is drawn from by one thread at a time: the
// worker's retries happen when no job is in flight, FetchPage()'s while the worker only applies.
class SyncEngine::Run {
 public:
  Run(SyncEngine& engine, std::string hub_url, const ProgressFn& progress,
      const std::atomic<bool>* cancel)
      : e_(engine), url_(std::move(hub_url)), progress_(progress), cancel_(cancel) {}

  // A job still in flight (pull pages fetched ahead, a push whose answer is no longer
  // needed) is cancelled and waited for; its result is dropped.
  ~Run() {
    stop_ = true;
    net_.reset();
  }

  SyncResult result;

  void set_token(std::string token) { token_ = std::move(token); }

  // Records why the run stopped (the first reason wins) and returns false.
  bool Fail(SyncFailure failure, Status error) {
    if (result.failure == SyncFailure::kNone) {
      result.failure = failure;
      result.error = std::move(error);
    }
    return false;
  }
  bool Fail(Failure f) { return Fail(f.kind, std::move(f.error)); }
  bool Cancelled() const { return cancel_ && cancel_->load(); }
  bool FailCancelled() { return Fail(SyncFailure::kCancelled, CancelledError()); }
  bool FailLocal(const Status& st) { return Fail(SyncFailure::kLocal, LocalError(st)); }

  // Sends `request` until it gets an answer that is not worth retrying: a network failure,
  // 408, 429 and 5xx are retried with backoff, up to max_attempts tries. nullopt when the run
  // failed (recorded) or was cancelled.
  // `final_429`: a 429 answer is returned, not retried (enrollment's rate limit: trying again
  // at once would only count against the device).
  std::optional<HttpResponse> Exchange(const HttpRequest& request, bool final_429 = false) {
    int failures = 0;
    while (true) {
      if (Cancelled()) {
        FailCancelled();
        return std::nullopt;
      }
      std::future<Result<HttpResponse>> reply =
          Net().Post([&] { return e_.transport_.Send(request, &stop_); });
      Result<HttpResponse> sent = Await(reply);
      if (sent && (!IsTransientStatus(sent->status) || (final_429 && sent->status == 429)))
        return std::move(sent).value();
      if (auto failure = AfterFailedTry(&failures, sent, cancel_)) {
        Fail(std::move(*failure));
        return std::nullopt;
      }
    }
  }

  // After a failed try (`sent` is a transport error or a transient HTTP answer): waits, with
  // `wake` ending the wait early, and returns nullopt to try again; or says why to stop once
  // max_attempts tries failed or the run is cancelled. Any thread (see the class comment).
  std::optional<Failure> AfterFailedTry(int* failures, const Result<HttpResponse>& sent,
                                        const std::atomic<bool>* wake) {
    if (Stopping()) return Failure{SyncFailure::kCancelled, CancelledError()};
    ++*failures;
    const bool hopeless = !sent && sent.error().code() == ErrorCode::kInvalidInput;  // e.g. TLS
    if (hopeless || *failures >= std::max(e_.options_.max_attempts, 1)) {
      if (!sent) return Failure{SyncFailure::kNetwork, NetworkError(url_, *failures, sent.error())};
      return Failure{SyncFailure::kHubFailing,
                     HubFailingError(url_, *failures, ReadErrorBody(*sent), sent->status)};
    }
    const int64_t wait = e_.backoff_.Delay(*failures);
    if (e_.options_.sleep)
      e_.options_.sleep(wait, wake);
    else
      SleepSliced(wait, wake);
    if (Stopping()) return Failure{SyncFailure::kCancelled, CancelledError()};
    return std::nullopt;
  }

  // A final answer that is not a success and that the caller has no special handling for.
  Failure AnswerFailure(const HttpResponse& r, std::string_view path, bool enrolling) const {
    const ErrorBody body = ReadErrorBody(r);
    if (body.code == protocol::kErrProtocolMismatch)
      return {SyncFailure::kProtocolMismatch, ProtocolMismatchError(body.supported_versions)};
    if (r.status == 401)
      return {SyncFailure::kUnauthorized,
              enrolling ? BadCodeError(body.message) : UnauthorizedError(body.message)};
    if (r.status == 404) return {SyncFailure::kRejected, NotFoundError(url_, path)};
    return {SyncFailure::kRejected, RejectedError(r.status, body)};
  }
  bool FailOnAnswer(const HttpResponse& r, std::string_view path, bool enrolling) {
    return Fail(AnswerFailure(r, path, enrolling));
  }

  void Progress(SyncPhase phase, int64_t done, int64_t total) {
    if (progress_) progress_(phase, done, total);
  }

  // GET /healthz: the hub speaks our version; the device clock learns the hub's.
  bool Health() {
    auto reply = Exchange({HttpRequest::Method::kGet, url_ + "/healthz"});
    if (!reply) return false;
    if (reply->status != 200) return FailOnAnswer(*reply, "/healthz", false);
    auto health = protocol::DecodeHealthResponse(reply->body);
    if (!health) return Fail(SyncFailure::kBadReply, BadReplyError(health.error()));
    // The newest version both speak: v2 when the hub lists it, else v1 (an older hub).
    version_ = protocol::ChooseVersion(protocol::kSupportedVersions, health->supported_versions);
    if (version_ == 0)
      return Fail(SyncFailure::kProtocolMismatch,
                  ProtocolMismatchError(health->supported_versions));
    server_time_ = health->server_time;
    if (Status st = Replica(e_.db_).ObserveServerTime(health->server_time); !st)
      return FailLocal(st);
    return true;
  }

  // Pushes the outbox as it stood when the push began (later edits go next time), oldest
  // first, in adaptive batches. Only acknowledged entries leave the outbox, and every
  // acknowledgement received reaches it, however the push ends.
  bool Push() {
    ChangeLog log(e_.db_);
    PushState s{log};
    const bool pushed = PushBatches(s);
    return SaveAck(s) && pushed;
  }

  // Pulls pages after the saved cursor until the hub has no more. The NetThread fetches ahead
  // (FetchAhead(): up to pull_ahead_pages pages fetched, decoded and checked, not yet applied);
  // the worker takes every page fetched so far, up to pull_group_ops ops, and applies them as
  // one group, going on with the pages fetched meanwhile while the group stays within
  // pull_group_ops (GroupPages): their ops and the last page's cursor in one transaction, each
  // page freed once applied. A group that fails to apply stops the run with nothing of it
  // applied and the cursor where the group started; the pages fetched ahead are dropped (and
  // fetched again by the next sync, from the saved cursor).
  // A cancel is seen between groups, and stops the fetching.
  bool Pull(std::string cursor) {
    Replica replica(e_.db_);
    const int max_limit = std::clamp(e_.options_.pull_limit, 1, protocol::kMaxPullLimit);
    const size_t max_ops = static_cast<size_t>(std::max(e_.options_.pull_group_ops, 1));
    bool restarted = false;
    Progress(SyncPhase::kPull, 0, 0);
    if (Cancelled()) return FailCancelled();
    // Shared with the fetching job, which may outlive this call until ~Run() joins it; closed
    // on every way out, so that the job stops at its next page.
    auto ahead =
        std::make_shared<PullAhead>(static_cast<size_t>(std::max(e_.options_.pull_ahead_pages, 1)));
    struct Closer {
      PullAhead& ahead;
      ~Closer() { ahead.Close(); }
    } closer{*ahead};
    std::future<void> fetching = PostFetchAhead(ahead, cursor, max_limit, max_limit);
    while (true) {
      std::optional<std::vector<FetchedPage>> next = NextGroup(*ahead, fetching, max_ops);
      if (!next) return false;
      std::vector<FetchedPage>& group = *next;
      FetchedPage& first = group.front();
      if (first.kind == FetchedPage::Kind::kFailed) return Fail(std::move(first.failure));
      if (first.kind == FetchedPage::Kind::kExpired) {
        if (cursor.empty() || restarted)
          return Fail(SyncFailure::kBadReply,
                      BadReplyError(InvalidInput("410 cursor_expired for a fresh cursor")));
        // Download the scope again; merging is idempotent, and the outbox is not touched.
        if (Status st = replica.ResetCursor(); !st) return FailLocal(st);
        cursor.clear();
        restarted = true;
        if (Cancelled()) return FailCancelled();
        // The job that queued the 410 has returned: a new one starts from the beginning.
        fetching = PostFetchAhead(ahead, cursor, first.limit, max_limit);
        continue;
      }
      bool more = false;
      if (!ApplyGroup(replica, *ahead, std::move(group), max_ops, &cursor, &more)) return false;
      if (!more) return true;
    }
  }

  // Has `group`, applied, destroyed on the NetThread (PullAhead::Discard): by the fetching job,
  // or, once that is over, by a job of its own.
  void Discard(PullAhead& ahead, std::vector<FetchedPage> group) {
    std::vector<FetchedPage> left = ahead.Discard(std::move(group));
    if (!left.empty()) Net().Post([left = std::move(left)]() mutable { left.clear(); });
  }

  // Waits for the next group `ahead` has (see PullAhead::Take); nullopt once the person
  // cancelled (recorded; the exchange under way is ended), which is seen between groups.
  // The first time a cancel is seen, what has already come is applied as one more group, then
  // the run stops: pages fetched before the cancel are kept whichever thread ran first (the
  // worker may not have looked at the queue yet, or may be in the wait below).
  std::optional<std::vector<FetchedPage>> NextGroup(PullAhead& ahead, std::future<void>& fetching,
                                                    size_t max_ops) {
    // First, up to pull_group_wait_ms, for a full group (SyncOptions::pull_group_wait_ms).
    const auto patient_until =
        std::chrono::steady_clock::now() +
        std::chrono::milliseconds(std::max(e_.options_.pull_group_wait_ms, 0));
    bool full = false;
    while (true) {
      if (Cancelled()) {
        if (!cancel_took_what_came_) {
          cancel_took_what_came_ = true;
          std::vector<FetchedPage> group = ahead.Take(max_ops, std::chrono::milliseconds(0));
          if (!group.empty()) return group;
        }
        stop_ = true;
        FailCancelled();
        return std::nullopt;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          patient_until - std::chrono::steady_clock::now());
      if (!full && left.count() > 0 &&
          fetching.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        full = ahead.AwaitFullGroup(max_ops, std::min(left, kCancelPoll));
        continue;
      }
      std::vector<FetchedPage> group = ahead.Take(max_ops, kCancelPoll);
      if (!group.empty()) return group;
      // The job queues its last item before it returns: over with nothing queued, it threw.
      if (fetching.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        group = ahead.Take(max_ops, std::chrono::milliseconds(0));
        if (!group.empty()) return group;
        fetching.get();  // rethrows it on the worker, as Await() would
        FailLocal(Status{ErrorCode::kInternal, "pull: the page fetching stopped"});
        return std::nullopt;
      }
    }
  }

  // Applies the group that begins with `first` (pages, in order; GroupPages: it goes on with the
  // pages queued meanwhile, up to `max_ops`) in one transaction with its last page's cursor,
  // then counts its ops, reports progress and saves the device list a page of it carried.
  // Sets `*cursor` and `*more` from its last page.
  bool ApplyGroup(Replica& replica, PullAhead& ahead, std::vector<FetchedPage> first,
                  size_t max_ops, std::string* cursor, bool* more) {
    GroupPages pages(ahead, std::move(first), max_ops, *cursor, e_.db_.device_id(),
                     [this, &ahead](std::vector<FetchedPage> done) {
                       Discard(ahead, std::move(done));
                     });
    if (Status st = replica.ApplyPulled(pages); !st) {  // values moved out
      if (st.code() == ErrorCode::kCorrupt) return Fail(SyncFailure::kTooOld, TooOldError(st));
      return FailLocal(st);
    }
    result.pulled += pages.pulled();
    server_time_ = pages.server_time();
    *cursor = pages.Cursor();
    *more = pages.has_more();
    Progress(SyncPhase::kPull, result.pulled, 0);
    if (!pages.devices().empty()) {
      std::vector<DeviceContact> contacts;
      for (const protocol::DeviceSeen& d : pages.devices())
        contacts.push_back({d.device_id, d.name, d.last_seen});
      if (Status st = replica.SaveDeviceContacts(contacts); !st) return FailLocal(st);
    }
    return true;
  }

  // POST /v1/enroll with this device's id; saves what the hub gave.
  bool EnrollDevice(const std::string& code, const std::string& device_name,
                    std::string* commune_id) {
    protocol::EnrollRequest request;
    request.code = code;
    request.device_id = e_.db_.device_id();
    request.device_name = device_name;
    if (Status st = protocol::Validate(request); !st)
      return Fail(SyncFailure::kBadInput, BadEnrollInputError(st));
    auto reply = Exchange(
        {HttpRequest::Method::kPost, url_ + "/v1/enroll", "", protocol::Encode(request), false},
        true);
    if (!reply) return false;
    // The enrollment body is the same in every version: a hub that does not speak ours names
    // the versions it does, and the newest of those we speak is sent once more.
    if (reply->status == 400) {
      const ErrorBody body = ReadErrorBody(*reply);
      const int fallback =
          protocol::ChooseVersion(protocol::kSupportedVersions, body.supported_versions);
      if (body.code == protocol::kErrProtocolMismatch && fallback != 0 &&
          fallback != request.protocol) {
        request.protocol = fallback;
        reply = Exchange(
            {HttpRequest::Method::kPost, url_ + "/v1/enroll", "", protocol::Encode(request), false},
            true);
        if (!reply) return false;
      }
    }
    if (reply->status == 409)
      return Fail(SyncFailure::kDeviceFork, AlreadyEnrolledError(ReadErrorBody(*reply).message));
    if (reply->status == 429)
      return Fail(SyncFailure::kRejected, EnrollRateLimitedError(ReadErrorBody(*reply).message));
    if (reply->status != 200) return FailOnAnswer(*reply, "/v1/enroll", true);
    auto answer = protocol::DecodeEnrollResponse(reply->body);
    if (!answer) return Fail(SyncFailure::kBadReply, BadReplyError(answer.error()));
    if (answer->device_id != request.device_id)
      return Fail(
          SyncFailure::kBadReply,
          BadReplyError(InvalidInput("enroll: the hub answered for device " + answer->device_id)));
    Status st = Replica(e_.db_).SaveEnrollment(url_, answer->token, answer->commune_id);
    if (!st && st.code() == ErrorCode::kConflict)
      return Fail(SyncFailure::kWrongCommune, WrongCommuneError(st));
    if (!st) return FailLocal(st);
    if (Status role = SaveDeviceRole(e_.db_, answer->role); !role) return FailLocal(role);
    *commune_id = answer->commune_id;
    return true;
  }

  bool MarkSynced() {
    if (Status st = Replica(e_.db_).MarkSynced(server_time_); !st) return FailLocal(st);
    return true;
  }

  void CountPending() {
    auto pending = ChangeLog(e_.db_).PendingCount();
    result.pending = pending ? *pending : -1;
  }

 private:
  // What a push answered, and how long it took.
  struct Sent {
    Result<HttpResponse> reply;
    int64_t elapsed_ms = 0;
  };

  // A push under way (see Push()).
  struct PushState {
    ChangeLog& log;
    BatchSizer sizer;          // every sync starts small: the link may have changed
    int64_t after = 0;         // entries up to here are known to the hub
    int64_t acked_upto = 0;    // entries up to here have left the outbox
    int64_t unsaved_ack = -1;  // an acked_seq received but not yet given to the outbox
    int64_t total = 0;         // entries pending when the push began
  };

  SyncEngine& e_;
  const std::string url_;
  std::string token_;
  const ProgressFn& progress_;
  const std::atomic<bool>* cancel_;
  int64_t server_time_ = 0;
  int version_ = protocol::kProtocolVersion;  // chosen by Health() from what the hub lists
  std::atomic<bool> stop_{false};             // see the class comment
  bool cancel_took_what_came_ = false;        // NextGroup() took the group queued at a cancel
  std::optional<NetThread> net_;              // last: its jobs use the members above

  NetThread& Net() {
    if (!net_) net_.emplace();
    return *net_;
  }

  bool Stopping() const { return Cancelled() || stop_.load(); }

  // Waits for a job of the NetThread; a cancel by the person meanwhile is passed on to the job
  // (stop_) within kCancelPoll.
  template <typename T>
  T Await(std::future<T>& job) {
    while (job.wait_for(kCancelPoll) != std::future_status::ready)
      if (Cancelled()) stop_ = true;
    return job.get();
  }

  // Starts fetching pages after `cursor` into `ahead` on the NetThread (FetchAhead()).
  std::future<void> PostFetchAhead(std::shared_ptr<PullAhead> ahead, std::string cursor, int limit,
                                   int max_limit) {
    ahead->FetchBegins();
    return Net().Post(
        [this, ahead = std::move(ahead), cursor = std::move(cursor), limit, max_limit]() mutable {
          struct Over {
            PullAhead& ahead;
            ~Over() { ahead.FetchOver(); }
          } over{*ahead};
          FetchAhead(*ahead, std::move(cursor), limit, max_limit);
        });
  }

  // On the NetThread: fetches page after page from `cursor` into `ahead`, each after the one
  // before's next_cursor, the limit doubled back after a success, until the last page, a 410,
  // a reason to stop (each queued as the last item), or until `ahead` is closed.
  void FetchAhead(PullAhead& ahead, std::string cursor, int limit, int max_limit) {
    while (true) {
      FetchedPage got = FetchPage(cursor, limit, max_limit);
      const bool more = got.kind == FetchedPage::Kind::kPage && got.page.has_more;
      if (more) {
        cursor = got.page.next_cursor;
        limit = std::min(got.limit * 2, max_limit);
      }
      if (!ahead.Push(std::move(got)) || !more) return;
    }
  }

  // On the NetThread: GET /v1/pull after `cursor` until a page (decoded and checked), a 410,
  // or a reason to stop, retrying a failed try like Exchange() with the limit halved.
  FetchedPage FetchPage(const std::string& cursor, int limit, int max_limit) {
    FetchedPage out;
    int failures = 0;
    while (true) {
      out.limit = limit;
      if (Stopping()) {
        out.failure = {SyncFailure::kCancelled, CancelledError()};
        return out;
      }
      protocol::PullRequest query;
      query.protocol = version_;
      query.after = cursor;
      query.limit = limit;
      HttpRequest http{HttpRequest::Method::kGet,
                       url_ + "/v1/pull?" + protocol::EncodePullQuery(query), token_};
      auto sent = e_.transport_.Send(http, &stop_);
      if (!sent || IsTransientStatus(sent->status)) {
        limit = std::max(limit / 2, std::min(max_limit, 50));
        if (auto failure = AfterFailedTry(&failures, sent, &stop_)) {
          out.failure = std::move(*failure);
          return out;
        }
        continue;
      }
      if (sent->status == 410) {
        out.kind = FetchedPage::Kind::kExpired;
        return out;
      }
      if (sent->status != 200) {
        out.failure = AnswerFailure(*sent, "/v1/pull", false);
        return out;
      }
      auto page = version_ == protocol::kProtocolV2 ? protocol::DecodePullResponseV2(sent->body)
                                                    : protocol::DecodePullResponse(sent->body);
      if (!page) {
        out.failure = {SyncFailure::kBadReply, BadReplyError(page.error())};
        return out;
      }
      std::vector<RemoteOp> ops;
      ops.reserve(page->ops.size());
      for (protocol::PulledOp& p : page->ops) sync_ops::AppendRemoteOp(std::move(p.op), ops);
      page->ops.clear();
      out.ops = CheckPulled(std::move(ops));
      out.page = std::move(page).value();
      out.kind = FetchedPage::Kind::kPage;
      return out;
    }
  }

  // The push loop. Batch n + 1 is read and encoded, and batch n - 1's acknowledgement saved,
  // while batch n is on the wire; sending stays one batch at a time (the hub wants consecutive
  // seqs). The batch read ahead is the one this loop would read next after a success (the
  // sizer grown if batch n was full); any other answer, or a slow one, reads it again.
  bool PushBatches(PushState& s) {
    auto last_seq = s.log.LastSeq();
    if (!last_seq) return FailLocal(last_seq.error());
    auto pending = s.log.PendingCount();
    if (!pending) return FailLocal(pending.error());
    s.total = *pending;
    const std::string& device = e_.db_.device_id();
    int64_t last_gap = -1;  // the expected_seq of the last seq_gap answer, to stop a loop
    int64_t max_sent = 0;   // the highest seq handed to the transport in this run
    if (auto head = s.log.Pending(0, 1); !head)
      return FailLocal(head.error());
    else if (!head->empty())
      s.acked_upto = head->front().seq - 1;
    int failures = 0;
    std::optional<PushBatch> ahead;
    Progress(SyncPhase::kPush, 0, s.total);
    while (true) {
      if (Cancelled()) return FailCancelled();
      std::optional<PushBatch> batch;
      if (ahead && ahead->after == s.after && ahead->asked == s.sizer) batch = std::move(ahead);
      ahead.reset();
      if (!batch) {
        auto read = ReadPushBatch(s.log, device, version_, s.after, *last_seq, s.sizer, e_.clock_);
        if (!read) return Fail(SyncFailure::kLocal, read.error());
        batch = std::move(read).value();
      }
      s.sizer = batch->sizer;
      const protocol::PushRequest& request = batch->request;
      if (request.ops.empty()) return true;  // the outbox is drained

      max_sent = std::max(max_sent, request.ops.back().seq);
      std::future<Sent> flight = Net().Post(
          [this, http = HttpRequest{HttpRequest::Method::kPost, url_ + "/v1/push", token_,
                                    std::move(batch->body), true, std::move(batch->gzipped)}] {
            const auto started = std::chrono::steady_clock::now();
            Result<HttpResponse> reply = e_.transport_.Send(http, &stop_);
            return Sent{std::move(reply), std::chrono::duration_cast<std::chrono::milliseconds>(
                                              std::chrono::steady_clock::now() - started)
                                              .count()};
          });
      if (!SaveAck(s)) return false;
      BatchSizer grown = s.sizer;
      if (batch->full) grown.Grow();
      // A failure here is met again, and reported, when the batch is read for real.
      if (auto read = ReadPushBatch(s.log, device, version_, request.ops.back().seq, *last_seq,
                                    grown, e_.clock_)) {
        ahead = std::move(read).value();
        // Compressed here, while the hub works, so that the next exchange only sends it.
        if (!ahead->request.ops.empty()) ahead->gzipped = protocol::GzipCompress(ahead->body);
      }
      Sent sent = Await(flight);

      if (!sent.reply || IsTransientStatus(sent.reply->status)) {
        s.sizer.Shrink();
        if (auto failure = AfterFailedTry(&failures, sent.reply, cancel_))
          return Fail(std::move(*failure));
        continue;
      }
      const HttpResponse& reply = *sent.reply;
      if (reply.status == 200) {
        auto answer = version_ == protocol::kProtocolV2
                          ? protocol::DecodePushResponseV2(reply.body, request)
                          : protocol::DecodePushResponse(reply.body);
        if (!answer) return Fail(SyncFailure::kBadReply, BadReplyError(answer.error()));
        if (Status st = protocol::CheckAnswers(request, *answer); !st)
          return Fail(SyncFailure::kBadReply, BadReplyError(st));
        // Never past what this run has sent: a hub that holds seqs of this device id we never
        // sent it (a restored or copied database) must not make us drop edits it never saw.
        // Within the run, an ack may cover an earlier try whose reply was lost.
        const int64_t acked = std::min(answer->acked_seq, max_sent);
        s.unsaved_ack = std::max(s.unsaved_ack, acked);
        s.after = std::max(s.after, acked);
        for (const protocol::OpResult& r : answer->results) {
          if (r.outcome == protocol::Outcome::kConflict) ++result.conflicts;
          if (r.outcome == protocol::Outcome::kQuarantined) ++result.quarantined;
        }
        failures = 0;
        last_gap = -1;
        if (batch->full && sent.elapsed_ms < e_.options_.fast_push_ms) s.sizer.Grow();
        continue;
      }
      ahead.reset();  // not a success: whatever comes next is read again, as it always was
      if (reply.status == 413) {
        if (request.ops.size() == 1)
          return Fail(SyncFailure::kRejected, RejectedError(413, ReadErrorBody(reply)));
        s.sizer.Shrink();
        while (s.sizer.ops() >= static_cast<int>(request.ops.size()) && s.sizer.ops() > 1)
          s.sizer.Shrink();
        continue;
      }
      if (reply.status == 409) {
        const ErrorBody body = ReadErrorBody(reply);
        if (body.code == protocol::kErrDeviceFork)
          return Fail(SyncFailure::kDeviceFork, DeviceForkError(body.message));
        if (body.code != protocol::kErrSeqGap || !body.expected_seq ||
            (body.origin_device && *body.origin_device != device))
          return Fail(SyncFailure::kRejected, RejectedError(409, body));
        if (!SaveAck(s)) return false;
        const int64_t expected = *body.expected_seq;
        auto first = s.log.Pending(0, 1);
        if (!first) return FailLocal(first.error());
        if (first->empty() || expected < first->front().seq)
          return Fail(SyncFailure::kHubLostData,
                      HubLostDataError(url_, expected, first->empty() ? 0 : first->front().seq));
        if (expected == last_gap || expected > *last_seq + 1)
          return Fail(SyncFailure::kBadReply,
                      BadReplyError(InvalidInput("seq_gap: the hub keeps asking for seq " +
                                                 std::to_string(expected))));
        last_gap = expected;
        s.after = expected - 1;  // the hub has processed everything before it
        continue;
      }
      return FailOnAnswer(reply, "/v1/push", false);
    }
  }

  // Gives the outbox the acknowledgement received last, if it has not had it, and reports
  // progress. false when the database failed (recorded).
  bool SaveAck(PushState& s) {
    if (s.unsaved_ack < 0) return true;
    const int64_t acked = std::exchange(s.unsaved_ack, -1);
    if (Status st = s.log.Acknowledge(acked); !st) return FailLocal(st);
    if (acked > s.acked_upto) {
      result.pushed += acked - s.acked_upto;
      s.acked_upto = acked;
    }
    Progress(SyncPhase::kPush, result.pushed, std::max(s.total, result.pushed));
    return true;
  }
};

SyncEngine::SyncEngine(Database& db, HttpTransport& transport, const Clock& clock,
                       SyncOptions options)
    : db_(db),
      transport_(transport),
      clock_(clock),
      options_(std::move(options)),
      backoff_(options_.base_backoff_ms, options_.max_backoff_ms, options_.jitter_seed) {}

SyncEngine::~SyncEngine() = default;

EnrollResult SyncEngine::Enroll(const std::string& hub_url, const std::string& code,
                                const std::string& device_name, const ProgressFn& progress,
                                const std::atomic<bool>* cancel) {
  EnrollResult out;
  auto url = NormalizeHubUrl(hub_url);
  if (!url) {
    out.sync.failure = SyncFailure::kBadInput;
    out.sync.error = url.error();
    return out;
  }
  Run run(*this, *url, progress, cancel);
  if (!run.EnrollDevice(CodeAsTyped(code), device_name, &out.commune_id)) {
    run.CountPending();
    out.sync = std::move(run.result);
    return out;
  }
  out.sync = Sync(progress, cancel);
  return out;
}

SyncResult SyncEngine::Sync(const ProgressFn& progress, const std::atomic<bool>* cancel) {
  auto state = Replica(db_).State();
  if (!state) {
    SyncResult r;
    r.failure = SyncFailure::kLocal;
    r.error = LocalError(state.error());
    return r;
  }
  Run run(*this, state->hub_url, progress, cancel);
  if (state->hub_url.empty() || state->token.empty()) {
    run.Fail(SyncFailure::kNotEnrolled, NotEnrolledError());
  } else {
    run.set_token(state->token);
    // Each step stops the run on failure; what the steps before it did stays done.
    run.Health() && run.Push() && run.Pull(state->cursor) && run.MarkSynced();
  }
  run.CountPending();
  return std::move(run.result);
}

}  // namespace gocua::client
