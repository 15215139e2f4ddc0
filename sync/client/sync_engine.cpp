#include "sync/client/sync_engine.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "storage/change_log.h"
#include "storage/ids.h"
#include "storage/replica.h"
#include "sync/client/pacing.h"
#include "sync/client/sync_errors.h"
#include "sync/protocol/errors.h"
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

protocol::Op ToOp(const ChangeEntry& e, const std::string& device_id) {
  protocol::Op op;
  op.origin_device = device_id;
  op.seq = e.seq;
  op.record_type = e.record_type;
  op.record_id = e.record_id;
  op.field = e.field;
  op.value = e.value;
  op.base_hlc = e.base_hlc;
  op.base_device = e.base_device;
  op.hlc = e.hlc;
  op.author = e.author;
  op.seen_hlc = e.seen_hlc;
  op.seen_device = e.seen_device;
  return op;
}

RemoteOp ToRemoteOp(protocol::Op op) {
  RemoteOp r;
  r.origin_device = std::move(op.origin_device);
  r.seq = op.seq;
  r.record_type = std::move(op.record_type);
  r.record_id = std::move(op.record_id);
  r.field = std::move(op.field);
  r.value = std::move(op.value);
  r.base = {op.base_hlc, std::move(op.base_device)};
  r.hlc = op.hlc;
  r.author = std::move(op.author);
  r.seen = {op.seen_hlc, std::move(op.seen_device)};
  return r;
}

}  // namespace

std::string_view PhaseName(SyncPhase phase) { return phase == SyncPhase::kPush ? "push" : "pull"; }

// One Sync() or Enroll(): the request loop, its retries and its tally.
class SyncEngine::Run {
 public:
  Run(SyncEngine& engine, std::string hub_url, const ProgressFn& progress,
      const std::atomic<bool>* cancel)
      : e_(engine), url_(std::move(hub_url)), progress_(progress), cancel_(cancel) {}

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
  bool Cancelled() const { return cancel_ && cancel_->load(); }
  bool FailCancelled() { return Fail(SyncFailure::kCancelled, CancelledError()); }
  bool FailLocal(const Status& st) { return Fail(SyncFailure::kLocal, LocalError(st)); }

  // Sends `request` until it gets an answer that is not worth retrying: a network failure,
  // 408, 429 and 5xx are retried with backoff, up to max_attempts tries. nullopt when the run
  // failed (recorded) or was cancelled.
  std::optional<HttpResponse> Exchange(const HttpRequest& request) {
    int failures = 0;
    while (true) {
      if (Cancelled()) {
        FailCancelled();
        return std::nullopt;
      }
      auto sent = e_.transport_.Send(request, cancel_);
      if (sent && !IsTransientStatus(sent->status)) return std::move(sent).value();
      if (!RetryAfterFailure(&failures, sent)) return std::nullopt;
    }
  }

  // After a failed try (`sent` is a transport error or a transient HTTP answer): waits and
  // returns true, or records the failure and returns false once max_attempts tries failed.
  bool RetryAfterFailure(int* failures, const Result<HttpResponse>& sent) {
    if (Cancelled()) return FailCancelled();
    ++*failures;
    const bool hopeless = !sent && sent.error().code() == ErrorCode::kInvalidInput;  // e.g. TLS
    if (hopeless || *failures >= std::max(e_.options_.max_attempts, 1)) {
      if (!sent) return Fail(SyncFailure::kNetwork, NetworkError(url_, *failures, sent.error()));
      return Fail(SyncFailure::kHubFailing,
                  HubFailingError(url_, *failures, ReadErrorBody(*sent), sent->status));
    }
    const int64_t wait = e_.backoff_.Delay(*failures);
    if (e_.options_.sleep)
      e_.options_.sleep(wait, cancel_);
    else
      SleepSliced(wait, cancel_);
    if (Cancelled()) return FailCancelled();
    return true;
  }

