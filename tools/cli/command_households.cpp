// household add/list, person add, search: the household register.
#include <map>
#include <ostream>

#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "tools/cli/commands.h"
#include "tools/cli/record_json.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

// Prints households as a table (village names looked up) or a JSON array.
int PrintHouseholds(Context& ctx, Database& db, const std::vector<Household>& hs) {
  auto villages = Places(db).Villages();
  if (!villages) return ctx.Fail(villages.error());
  std::map<std::string, std::string> name;
  for (const Village& v : *villages) name[v.id] = v.name;
  if (ctx.json()) {
    nlohmann::json j = nlohmann::json::array();
    for (const Household& h : hs) {
      j.push_back(ToJson(h));
      j.back()["village_name"] = name[h.village_id];
    }
    return ctx.PrintJson(j);
  }
  Table t({"Mã/Id", "Thôn/Village", "Chủ hộ/Head", "Địa chỉ/Address", "SĐT/Phone", "NK", "LĐ",
           "ĐTTM", "Internet"},
          {false, false, false, false, false, true, true, true, false});
  for (const Household& h : hs)
    t.Add({h.id, name[h.village_id], h.head_name, h.address, h.phone,
           std::to_string(h.members_count), std::to_string(h.working_age_count),
           std::to_string(h.smartphones), h.home_internet ? "Có" : "Không"});
  t.Print(ctx.out());
  if (t.size())
    ctx.out() << "NK = nhân khẩu — members; LĐ = độ tuổi lao động — working age; "
                 "ĐTTM = điện thoại thông minh — smartphones\n";
  return kExitOk;
}

int HouseholdAdd(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  Household h;
  h.village_id = a.Get("village");  // an id or a name; Validate resolves it
  h.head_name = a.Get("head");
  h.address = a.Get("address");
  h.phone = a.Get("phone");
  h.members_count = static_cast<int>(a.GetInt("members", 0));
  h.working_age_count = static_cast<int>(a.GetInt("working-age", 0));
  h.smartphones = static_cast<int>(a.GetInt("smartphones", 0));
  h.home_internet = a.Get("internet", "no") == "yes";
  auto added = Households(**db).Add(h);
  if (!added) return ctx.Fail(added.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*added));
  ctx.out() << added->id << "\n";
  return kExitOk;
}

int HouseholdList(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  HouseholdQuery q;
  if (a.Has("village")) {
    auto v = Places(**db).FindVillage(a.Get("village"));
    if (!v) return ctx.Fail(v.error());
    q.village_id = v->id;
  }
  q.limit = static_cast<int>(a.GetInt("limit", 100));
  q.offset = static_cast<int>(a.GetInt("offset", 0));
  Households households(**db);
  auto hs = households.List(q);
  if (!hs) return ctx.Fail(hs.error());
  if (int rc = PrintHouseholds(ctx, **db, *hs); rc != kExitOk || ctx.json()) return rc;
  auto total = households.Count(q.village_id);
  if (!total) return ctx.Fail(total.error());
  const int64_t shown_to = q.offset + static_cast<int64_t>(hs->size());
  if (shown_to < *total)
    ctx.out() << "(" << hs->size() << "/" << *total << " hộ; xem tiếp: --offset " << shown_to
              << " — more with --offset " << shown_to << ")\n";
  return kExitOk;
}

int PersonAdd(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  Person p;
  p.household_id = a.Get("household");
  p.name = a.Get("name");
  p.birth_year = static_cast<int>(a.GetInt("birth-year", 0));
  p.sex = a.Get("sex");
  auto added = Persons(**db).Add(p);
  if (!added) return ctx.Fail(added.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*added));
  ctx.out() << added->id << "\n";
  return kExitOk;
}

int Search(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto hs = Households(**db).Search(a.positionals.at(0), static_cast<int>(a.GetInt("limit", 50)));
  if (!hs) return ctx.Fail(hs.error());
  return PrintHouseholds(ctx, **db, *hs);
}

OptionSpec Count(const char* name, const char* help) { return Int(name, "N", help, 0, 1000); }

}  // namespace

std::vector<CommandSpec> HouseholdCommands() {
  return {
      {"household",
       "add",
       "thêm hộ gia đình — add a household",
       {},
       {Text("village", "V", "tên hoặc mã thôn — village name or id", true),
        Text("head", "NAME", "họ tên chủ hộ — head of household", true),
        Text("address", "A", "số nhà, ngõ/xóm — house number, lane"),
        Text("phone", "P", "số điện thoại — phone (9–15 digits)"),
        Count("members", "số nhân khẩu — people in the household"),
        Count("working-age", "số người trong độ tuổi lao động — of working age"),
        Count("smartphones", "số điện thoại thông minh — smartphones"),
        Choice("internet", {"yes", "no"}, "có internet tại nhà — home internet")},
       {"gocua-cli household add --village \"Thôn An Phú\" --head \"Nguyễn Văn Đức\" "
        "--address \"12 ngõ 3\" --phone 0912345678 --members 4 --working-age 2 "
        "--smartphones 2 --internet yes"},
       HouseholdAdd},
      {"household",
       "list",
       "danh sách hộ, theo thôn rồi tên chủ hộ — households, by village then head",
       {},
       {Text("village", "V", "chỉ thôn này — only this village"),
        Int("limit", "N", "tối đa N hộ (mặc định 100) — at most N (default 100)", 1, 10000),
        Int("offset", "N", "bỏ qua N hộ đầu — skip the first N", 0, 100000000)},
       {"gocua-cli household list --village \"Thôn An Phú\" --limit 20 --offset 40"},
       HouseholdList},
      {"person",
       "add",
       "thêm người trong hộ — add a person to a household",
       {},
       {Text("household", "ID", "mã hộ — household id", true),
        Text("name", "NAME", "họ tên — full name", true),
        Int("birth-year", "YYYY", "năm sinh — birth year", 1900, 9999, true),
        Choice("sex", {"male", "female", "other"}, "giới tính — sex", true)},
       {"gocua-cli person add --household H --name \"Nguyễn Thị Lan\" --birth-year 1968 "
        "--sex female"},
       PersonAdd},
      {"search",
       "",
       "tìm hộ theo tên, địa chỉ, SĐT, không cần dấu — find households, ignoring case and "
       "diacritics",
       {{"TEXT", "từ cần tìm — words to find (\"nguyen van duc\" finds Nguyễn Văn Đức)", true,
         true}},
       {Int("limit", "N", "tối đa N hộ (mặc định 50) — at most N (default 50)", 1, 10000)},
       {"gocua-cli search nguyen van duc", "gocua-cli search 0912 --json"},
       Search},
  };
}

}  // namespace gocua::cli
