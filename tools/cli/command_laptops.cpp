// laptops list|code|rename|revoke: a leader's laptop managing its commune's laptops on the hub
// (sync/client/laptops_client.h). The hub decides who may: a member's laptop, or a laptop of
// another commune, is refused there with its reason (docs/sync-protocol.md).
#include <ostream>

#include "platform/clock.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"
#include "sync/client/laptops_client.h"
#include "tools/cli/commands.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

namespace p = gocua::protocol;

// "2026-12-06 07:22 UTC", or "chưa — never" for 0.
std::string When(int64_t ms) {
  if (ms <= 0) return "chưa — never";
  return UtcTime(ms, "%Y-%m-%d %H:%M UTC");
}

std::string State(const p::LaptopInfo& l) {
  if (!l.replaced_by.empty()) return "đã thay — replaced by " + l.replaced_by;
  return l.revoked ? "đã thu hồi — revoked" : "đang dùng — active";
}

nlohmann::json ToJson(const p::LaptopInfo& l) {
  nlohmann::json j = {{"device_id", l.device_id}, {"name", l.name},
                      {"role", l.role},           {"enrolled_at", l.enrolled_at},
                      {"last_seen", l.last_seen}, {"revoked", l.revoked}};
  if (!l.replaced_by.empty()) j["replaced_by"] = l.replaced_by;
  return j;
}

// Runs `body` with a LaptopsClient for this laptop's hub and token.
template <typename F>
int WithClient(Context& ctx, F body) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto state = Replica(**db).State();
  if (!state) return ctx.Fail(state.error());
  if (state->token.empty())
    return ctx.Fail({ErrorCode::kNotFound,
                     "Máy này chưa đăng ký với máy chủ; chạy 'gocua-cli enroll' trước — this "
                     "laptop is not enrolled"});
  client::CurlOptions curl;
  curl.ca_file = state->ca_file;
  client::CurlTransport transport(curl);
  client::LaptopsClient laptops(transport, state->hub_url, state->token);
  return body(laptops);
}

int PrintLaptop(Context& ctx, const p::LaptopInfo& l, const char* done) {
  if (ctx.json()) return ctx.PrintJson(ToJson(l));
  ctx.out() << done << ": " << l.device_id << "  " << l.name << "  " << State(l) << "\n";
  return kExitOk;
}

int List(Context& ctx, const ParsedArgs&) {
  return WithClient(ctx, [&](client::LaptopsClient& c) {
    auto list = c.List();
    if (!list) return ctx.Fail(list.error());
    if (ctx.json()) {
      nlohmann::json j = nlohmann::json::array();
      for (const p::LaptopInfo& l : *list) j.push_back(ToJson(l));
      return ctx.PrintJson(j);
    }
    Table t({"Mã máy/Id", "Tên/Name", "Vai trò/Role", "Đồng bộ lần cuối/Last sync",
             "Trạng thái/State"});
    for (const p::LaptopInfo& l : *list)
      t.Add({l.device_id, l.name, l.role, When(l.last_seen), State(l)});
    t.Print(ctx.out());
    return kExitOk;
  });
}

int Code(Context& ctx, const ParsedArgs& a) {
  return WithClient(ctx, [&](client::LaptopsClient& c) {
    auto code = c.IssueMemberCode(a.GetInt("minutes", p::kDefaultLaptopCodeMinutes));
    if (!code) return ctx.Fail(code.error());
    if (ctx.json())
      return ctx.PrintJson({{"code", code->code},
                            {"role", code->role},
                            {"commune_id", code->commune_id},
                            {"expires_at", code->expires_at}});
    std::string shown = code->code;  // read out in two groups: "7K2M-9QXP"
    if (shown.size() == 8) shown.insert(4, "-");
    ctx.out() << "Mã đăng ký máy thành viên — member enrollment code:\n\n    " << shown
              << "\n\nHết hạn — expires: " << When(code->expires_at)
              << "\nDùng một lần: 'gocua-cli enroll --hub URL --code " << shown
              << "' — one use only\n";
    return kExitOk;
  });
}

int Rename(Context& ctx, const ParsedArgs& a) {
  return WithClient(ctx, [&](client::LaptopsClient& c) {
    auto l = c.Rename(a.positionals.at(0), a.positionals.at(1));
    if (!l) return ctx.Fail(l.error());
    return PrintLaptop(ctx, *l, "Đã đổi tên — renamed");
  });
}

int Revoke(Context& ctx, const ParsedArgs& a) {
  return WithClient(ctx, [&](client::LaptopsClient& c) {
    auto l = c.Revoke(a.positionals.at(0));
    if (!l) return ctx.Fail(l.error());
    const int rc = PrintLaptop(ctx, *l, "Đã thu hồi — revoked");
    if (!ctx.json())
      ctx.err() << "Máy này không đồng bộ được nữa; những gì nó chưa gửi sẽ không lên máy chủ — "
                   "that laptop can no longer sync; what it had not sent never reaches the hub\n";
    return rc;
  });
}

}  // namespace

std::vector<CommandSpec> LaptopsCommands() {
  const std::string leader_only = " (máy của trưởng nhóm — a leader's laptop)";
  return {
      {"laptops",
       "list",
       "các máy của xã: vai trò, tên, lần đồng bộ cuối, thu hồi — the commune's laptops" +
           leader_only,
       {},
       {},
       {"gocua-cli laptops list", "gocua-cli laptops list --json"},
       List},
      {"laptops",
       "code",
       "tạo mã đăng ký một lần cho máy thành viên mới — a one-time code for a new member's "
       "laptop" +
           leader_only,
       {},
       {Int("minutes", "N",
            "hiệu lực bao nhiêu phút (mặc định 60) — minutes the code stays valid (default 60)", 1,
            p::kMaxLaptopCodeMinutes)},
       {"gocua-cli laptops code", "gocua-cli laptops code --minutes 1440"},
       Code},
      {"laptops",
       "rename",
       "đổi tên một máy của xã — rename one of the commune's laptops" + leader_only,
       {{"DEVICE_ID", "mã máy (xem 'laptops list') — the laptop's id"},
        {"NAME", "tên mới — the new name", true, true}},
       {},
       {"gocua-cli laptops rename 0190a1b2-... Laptop tổ 3"},
       Rename},
      {"laptops",
       "revoke",
       "thu hồi một máy bị mất: nó không đồng bộ được nữa — revoke a lost laptop at once" +
           leader_only,
       {{"DEVICE_ID", "mã máy (xem 'laptops list') — the laptop's id"}},
       {},
       {"gocua-cli laptops revoke 0190a1b2-..."},
       Revoke},
  };
}

}  // namespace gocua::cli
