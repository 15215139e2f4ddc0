#include "sync/hub/api.h"

#include <cstddef>
#include <cstdio>
#include <utility>
#include <vector>

#include "sync/hub/laptops_api.h"
#include "sync/hub/pull_body.h"
#include "sync/ops/op_convert.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::hub {
namespace {

namespace p = gocua::protocol;

// `s` cut to at most `max` bytes without splitting a UTF-8 sequence.
std::string TruncateUtf8(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

p::Outcome ToWire(MergeOutcome o) {
  switch (o) {
    case MergeOutcome::kApplied:
      return p::Outcome::kApplied;
    case MergeOutcome::kMerged:
      return p::Outcome::kMerged;
    case MergeOutcome::kConflict:
      return p::Outcome::kConflict;
  }
  return p::Outcome::kMerged;
}

// The token of an "Authorization: Bearer <token>" header, or "" if it has none.
std::string BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = header[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return {};
  }
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

// A store failure as the wire sees it: the caller's fault is 400, anything else the hub's.
Status StoreError(const Status& s, std::string_view what) {
  if (s.code() == ErrorCode::kInvalidInput) return p::ProtocolError(p::kErrBadRequest, s.message());
  // The store's database cannot be reached (a PostgreSQL restart): 503, the client retries.
  if (s.code() == ErrorCode::kIo && s.message().find("PostgreSQL") != std::string::npos)
    return p::ProtocolError(p::kErrUnavailable, std::string(what) + " failed: " + s.message());
  return p::ProtocolError(p::kErrInternal,
                          std::string(what) + " failed on the hub (" + s.message() +
                              "); retry later, and tell the hub's admin if it keeps failing");
}

}  // namespace

ApiReply HubApi::Error(std::string_view code, std::string_view message) {
  return Fail(p::ProtocolError(code, message));
}

ApiReply HubApi::Fail(const Status& s) {
  p::ErrorBody body = p::ToErrorBody(s);
  if (body.code == p::kErrProtocolMismatch) body.supported_versions = versions_;
  return Reply(body);
}

ApiReply HubApi::Reply(const p::ErrorBody& body) {
  nlohmann::json j = p::ToJson(body);
  j["server_time"] = clock_.NowMs();
  // Messages may quote what a client sent; bytes that are not UTF-8 become U+FFFD.
  return {p::HttpStatusFor(body.code),
          j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
          {}};
}

ApiReply HubApi::Health() {
  Status reachable;
  {
    auto lock = StoreLock();
    reachable = store_.Ping();
  }
  if (!reachable)
    return Error(p::kErrUnavailable,
                 "Máy chủ đồng bộ tạm thời không dùng được cơ sở dữ liệu; các máy sẽ tự thử lại, "
                 "người quản trị hãy kiểm tra cơ sở dữ liệu — " +
                     reachable.message());
  p::HealthResponse r;
  r.supported_versions = versions_;
  r.server_time = clock_.NowMs();
  return {200, p::Encode(r), {}};
}

bool HubApi::Authenticate(const std::string& authorization, HubDevice* device, ApiReply* reply) {
  const std::string token = BearerToken(authorization);
  if (token.empty()) {
    *reply = Error(p::kErrUnauthorized,
                   "no token: send \"Authorization: Bearer <token>\" with the token from "
                   "enrollment, or enroll this device with a code from a leader");
    return false;
  }
  if (!p::IsToken(token)) {
    *reply = Error(p::kErrUnauthorized,
                   "this token is not one the hub hands out; enroll the device again with a "
                   "new code from a leader");
    return false;
  }
  Result<HubDevice> d = store_.Authenticate(token);
  if (!d) {
    if (d.error().code() == ErrorCode::kNotFound)
      *reply = Error(p::kErrUnauthorized,
                     "this device's token is unknown or was revoked; ask a leader for a new "
                     "enrollment code");
    else
      *reply = Fail(StoreError(d.error(), "checking the token"));
    return false;
  }
  *device = std::move(d).value();
  return true;
}

ApiReply HubApi::Enroll(const ApiRequest& req) {
  Result<p::EnrollRequest> m = p::DecodeEnrollRequest(req.body);
  if (!m) return Fail(m.error());
  if (Status s = p::CheckVersion(m->protocol, versions_); !s) return Fail(s);
  std::lock_guard<std::mutex> lock(mutex_);
  // `code_read`: the code was looked at and refused; else it was not looked at (still usable).
  auto limited = [&](int64_t wait_ms, bool code_read) {
    const std::string s = std::to_string((wait_ms + 999) / 1000);
    return Error(p::kErrRateLimited,
                 code_read
                     ? "Mã đăng ký không đúng, đã dùng hoặc hết hạn, và đã có quá nhiều lần "
                       "thử sai; chờ " +
                           s +
                           " giây rồi đăng ký lại với mã mới của trưởng "
                           "nhóm — the code was refused and too many codes were refused; wait " +
                           s + " s and enroll again with a new code from a leader"
                     : "Máy chủ tạm ngừng nhận đăng ký từ địa chỉ mạng này vì đã có quá "
                       "nhiều lần nhập mã sai từ đó; mã của bạn chưa bị dùng: chờ " +
                           s +
                           " giây rồi đăng ký lại với chính mã này — too many refused "
                           "enrollments from this network address (behind a proxy, the "
                           "hub needs --trusted-proxy); your code was not used: wait " +
                           s + " s and enroll again with it");
  };
  if (int64_t wait = enroll_limit_.AddressWait(req.remote_addr, clock_.NowMs()); wait > 0)
    return limited(wait, false);
  std::string code_commune;
  auto r = store_.Enroll(m->code, m->device_id, m->device_name, &code_commune);
  if (!r) {
    const Status& e = r.error();
    if (e.code() == ErrorCode::kNotFound || e.code() == ErrorCode::kConflict)
      if (int64_t wait = enroll_limit_.Refused(req.remote_addr, code_commune, clock_.NowMs());
          wait > 0)
        return limited(wait, true);
    if (e.code() == ErrorCode::kNotFound)
      return Error(p::kErrUnauthorized, "enrollment code " + m->code +
                                            " is unknown, already used or expired (" + e.message() +
                                            "); ask a leader for a new code");
    if (e.code() == ErrorCode::kConflict) {
      p::ErrorBody body = p::ToErrorBody(p::ProtocolError(
          p::kErrDeviceFork, "device " + m->device_id + " cannot be enrolled (" + e.message() +
                                 "); make a new device id and enroll again with a new code"));
      body.origin_device = m->device_id;
      return Reply(body);
    }
    return Fail(StoreError(e, "enrollment"));
  }
  code_limit_.Used(m->code);  // a leader's laptop may issue another
  p::EnrollResponse out;
  out.device_id = r->first.device_id;
  out.token = r->second;
  out.commune_id = r->first.commune_id;
  out.role = RoleName(r->first.role);
  out.server_time = clock_.NowMs();
  return {200, p::Encode(out), out.device_id};
}

ApiReply HubApi::Push(const ApiRequest& req) {
  auto lock = StoreLock();
  HubDevice device;
  ApiReply reply;
  if (!Authenticate(req.authorization, &device, &reply)) return reply;
  auto with_device = [&](ApiReply r) {
    r.device_id = device.device_id;
    return r;
  };

  // An op after the first of its run comes without the run's strings (PushOps).
  std::vector<bool> follows;
  Result<p::PushRequest> m = p::DecodePushRuns(req.body, versions_, &follows);
  if (!m) return with_device(Fail(m.error()));
  if (m->device_id != device.device_id)
    return with_device(Error(p::kErrBadRequest,
                             "device_id: " + m->device_id + " is not the device of this token (" +
                                 device.device_id + "); push with the device's own id"));

  std::vector<RemoteOp> ops;
  ops.reserve(m->ops.size());
  for (p::Op& op : m->ops) {
    // The origin is moved, not copied: an empty origin in m->ops is the device's (ApplyPush
    // applies nothing from any other, and EncodePushResponseV2 reads "" so).
    std::string origin = std::move(op.origin_device);
    op.origin_device.clear();
    RemoteOp& r = ops.emplace_back();
    sync_ops::ToRemoteOp(std::move(op), r);
    r.origin_device = std::move(origin);
  }
  Result<HubPushResult> r = store_.Push(device, PushOps(std::move(ops), std::move(follows)));
  if (!r) return with_device(Fail(StoreError(r.error(), "applying the push")));

  const PushRejection& rej = r->rejection;
  switch (rej.kind) {
    case PushRejection::Kind::kNone:
      break;
    case PushRejection::Kind::kSeqGap: {
      const std::string from = std::to_string(rej.expected_seq);
      p::ErrorBody body = p::ToErrorBody(p::ProtocolError(
          p::kErrSeqGap, (rej.message.empty() ? "expected seq " + from : rej.message) +
                             " from device " + rej.origin_device + "; push again from seq " +
                             from));
      body.expected_seq = rej.expected_seq;
      body.origin_device = rej.origin_device;
      return with_device(Reply(body));
    }
    case PushRejection::Kind::kDeviceFork: {
      p::ErrorBody body = p::ToErrorBody(p::ProtocolError(
          p::kErrDeviceFork,
          (rej.message.empty() ? "a seq of device " + rej.origin_device +
                                     " was already received with different content"
                               : rej.message) +
              "; this device was probably copied from another: enroll it again as a new "
              "device (its outbox is kept)"));
      body.origin_device = rej.origin_device;
      return with_device(Reply(body));
    }
    case PushRejection::Kind::kBadRequest:
      return with_device(Error(p::kErrBadRequest,
                               rej.message.empty() ? "the hub refused this batch" : rej.message));
  }

  if (r->outcomes.size() != m->ops.size())
    return with_device(Error(p::kErrInternal, "the hub answered " +
                                                  std::to_string(r->outcomes.size()) + " ops of " +
                                                  std::to_string(m->ops.size()) +
                                                  "; retry later and tell the hub's admin"));
  p::PushResponse out;
  out.results.reserve(r->outcomes.size());
  for (size_t i = 0; i < r->outcomes.size(); ++i) {
    const OpOutcome& o = r->outcomes[i];
    p::OpResult res;
    res.seq = m->ops[i].seq;
    if (o.quarantined) {
      res.outcome = p::Outcome::kQuarantined;
      res.reason = o.reason.empty() ? "quarantined by the hub for an admin to look at" : o.reason;
    } else {
      res.outcome = ToWire(o.outcome);
      res.reason = o.reason;
    }
    res.reason = TruncateUtf8(std::move(res.reason), p::kMaxReasonBytes);
    out.results.push_back(std::move(res));
  }
  out.acked_seq = r->acked_seq;
  out.server_time = clock_.NowMs();
  if (Status s = p::Validate(out); !s)
    return with_device(Error(p::kErrInternal, "the hub made an invalid reply (" + s.message() +
                                                  "); tell the hub's admin"));
  // The reply is in the push's version: v2 lists only the ops not applied.
  return with_device(
      {200, m->protocol == p::kProtocolV2 ? p::EncodePushResponseV2(*m, out) : p::Encode(out), {}});
}

ApiReply HubApi::Laptops(const ApiRequest& req) {
  // Always under mutex_, whatever the store: code_limit_ is checked and then counted (rare calls:
  // a leader's administration, never the sync path).
  std::lock_guard<std::mutex> lock(mutex_);
  HubDevice device;
  ApiReply reply;
  if (!Authenticate(req.authorization, &device, &reply)) return reply;
  reply = ServeLaptops(*this, store_, clock_, device, req, code_limit_);
  reply.device_id = device.device_id;
  return reply;
}

ApiReply HubApi::Pull(const ApiRequest& req) {
  auto lock = StoreLock();
  HubDevice device;
  ApiReply reply;
  if (!Authenticate(req.authorization, &device, &reply)) return reply;
  auto with_device = [&](ApiReply r) {
    r.device_id = device.device_id;
    return r;
  };

  Result<p::PullRequest> q = p::DecodePullQuery(req.after, req.limit, req.protocol);
  if (!q) return with_device(Fail(q.error()));
  if (Status s = p::CheckVersion(q->protocol, versions_); !s) return with_device(Fail(s));

  // Ops are written into the reply as the store reads them (pull_body.h); a page ends at
  // kMaxPullPageBytes too (at least one op), by the store's estimate of its ops' sizes.
  PullBody body(q->protocol, warnings_);
  p::PullResponse out;
  std::string cursor = q->after;
  for (;;) {
    Result<HubPullEnd> page =
        store_.PullInto(device, cursor, q->limit, p::kMaxPullPageBytes, body);
    if (!page) return with_device(Fail(StoreError(page.error(), "reading the log")));
    if (page->cursor_expired)
      return with_device(
          Error(p::kErrCursorExpired, "cursor " + cursor +
                                          " is not from this hub's log; download the commune again "
                                          "from the beginning"));
    out.next_cursor = std::move(page->next_cursor);
    out.has_more = page->has_more;
    // A page of nothing but unservable ops: go on to the next one rather than answer an empty
    // page with has_more.
    if (body.ops() > 0 || !out.has_more) break;
    cursor = out.next_cursor;
  }
  if (!out.has_more) {
    // The pull is complete: the device has synced. Its last contact, and everyone's for the
    // leaders' dashboard (docs/sync-protocol.md, "devices").
    if (Status s = store_.NoteContact(device.device_id); !s)
      return with_device(Fail(StoreError(s, "recording the device's contact")));
    auto devices = store_.CommuneDevices(device.commune_id);
    if (!devices) return with_device(Fail(StoreError(devices.error(), "listing devices")));
    for (const HubDevice& d : *devices) {
      if (out.devices.size() == p::kMaxDevicesListed) break;  // the oldest enrolled first
      out.devices.push_back({d.device_id, d.name, d.last_seen});
    }
  }
  out.server_time = clock_.NowMs();
  // Every op passed CheckOpContent in `body`: the rest of the page is checked here.
  Result<std::string> text = body.Finish(std::move(out));
  if (!text)
    return with_device(Error(p::kErrInternal, "the hub made an invalid page (" +
                                                  text.error().message() +
                                                  "); tell the hub's admin"));
  return with_device({200, std::move(text).value(), {}});
}

}  // namespace gocua::hub
