// visit add/list, review add: guidance sessions at households and leaders' decisions on them.
#include <map>
#include <ostream>

#include "storage/device/households.h"
#include "storage/device/visits.h"
#include "storage/device/members.h"
#include "tools/cli/commands.h"
#include "tools/cli/record_json.h"
#include "tools/cli/table.h"

namespace gocua::cli {
namespace {

int VisitAdd(Context& ctx, const ParsedArgs& a) {
  Visit v;
  for (const std::string& t : a.All("topic")) {
    const size_t eq = t.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == t.size())
      return ctx.Usage("--topic cần dạng MÃ=KẾT_QUẢ, ví dụ vneid=done, không phải '" + t +
                           "' — --topic needs CODE=RESULT",
                       "visit add");
    if (!v.topics.emplace(t.substr(0, eq), t.substr(eq + 1)).second)
      return ctx.Usage("--topic " + t.substr(0, eq) + " lặp lại — topic given twice", "visit add");
  }
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  v.household_id = a.Get("household");
  v.members = a.All("member");
  v.persons = a.All("person");
  v.minutes = static_cast<int>(a.GetInt("minutes", 0));
  v.visited_on = a.Get("date", LocalDate((*db)->clock().NowMs()));
  v.notes = a.Get("notes");
  v.followup_on = a.Get("followup");
  auto saved = Visits(**db).Save(v);
  if (!saved) return ctx.Fail(saved.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*saved));
  ctx.out() << saved->id << "\n";
  return kExitOk;
}

int VisitList(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  VisitQuery q;
  q.household_id = a.Get("household");
  q.member_id = a.Get("member");
  q.status = a.Get("status");
  q.from = a.Get("from");
  q.to = a.Get("to");
  q.limit = static_cast<int>(a.GetInt("limit", 100));
  q.offset = static_cast<int>(a.GetInt("offset", 0));
  auto visits = Visits(**db).List(q);
  if (!visits) return ctx.Fail(visits.error());
  if (ctx.json()) {
    nlohmann::json j = nlohmann::json::array();
    for (const Visit& v : *visits) j.push_back(ToJson(v));
    return ctx.PrintJson(j);
  }
  Households households(**db);
  std::map<std::string, std::string> head;  // household id → head name
  Table t({"Mã/Id", "Ngày/Date", "Chủ hộ/Head", "Phút/Min", "Nội dung/Topics", "Trạng thái/Status",
           "Hẹn lại/Follow-up"},
          {false, false, false, true, false, false, false});
  for (const Visit& v : *visits) {
    if (!head.count(v.household_id)) {
      auto h = households.Get(v.household_id);
      head[v.household_id] = h ? h->head_name : "?";
    }
    std::string topics;
    for (const auto& [code, result] : v.topics)
      topics += (topics.empty() ? "" : " ") + code + "=" + result;
    t.Add({v.id, v.visited_on, head[v.household_id], std::to_string(v.minutes), topics, v.status,
           v.followup_on});
  }
  t.Print(ctx.out());
  return kExitOk;
}

int ReviewAdd(Context& ctx, const ParsedArgs& a) {
  auto db = ctx.Db();
  if (!db) return ctx.Fail(db.error());
  // A leader's work, refused by the hub from a member's laptop: said before it is written.
  auto may_lead = DeviceMayLead(**db);
  if (!may_lead) return ctx.Fail(may_lead.error());
  if (!*may_lead) return ctx.Fail(InvalidInput(kNotLeaderDevice));
  auto r =
      Reviews(**db).Decide(a.Get("visit"), a.Get("leader"), a.Get("decision"), a.Get("comment"));
  if (!r) return ctx.Fail(r.error());
  if (ctx.json()) return ctx.PrintJson(ToJson(*r));
  ctx.out() << r->id << "\n";
  return kExitOk;
}

}  // namespace

std::vector<CommandSpec> VisitCommands() {
  return {
      {"visit",
       "add",
       "ghi một lượt hướng dẫn tại hộ — record a visit",
       {},
       {Text("household", "ID", "mã hộ — household id", true),
        Text("member", "ID",
             "thành viên đi thăm; người đầu tiên là người ghi — member id; the first records it",
             true, true),
        Text("person", "ID", "người được hướng dẫn — person guided", false, true),
        Text("topic", "CODE=RESULT",
             "nội dung=kết quả: guided|done|needs_followup|no_conditions (xem 'topic list') — "
             "topic and result",
             true, true),
        Int("minutes", "N", "thời gian (phút) — duration in minutes", 1, 600, true),
        Date("date", "ngày thăm (mặc định hôm nay) — visit date, default today"),
        Text("notes", "T", "ghi chú — notes"), Date("followup", "hẹn quay lại — follow-up date")},
       {"gocua-cli visit add --household H --member M1 --member M2 --person P "
        "--topic vneid=done --topic safety=guided --minutes 45 --followup 2025-10-15"},
       VisitAdd},
      {"visit",
       "list",
       "danh sách lượt thăm, mới nhất trước — visits, newest first",
       {},
       {Text("household", "ID", "chỉ hộ này — only this household"),
        Choice("status", {"pending", "approved", "returned"},
               "chờ duyệt, đã duyệt, cần sửa — review state"),
        Text("member", "ID", "có thành viên này — visits this member took part in"),
        Date("from", "từ ngày — on or after"), Date("to", "đến ngày — on or before"),
        Int("limit", "N", "tối đa N (mặc định 100) — at most N (default 100)", 1, 10000),
        Int("offset", "N", "bỏ qua N lượt đầu — skip the first N", 0, 100000000)},
       {"gocua-cli visit list --status pending", "gocua-cli visit list --member M --json"},
       VisitList},
      {"review",
       "add",
       "tổ trưởng duyệt hoặc trả lại lượt thăm — a leader approves or returns a visit",
       {},
       {Text("visit", "ID", "mã lượt thăm — visit id", true),
        Text("leader", "ID", "mã tổ trưởng/lãnh đạo — leader's member id", true),
        Choice("decision", {"approved", "returned"}, "duyệt hoặc trả lại — decision", true),
        Text("comment", "T", "lý do (bắt buộc khi trả lại) — required to return")},
       {"gocua-cli review add --visit V --leader L --decision returned "
        "--comment \"Thiếu người được hướng dẫn\""},
       ReviewAdd},
  };
}

}  // namespace gocua::cli
