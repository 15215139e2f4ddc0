#include "sync/hub/laptops_api.h"

#include <optional>
#include <string>
#include <vector>

#include "sync/protocol/errors.h"
#include "sync/protocol/laptops.h"

namespace gocua::hub {
namespace {

namespace p = gocua::protocol;

constexpr std::string_view kList = "/v1/laptops";
constexpr std::string_view kCode = "/v1/laptops/code";
constexpr std::string_view kRename = "/v1/laptops/rename";
constexpr std::string_view kRevoke = "/v1/laptops/revoke";
constexpr std::string_view kRetire = "/v1/retire";

p::LaptopInfo Info(const HubDevice& d) {
  return {d.device_id, d.name,    RoleName(d.role), d.enrolled_at,
          d.last_seen, d.revoked, d.replaced_by};
}

class Laptops {
 public:
  Laptops(HubApi& api, HubStore& store, const Clock& clock, const HubDevice& caller,
          LaptopCodeLimit& limit)
      : api_(api), store_(store), clock_(clock), caller_(caller), limit_(limit) {}

  ApiReply Serve(const ApiRequest& req) {
    if (req.method == "POST" && req.path == kRetire) return Retire(req.body);
    if (caller_.role != Role::kLeader)
      return api_.Error(p::kErrForbidden,
                        "Chỉ máy của trưởng nhóm mới quản lý được các máy của xã; hãy nhờ trưởng "
                        "nhóm làm việc này — only a leader's laptop may manage the commune's "
                        "laptops");
    if (req.method == "GET" && req.path == kList) return List();
    if (req.method == "POST" && req.path == kCode) return Code(req.body);
    if (req.method == "POST" && req.path == kRename) return Rename(req.body);
    if (req.method == "POST" && req.path == kRevoke) return Revoke(req.body);
    return api_.Error(p::kErrNotFound, "no such endpoint: " + req.method + " " + req.path +
                                           "; see docs/sync-protocol.md");
  }

 private:
  ApiReply Failed(const Status& s, std::string_view what) {
    if (!s.ok() && (s.code() == ErrorCode::kInvalidInput || s.code() == ErrorCode::kConflict))
      return api_.Error(p::kErrBadRequest, s.message());
    return api_.Error(p::kErrInternal, std::string(what) + " failed on the hub (" + s.message() +
                                           "); retry later, and tell the hub's admin if it "
                                           "keeps failing");
  }
  ApiReply BadRequest(const Status& s) { return api_.Error(p::WireCode(s), p::WireMessage(s)); }

  // The commune's devices, oldest enrolled first.
  Result<std::vector<HubDevice>> Commune() {
    auto all = store_.Devices();
    if (!all) return all.error();
    std::vector<HubDevice> out;
    for (HubDevice& d : *all)
      if (d.commune_id == caller_.commune_id) out.push_back(std::move(d));
    return out;
  }
  // The commune's device `id`; nullopt with *reply set (403, or 500) otherwise. Another
  // commune's device and an unknown id get the same answer.
  std::optional<HubDevice> Target(const std::string& id, ApiReply* reply) {
    auto list = Commune();
    if (!list) {
      *reply = Failed(list.error(), "listing the laptops");
      return std::nullopt;
    }
    for (HubDevice& d : *list)
      if (d.device_id == id) return std::move(d);
    *reply = api_.Error(p::kErrForbidden,
                        "Máy " + id +
                            " không thuộc xã của bạn; xem danh sách bằng 'gocua-cli laptops "
                            "list' — not a laptop of your commune");
    return std::nullopt;
  }
  ApiReply Laptop(const std::string& id) {
    ApiReply reply;
    std::optional<HubDevice> d = Target(id, &reply);
    if (!d) return reply;
    p::LaptopResponse out{Info(*d), clock_.NowMs()};
    return {200, p::Encode(out), {}};
  }

