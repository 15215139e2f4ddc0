// village add/list, member add/list: the commune's villages and its team.
#include <ostream>

#include "storage/device/members.h"
#include "storage/device/places.h"
#include "tools/cli/commands.h"
#include "tools/cli/record_json.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

int VillageAdd(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto v = Places(**db).AddVillage(a.positionals.at(0));
  if (!v) return ctx.Fail(v.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*v));
  ctx.out() << v->id << "\n";
  return kExitOk;
}

int VillageList(Context& ctx, const ParsedArgs&) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto villages = Places(**db).Villages();
  if (!villages) return ctx.Fail(villages.error());
  if (ctx.json()) {
    nlohmann::json j = nlohmann::json::array();
    for (const Village& v : *villages) j.push_back(ToJson(v));
    return ctx.PrintJson(j);
  }
  Table t({"Mã/Id", "Thôn/Village"});
  for (const Village& v : *villages) t.Add({v.id, v.name});
  t.Print(ctx.out());
  return kExitOk;
}

int MemberAdd(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  // A leader's work, refused by the hub from a member's laptop: said before it is written.
  auto may_lead = DeviceMayLead(**db);
  if (!may_lead) return ctx.Fail(may_lead.error());
  if (!*may_lead) return ctx.Fail(InvalidInput(kNotLeaderDevice));
  const Role role = a.Get("role", "member") == "leader" ? Role::kLeader : Role::kMember;
  auto m = Members(**db).Add(a.Get("name"), role, a.Get("pin"));
  if (!m) return ctx.Fail(m.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*m));
  ctx.out() << m->id << "\n";
  return kExitOk;
}

int MemberList(Context& ctx, const ParsedArgs&) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto members = Members(**db).List();
  if (!members) return ctx.Fail(members.error());
  if (ctx.json()) {
    nlohmann::json j = nlohmann::json::array();
    for (const Member& m : *members) j.push_back(ToJson(m));
    return ctx.PrintJson(j);
  }
  Table t({"Mã/Id", "Họ tên/Name", "Vai trò/Role"});
  for (const Member& m : *members) t.Add({m.id, m.name, RoleName(m.role)});
  t.Print(ctx.out());
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> PeopleCommands() {
  return {
      {"village",
       "add",
       "thêm thôn/ấp/bản/tổ dân phố — add a village",
       {{"NAME", "tên thôn — village name (words are joined: Thôn 1)", true, true}},
       {},
       {"gocua-cli village add \"Thôn An Phú\""},
       VillageAdd},
      {"village",
       "list",
       "danh sách thôn của xã — the commune's villages",
       {},
       {},
       {"gocua-cli village list --json"},
       VillageList},
      {"member",
       "add",
       "thêm thành viên tổ CNSCĐ — add a team member or leader",
       {},
       {Text("name", "NAME", "họ tên — full name", true),
        Choice("role", {"member", "leader"}, "vai trò (mặc định member) — role, default member"),
        Text("pin", "PIN", "mã PIN 4–8 chữ số — a 4 to 8 digit PIN", true)},
       {"gocua-cli member add --name \"Trần Thị Hoa\" --role leader --pin 2468"},
       MemberAdd},
      {"member",
       "list",
       "danh sách thành viên — the commune's members",
       {},
       {},
       {"gocua-cli member list"},
       MemberList},
  };
}

}  // namespace gocua::cli
