// reset-device: a new identity for this laptop, leader only (docs/architecture.md, "Device
// recovery"). The leader's PIN is checked under the lockout rules (app/core/pin_lockout.h).
// Then the hub is told, with the old identity's token, that the old id is retired (replaced by
// the new one): its token refused from then on, listed as replaced (sync/client/
// laptops_client.h). Offline, the reset still happens and the leader is told how to revoke
// the old id later.
#include <ostream>

#include "app/core/pin_lockout.h"
#include "platform/clock.h"
#include "storage/device/device_reset.h"
#include "storage/device/members.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"
#include "sync/client/laptops_client.h"
#include "tools/cli/commands.h"

namespace gocua::cli {
namespace {

// The leader `member_id` with the right `pin`, under the lockout; otherwise why not.
Status CheckLeader(Database& d, const Clock& clock, const std::string& member_id,
                   const std::string& pin) {
  auto m = Members(d).Get(member_id);
  if (!m)
    return {ErrorCode::kNotFound,
            "Không có thành viên " + member_id + "; xem 'gocua-cli member list' — no such member"};
  if (m->role != Role::kLeader)
    return {ErrorCode::kInvalidInput,
            "Chỉ trưởng nhóm mới được đặt lại máy; hãy nhờ trưởng nhóm làm việc này — only a "
            "leader may reset the device"};
  auto check = app::CheckPinWithLockout(d, clock, member_id, pin);
  if (!check) return check.error();
  if (check->verdict == app::PinVerdict::kLocked || check->wait_ms > 0)
    return {ErrorCode::kInvalidInput, app::LockoutMessage(check->wait_ms)};
  if (check->verdict != app::PinVerdict::kRight)
    return {ErrorCode::kInvalidInput, "Sai mã PIN; hãy thử lại — wrong PIN"};
  return Status::Ok();
}

int ResetDevice(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  Database& d = **db;
  SystemClock clock;
  if (Status st = CheckLeader(d, clock, a.Get("leader"), a.Get("pin")); !st) return ctx.Fail(st);
  auto state = Replica(d).State();  // the old identity's hub and token, before they go
  if (!state) return ctx.Fail(state.error());
  auto reset = ResetDeviceIdentity(d);
  if (!reset) return ctx.Fail(reset.error());
  client::CurlOptions curl;
  curl.ca_file = state->ca_file;
  client::CurlTransport transport(curl);
  const Status retired = client::LaptopsClient(transport, state->hub_url, state->token)
                             .RetireOldIdentity(reset->new_device_id);
  if (!retired)
    ctx.err() << "Chưa báo được máy chủ rằng mã cũ " << reset->old_device_id << " đã được thay ("
              << retired.message() << "). Trưởng nhóm hãy thu hồi nó: 'gocua-cli laptops revoke "
              << reset->old_device_id << "' — the hub still lists the old id; revoke it\n";
  if (ctx.json())
    return ctx.PrintJson({{"old_device_id", reset->old_device_id},
                          {"device_id", reset->new_device_id},
                          {"kept_changes", reset->kept_changes},
                          {"old_retired_on_hub", retired.ok() && !state->token.empty()}});
  std::ostream& o = ctx.out();
  o << "Mã thiết bị mới — new device id:   " << reset->new_device_id << "\n";
  o << "Mã cũ — old device id:             " << reset->old_device_id << "\n";
  o << "Thay đổi chưa gửi được giữ — kept: " << reset->kept_changes << "\n";
  o << "Hãy xin trưởng nhóm một mã đăng ký mới rồi chạy 'gocua-cli enroll --hub URL --code "
       "MÃ' — ask for a new enrollment code and enroll again; the kept changes are sent then\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> DeviceCommands() {
  return {
      {"reset-device",
       "",
       "đặt lại mã thiết bị (trưởng nhóm), giữ thay đổi chưa gửi; sau đó đăng ký lại — give "
       "this device a new identity (leader only), keeping unsent changes; then enroll again",
       {},
       {Text("leader", "ID", "mã thành viên của trưởng nhóm — the leader's member id", true),
        Text("pin", "PIN", "mã PIN của trưởng nhóm — the leader's PIN", true)},
       {"gocua-cli reset-device --leader 0190a1b2-... --pin 2468"},
       ResetDevice},
  };
}

}  // namespace gocua::cli