  ApiReply List() {
    auto list = Commune();
    if (!list) return Failed(list.error(), "listing the laptops");
    p::LaptopListResponse out;
    for (const HubDevice& d : *list) {
      if (out.laptops.size() == p::kMaxLaptopsListed) break;
      out.laptops.push_back(Info(d));
    }
    out.server_time = clock_.NowMs();
    return {200, p::Encode(out), {}};
  }

  ApiReply Code(const std::string& body) {
    auto m = p::DecodeLaptopCodeRequest(body);
    if (!m) return BadRequest(m.error());
    const int64_t ttl_ms = m->ttl_minutes * 60 * 1000;
    const int64_t now = clock_.NowMs();  // before the store's: the expiry is never late
    if (int64_t wait = limit_.Wait(caller_.commune_id, now); wait > 0) {
      const int64_t minutes = (wait + 59999) / 60000;
      return api_.Error(p::kErrRateLimited,
                        "Xã đã có quá nhiều mã đăng ký chưa dùng hoặc vừa cấp quá nhiều mã; hãy "
                        "dùng các mã đã cấp, hoặc thử lại sau " +
                            std::to_string(minutes) +
                            " phút — too many enrollment codes for this commune; use the codes "
                            "already issued or try again in " +
                            std::to_string(minutes) + " min");
    }
    auto code = store_.IssueEnrollmentCode(caller_.commune_id, ttl_ms, Role::kMember);
    if (!code) return Failed(code.error(), "issuing an enrollment code");
    limit_.Issued(caller_.commune_id, *code, now, now + ttl_ms);
    p::LaptopCodeResponse out{*code, caller_.commune_id, "member", now + ttl_ms, clock_.NowMs()};
    return {200, p::Encode(out), {}};
  }

  ApiReply Rename(const std::string& body) {
    auto m = p::DecodeLaptopRenameRequest(body);
    if (!m) return BadRequest(m.error());
    ApiReply reply;
    if (!Target(m->device_id, &reply)) return reply;
    if (Status s = store_.RenameDevice(m->device_id, m->name); !s)
      return Failed(s, "renaming the laptop");
    return Laptop(m->device_id);
  }

  ApiReply Revoke(const std::string& body) {
    auto m = p::DecodeLaptopRevokeRequest(body);
    if (!m) return BadRequest(m.error());
    ApiReply reply;
    std::optional<HubDevice> d = Target(m->device_id, &reply);
    if (!d) return reply;
    if (d->device_id == caller_.device_id)
      return api_.Error(p::kErrForbidden,
                        "Không thể thu hồi chính máy đang dùng; hãy thu hồi từ máy của trưởng "
                        "nhóm khác hoặc nhờ quản trị máy chủ — a laptop cannot revoke itself");
    if (!d->revoked)
      if (Status s = store_.RevokeDevice(d->device_id); !s) return Failed(s, "revoking the laptop");
    return Laptop(m->device_id);
  }

  ApiReply Retire(const std::string& body) {
    auto m = p::DecodeRetireRequest(body);
    if (!m) return BadRequest(m.error());
    if (m->replaced_by == caller_.device_id)
      return api_.Error(p::kErrBadRequest,
                        "replaced_by: is this device's own id; send the new id the laptop took");
    if (Status s = store_.RetireDevice(caller_.device_id, m->replaced_by); !s)
      return Failed(s, "retiring the device");
    p::RetireResponse out{caller_.device_id, m->replaced_by, clock_.NowMs()};
    return {200, p::Encode(out), {}};
  }

  HubApi& api_;
  HubStore& store_;
  const Clock& clock_;
  const HubDevice& caller_;
  LaptopCodeLimit& limit_;
};

}  // namespace

bool IsLaptopsPath(std::string_view path) {
  return path == kList || path == kCode || path == kRename || path == kRevoke || path == kRetire;
}

ApiReply ServeLaptops(HubApi& api, HubStore& store, const Clock& clock, const HubDevice& caller,
                      const ApiRequest& req, LaptopCodeLimit& limit) {
  return Laptops(api, store, clock, caller, limit).Serve(req);
}

}  // namespace gocua::hub