  // A final answer that is not a success and that the caller has no special handling for.
  bool FailOnAnswer(const HttpResponse& r, std::string_view path, bool enrolling) {
    const ErrorBody body = ReadErrorBody(r);
    if (body.code == protocol::kErrProtocolMismatch)
      return Fail(SyncFailure::kProtocolMismatch, ProtocolMismatchError(body.supported_versions));
    if (r.status == 401)
      return Fail(SyncFailure::kUnauthorized,
                  enrolling ? BadCodeError(body.message) : UnauthorizedError(body.message));
    if (r.status == 404) return Fail(SyncFailure::kRejected, NotFoundError(url_, path));
    return Fail(SyncFailure::kRejected, RejectedError(r.status, body));
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
  // first, in adaptive batches. Only acknowledged entries leave the outbox.
  bool Push() {
    ChangeLog log(e_.db_);
    auto last_seq = log.LastSeq();
    if (!last_seq) return FailLocal(last_seq.error());
    auto pending = log.PendingCount();
    if (!pending) return FailLocal(pending.error());
    const int64_t total = *pending;
    const std::string& device = e_.db_.device_id();
    BatchSizer sizer;        // every sync starts small: the link may have changed
    int64_t after = 0;       // entries up to here are known to the hub
    int64_t last_gap = -1;   // the expected_seq of the last seq_gap answer, to stop a loop
    int64_t max_sent = 0;    // the highest seq handed to the transport in this run
    int64_t acked_upto = 0;  // entries up to here have left the outbox
    if (auto head = log.Pending(0, 1); !head)
      return FailLocal(head.error());
    else if (!head->empty())
      acked_upto = head->front().seq - 1;
    int failures = 0;
    Progress(SyncPhase::kPush, 0, total);
    while (true) {
      if (Cancelled()) return FailCancelled();
      auto entries = log.Pending(after, sizer.ops());
      if (!entries) return FailLocal(entries.error());
      protocol::PushRequest request;
      request.protocol = version_;
      request.device_id = device;
      request.batch_id = NewUuidV7(e_.clock_.NowMs());
      bool full = static_cast<int>(entries->size()) >= sizer.ops();
      std::string text_body = EncodeBatch(*entries, *last_seq, sizer.bytes(), &request, &full);
      if (request.ops.empty()) return true;  // the outbox is drained
      if (Status st = protocol::Validate(request, text_body.size()); !st) {
        if (protocol::WireCode(st) == protocol::kErrTooLarge && request.ops.size() > 1) {
          sizer.Shrink();
          continue;
        }
        return Fail(SyncFailure::kLocal, UnsendableError(request.ops.front().seq, st));
      }

      const auto started = std::chrono::steady_clock::now();
      HttpRequest http{HttpRequest::Method::kPost, url_ + "/v1/push", token_,
                       std::move(text_body), true};
      max_sent = std::max(max_sent, request.ops.back().seq);
      auto sent = e_.transport_.Send(http, cancel_);
      const auto elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - started)
                                  .count();
      if (!sent || IsTransientStatus(sent->status)) {
        sizer.Shrink();
        if (!RetryAfterFailure(&failures, sent)) return false;
        continue;
      }
      const HttpResponse& reply = *sent;
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
        if (Status st = log.Acknowledge(acked); !st) return FailLocal(st);
        after = std::max(after, acked);
        if (acked > acked_upto) {
          result.pushed += acked - acked_upto;
          acked_upto = acked;
        }
        for (const protocol::OpResult& r : answer->results) {
          if (r.outcome == protocol::Outcome::kConflict) ++result.conflicts;
          if (r.outcome == protocol::Outcome::kQuarantined) ++result.quarantined;
        }
        failures = 0;
        last_gap = -1;
        if (full && elapsed_ms < e_.options_.fast_push_ms) sizer.Grow();
        Progress(SyncPhase::kPush, result.pushed, std::max(total, result.pushed));
        continue;
      }
      if (reply.status == 413) {
        if (request.ops.size() == 1)
          return Fail(SyncFailure::kRejected, RejectedError(413, ReadErrorBody(reply)));
        sizer.Shrink();
        while (sizer.ops() >= static_cast<int>(request.ops.size()) && sizer.ops() > 1)
          sizer.Shrink();
        continue;
      }
      if (reply.status == 409) {
        const ErrorBody body = ReadErrorBody(reply);
        if (body.code == protocol::kErrDeviceFork)
          return Fail(SyncFailure::kDeviceFork, DeviceForkError(body.message));
        if (body.code != protocol::kErrSeqGap || !body.expected_seq ||
            (body.origin_device && *body.origin_device != device))
          return Fail(SyncFailure::kRejected, RejectedError(409, body));
        const int64_t expected = *body.expected_seq;
        auto first = log.Pending(0, 1);
        if (!first) return FailLocal(first.error());
        if (first->empty() || expected < first->front().seq)
          return Fail(SyncFailure::kHubLostData,
                      HubLostDataError(url_, expected, first->empty() ? 0 : first->front().seq));
        if (expected == last_gap || expected > *last_seq + 1)
          return Fail(SyncFailure::kBadReply,
                      BadReplyError(InvalidInput("seq_gap: the hub keeps asking for seq " +
                                                 std::to_string(expected))));
        last_gap = expected;
        after = expected - 1;  // the hub has processed everything before it
        continue;
      }
      return FailOnAnswer(reply, "/v1/push", false);
    }
  }

  // Pulls pages after the saved cursor until the hub has no more. Each page is applied with
  // its cursor in one transaction.
  bool Pull(std::string cursor) {
    Replica replica(e_.db_);
    const int max_limit = std::clamp(e_.options_.pull_limit, 1, protocol::kMaxPullLimit);
    int limit = max_limit;
    int failures = 0;
    bool restarted = false;
    Progress(SyncPhase::kPull, 0, 0);
    while (true) {
      if (Cancelled()) return FailCancelled();
      protocol::PullRequest query;
      query.protocol = version_;
      query.after = cursor;
      query.limit = limit;
      HttpRequest http{HttpRequest::Method::kGet,
                       url_ + "/v1/pull?" + protocol::EncodePullQuery(query), token_};
      auto sent = e_.transport_.Send(http, cancel_);
      if (!sent || IsTransientStatus(sent->status)) {
        limit = std::max(limit / 2, std::min(max_limit, 50));
        if (!RetryAfterFailure(&failures, sent)) return false;
        continue;
      }
      const HttpResponse& reply = *sent;
      if (reply.status == 410) {
        if (cursor.empty() || restarted)
          return Fail(SyncFailure::kBadReply,
                      BadReplyError(InvalidInput("410 cursor_expired for a fresh cursor")));
        // Download the scope again; merging is idempotent, and the outbox is not touched.
        if (Status st = replica.ResetCursor(); !st) return FailLocal(st);
        cursor.clear();
        restarted = true;
        continue;
      }
      if (reply.status != 200) return FailOnAnswer(reply, "/v1/pull", false);
      auto page = version_ == protocol::kProtocolV2 ? protocol::DecodePullResponseV2(reply.body)
                                                    : protocol::DecodePullResponse(reply.body);
      if (!page) return Fail(SyncFailure::kBadReply, BadReplyError(page.error()));
      std::vector<RemoteOp> ops;
      ops.reserve(page->ops.size());
      for (protocol::PulledOp& p : page->ops) ops.push_back(ToRemoteOp(std::move(p.op)));
      if (Status st = replica.ApplyPulled(ops, page->next_cursor); !st) {
        if (st.code() == ErrorCode::kCorrupt) return Fail(SyncFailure::kTooOld, TooOldError(st));
        return FailLocal(st);
      }
      result.pulled += std::count_if(ops.begin(), ops.end(), [&](const RemoteOp& op) {
        return op.origin_device != e_.db_.device_id();
      });
      cursor = page->next_cursor;
      server_time_ = page->server_time;
      failures = 0;
      limit = std::min(limit * 2, max_limit);
      Progress(SyncPhase::kPull, result.pulled, 0);
      if (!page->devices.empty()) {
        std::vector<DeviceContact> contacts;
        for (const protocol::DeviceSeen& d : page->devices)
          contacts.push_back({d.device_id, d.name, d.last_seen});
        if (Status st = replica.SaveDeviceContacts(contacts); !st) return FailLocal(st);
      }
      if (!page->has_more) return true;
    }
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
        {HttpRequest::Method::kPost, url_ + "/v1/enroll", "", protocol::Encode(request), false});
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
        reply = Exchange({HttpRequest::Method::kPost, url_ + "/v1/enroll", "",
                          protocol::Encode(request), false});
        if (!reply) return false;
      }
    }
    if (reply->status == 409)
      return Fail(SyncFailure::kDeviceFork, AlreadyEnrolledError(ReadErrorBody(*reply).message));
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
  SyncEngine& e_;
  const std::string url_;
  std::string token_;
  const ProgressFn& progress_;
  const std::atomic<bool>* cancel_;
  int64_t server_time_ = 0;
  int version_ = protocol::kProtocolVersion;  // chosen by Health() from what the hub lists

  // The push body for `entries` (those up to `last_seq`), in version_, cut before the op that
  // would take it past `max_bytes` (one op at least); the ops sent go to request->ops, and
  // *full is set when the batch was cut. The text is encoded once, as it is sized.
  std::string EncodeBatch(const std::vector<ChangeEntry>& entries, int64_t last_seq,
                          size_t max_bytes, protocol::PushRequest* request, bool* full) const {
    const std::string& device = request->device_id;
    if (version_ == protocol::kProtocolV2) {
      protocol::PushBodyV2 body(device, request->batch_id);
      for (const ChangeEntry& entry : entries) {
        if (entry.seq > last_seq) break;
        protocol::Op op = ToOp(entry, device);
        if (body.Add(op) > max_bytes && !request->ops.empty()) {
          body.UndoLast();
          *full = true;
          break;
        }
        request->ops.push_back(std::move(op));
      }
      return body.Finish();
    }
    // v1: the envelope with an empty "ops", then each op's text joined in place of it.
    const std::string envelope = protocol::Encode(*request);
    const size_t ops_at = envelope.find("\"ops\":[]") + 7;
    std::string text_body = envelope.substr(0, ops_at);
    for (const ChangeEntry& entry : entries) {
      if (entry.seq > last_seq) break;
      protocol::Op op = ToOp(entry, device);
      const std::string text = protocol::Encode(op);
      if (!request->ops.empty() &&
          envelope.size() + (text_body.size() - ops_at) + text.size() + 1 > max_bytes) {
        *full = true;
        break;
      }
      if (!request->ops.empty()) text_body += ',';
      text_body += text;
      request->ops.push_back(std::move(op));
    }
    text_body.append(envelope, ops_at, std::string::npos);
    return text_body;
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
  if (!run.EnrollDevice(TrimSpaces(code), device_name, &out.commune_id)) {
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
