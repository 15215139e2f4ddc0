#include "sync/client/laptops_client.h"

#include "sync/client/sync_errors.h"
#include "sync/protocol/messages.h"

namespace gocua::client {
namespace {

namespace p = gocua::protocol;

// The hub's words in a refusal: its error body's message, or the bare HTTP status.
std::string HubMessage(const HttpResponse& r) {
  auto body = p::DecodeErrorBody(r.body);
  return body ? body->message : "HTTP " + std::to_string(r.status);
}

template <typename T>
Result<T> Decoded(Result<T> m) {
  if (!m) return BadReplyError(m.error());
  return m;
}

}  // namespace

Result<HttpResponse> LaptopsClient::Exchange(HttpRequest::Method method, const std::string& path,
                                             const std::string& body) {
  HttpRequest req;
  req.method = method;
  req.url = url_ + path;
  req.bearer_token = token_;
  req.body = body;
  last_status_ = 0;
  last_hub_message_.clear();
  auto sent = transport_.Send(req, nullptr);
  if (!sent) return NetworkError(url_, 1, sent.error());
  last_status_ = sent->status;
  if (sent->status != 200)
    if (auto e = p::DecodeErrorBody(sent->body)) last_hub_message_ = e->message;
  return sent;
}

Status LaptopsClient::Refusal(const HttpResponse& r, const std::string& path) const {
  if (r.status == 401) return UnauthorizedError(HubMessage(r));
  if (r.status == 403)
    return {ErrorCode::kInvalidInput,
            "Máy chủ không cho phép việc này: " + HubMessage(r) + " — the hub refused"};
  if (r.status == 404) return NotFoundError(url_, path);
  p::ErrorBody e;
  if (auto decoded = p::DecodeErrorBody(r.body))
    e = *decoded;
  else
    e.message = HubMessage(r);
  if (r.status == 429)  // the hub's limit on codes: its message says when to try again
    return {ErrorCode::kInvalidInput, "Máy chủ tạm từ chối: " + e.message + " — rate limited"};
  if (r.status >= 500) return HubFailingError(url_, 1, e, r.status);
  return RejectedError(r.status, e);
}

Result<std::string> LaptopsClient::Call(HttpRequest::Method method, const std::string& path,
                                        const std::string& body) {
  if (url_.empty() || token_.empty()) return NotEnrolledError();
  auto r = Exchange(method, path, body);
  if (!r) return r.error();
  if (r->status != 200) return Refusal(*r, path);
  return std::move(r->body);
}

Result<p::LaptopCodeResponse> LaptopsClient::IssueMemberCode(int64_t ttl_minutes) {
  p::LaptopCodeRequest m;
  m.ttl_minutes = ttl_minutes;
  auto body = Call(HttpRequest::Method::kPost, "/v1/laptops/code", p::Encode(m));
  if (!body) return body.error();
  return Decoded(p::DecodeLaptopCodeResponse(*body));
}

Result<std::vector<p::LaptopInfo>> LaptopsClient::List() {
  auto body = Call(HttpRequest::Method::kGet, "/v1/laptops", "");
  if (!body) return body.error();
  auto list = Decoded(p::DecodeLaptopListResponse(*body));
  if (!list) return list.error();
  return std::move(list->laptops);
}

Result<p::LaptopInfo> LaptopsClient::Rename(const std::string& device_id, const std::string& name) {
  p::LaptopRenameRequest m;
  m.device_id = device_id;
  m.name = name;
  auto body = Call(HttpRequest::Method::kPost, "/v1/laptops/rename", p::Encode(m));
  if (!body) return body.error();
  auto r = Decoded(p::DecodeLaptopResponse(*body));
  if (!r) return r.error();
  return std::move(r->laptop);
}

Result<p::LaptopInfo> LaptopsClient::Revoke(const std::string& device_id) {
  p::LaptopRevokeRequest m;
  m.device_id = device_id;
  auto body = Call(HttpRequest::Method::kPost, "/v1/laptops/revoke", p::Encode(m));
  if (!body) return body.error();
  auto r = Decoded(p::DecodeLaptopResponse(*body));
  if (!r) return r.error();
  return std::move(r->laptop);
}

Status LaptopsClient::RetireOldIdentity(const std::string& new_device_id) {
  if (url_.empty() || token_.empty()) return Status::Ok();  // never enrolled: nothing to retire
  p::RetireRequest m;
  m.replaced_by = new_device_id;
  auto r = Exchange(HttpRequest::Method::kPost, "/v1/retire", p::Encode(m));
  if (!r) return r.error();
  if (r->status == 200 || r->status == 401) return Status::Ok();
  return Refusal(*r, "/v1/retire");
}

}  // namespace gocua::client
