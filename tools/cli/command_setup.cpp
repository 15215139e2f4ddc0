// init, status, topic list: the device itself and the catalog it carries.
#include <ostream>

#include "storage/core/change_log.h"
#include "storage/device/places.h"
#include "storage/device/topics.h"
#include "tools/cli/commands.h"
#include "tools/cli/record_json.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

int Init(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto commune = Places(**db).SetUpCommune(a.Get("province"), a.Get("commune"));
  if (!commune) return ctx.Fail(commune.error());
  if (ctx.json()) {
    nlohmann::json j = ToJson(*commune);
    j["province_name"] = a.Get("province");
    j["device_id"] = (*db)->device_id();
    return ctx.PrintJson(j);
  }
  ctx.out() << commune->id << "\n";
  return kExitOk;
}

int ShowStatus(Context& ctx, const ParsedArgs&) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  Database& d = **db;
  auto commune = Places(d).LocalCommune();
  if (!commune && commune.error().code() != ErrorCode::kNotFound) return ctx.Fail(commune.error());
  ChangeLog log(d);
  auto pending = log.PendingCount();
  if (!pending) return ctx.Fail(pending.error());
  auto last_seq = log.LastSeq();
  if (!last_seq) return ctx.Fail(last_seq.error());
  if (ctx.json()) {
    nlohmann::json j = {{"device_id", d.device_id()},
                        {"data_dir", ctx.data_dir()},
                        {"database", ctx.db_path()},
                        {"schema_version", d.SchemaVersion()},
                        {"commune", commune ? ToJson(*commune) : nlohmann::json()},
                        {"unsynced_changes", *pending},
                        {"last_seq", *last_seq}};
    return ctx.PrintJson(j);
  }
  std::ostream& o = ctx.out();
  o << "Mã thiết bị — device id:           " << d.device_id() << "\n";
  o << "Tệp dữ liệu — database:            " << ctx.db_path() << "\n";
  o << "Phiên bản lược đồ — schema:        " << d.SchemaVersion() << "\n";
  if (commune)
    o << "Xã — commune:                      " << commune->name << " (" << commune->id << ")\n";
  else
    o << "Xã — commune:                      chưa thiết lập, chạy 'gocua-cli init' — not set up\n";
  o << "Thay đổi chưa đồng bộ — unsynced:  " << *pending << "\n";
  return kExitOk;
}

int TopicList(Context& ctx, const ParsedArgs&) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  auto topics = Topics(**db).List();
  if (!topics) return ctx.Fail(topics.error());
  if (ctx.json()) {
    nlohmann::json j = nlohmann::json::array();
    for (const Topic& t : *topics) j.push_back(ToJson(t));
    return ctx.PrintJson(j);
  }
  Table t({"Mã/Code", "Kỹ năng/Skill", "Nội dung/Topic"});
  for (const Topic& topic : *topics) t.Add({topic.id, topic.skill, topic.name_vi});
  t.Print(ctx.out());
  ctx.out() << "\nKết quả — results: guided (đã hướng dẫn), done (đã thực hiện được), "
               "needs_followup (cần hỗ trợ thêm), no_conditions (chưa có điều kiện)\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> SetupCommands() {
  return {
      {"init",
       "",
       "thiết lập tỉnh và xã cho máy này (lần đầu) — set up this device's commune",
       {},
       {Text("province", "NAME", "tên tỉnh — province name", true),
        Text("commune", "NAME", "tên xã/phường — commune name", true)},
       {"gocua-cli init --province \"Quảng Ngãi\" --commune \"Xã Tịnh Khê\""},
       Init},
      {"status",
       "",
       "mã thiết bị, xã, phiên bản lược đồ, số thay đổi chưa đồng bộ — device status",
       {},
       {},
       {"gocua-cli status", "gocua-cli --data /media/usb/gocua status --json"},
       ShowStatus},
      {"topic",
       "list",
       "danh mục nội dung hướng dẫn — the topic catalog",
       {},
       {},
       {"gocua-cli topic list"},
       TopicList},
  };
}

}  // namespace gocua::cli
