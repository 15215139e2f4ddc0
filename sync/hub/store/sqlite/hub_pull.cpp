// The SQLite hub store's pull (sync/hub/store/hub_store.h): reads the log by scope, its rows
// straight into views (hub_log_read.h), and pages them with the pull policy (pull_page.h) in
// one pass, the page's size limit included. Pull() is the same page collected into ops.
#include <cstdint>
#include <unordered_map>

#include "sync/hub/store/pull_page.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_log_read.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"

namespace gocua {
using namespace hub_internal;
namespace {

// The server seq of the log's last op, 0 for an empty log.
Result<int64_t> LastServerSeq(Database::Impl& d) {
  Status st;
  auto q =
      d.Prepare("SELECT server_seq + n - 1 FROM hub_runs ORDER BY server_seq DESC LIMIT 1", &st);
  if (!q) return st;
  const int rc = q->Step();
  if (rc == SQLITE_DONE) return int64_t{0};
  if (rc != SQLITE_ROW) return d.Error("hub log end", rc);
  return q->Int(0);
}

// Collects a page's ops as Pull() gives them.
class Collect final : public PullSink {
 public:
  explicit Collect(HubPullPage& page) : page_(page) {}
  void Add(const PulledOpView& v) override {
    RemoteOp op;
    op.origin_device = v.origin_device;
    op.seq = v.seq;
    op.record_type = v.record_type;
    op.record_id = v.record_id;
    op.field = v.field;
    op.value = v.value ? *v.value : nlohmann::json::parse(v.value_text, nullptr, false);
    op.base = {v.base_hlc, std::string(v.base_device)};
    op.hlc = v.hlc;
    op.author = v.author;
    op.seen = {v.seen_hlc, std::string(v.seen_device)};
    page_.ops.emplace_back(v.server_seq, std::move(op));
    page_.value_bytes.push_back(v.value_bytes);
  }

 private:
  HubPullPage& page_;
};

}  // namespace

Result<HubPullPage> SqliteHubStore::Pull(const HubDevice& device, const std::string& cursor,
                                         int limit) {
  HubPullPage page;
  Collect collect(page);
  auto end = PullInto(device, cursor, limit, SIZE_MAX, collect);
  if (!end) return end.error();
  page.next_cursor = std::move(end->next_cursor);
  page.has_more = end->has_more;
  page.cursor_expired = end->cursor_expired;
  return page;
}

Result<HubPullEnd> SqliteHubStore::PullInto(const HubDevice& device, const std::string& cursor,
                                            int limit, size_t max_bytes, PullSink& sink) {
  Database::Impl& d = db_->impl();
  auto log_id = d.ReadMeta("hub_log_id");
  if (!log_id) return log_id.error();
  CursorPosition pos;
  if (CursorNamesPosition(cursor)) {
    auto max_seq = LastServerSeq(d);
    if (!max_seq) return max_seq.error();
    pos = ParseCursor(cursor, *log_id, *max_seq);
    if (pos.expired) {
      HubPullEnd end;
      end.cursor_expired = true;
      return end;
    }
  }
  Status st;
  // Rows are runs (hub_internal.h): the first row may start up to kMaxLogRun - 1 ops before
  // the cursor, and a page may end inside a row; ops at or before the cursor are skipped.
  // The commune's rows and everyone's are two ordered ranges of hub_runs_scope, merged as they
  // are read: `commune IN (?1, 0)` sorted every remaining row of the log for each page. Rows
  // are read from hub_runs, their ids' texts looked up once per pull (hub_log_read.h).
  auto number = [&](const std::string& text) -> Result<int64_t> {
    auto id = FindTextId(d, text);
    if (!id) return id.error();
    return *id == 0 && !text.empty() ? int64_t{-1} : *id;  // -1: a text the log never held
  };
  auto commune = number(device.commune_id);
  if (!commune) return commune.error();
  // A device's own ops are skipped on an incremental pull (it holds them), but not on a
  // download from the start, so a device restored from an old backup gets them back.
  auto own = number(cursor.empty() ? std::string() : device.device_id);
  if (!own) return own.error();
  // Two statements, merged here by server_seq: as one UNION ALL … ORDER BY, SQLite copied
  // every row through a co-routine's registers.
  const std::string part =
      std::string("SELECT ") + kRunColumns + " FROM hub_runs WHERE served = 1 AND commune = ";
  const std::string rest = " AND server_seq > ?2 AND origin <> ?3 ORDER BY server_seq";
  auto mine = d.Prepare(part + "?1" + rest, &st);
  if (!mine) return st;
  auto everyone = d.Prepare(part + "0" + rest, &st);
  if (!everyone) return st;
  for (Stmt* q : {mine.get(), everyone.get()})
    q->Bind(1, *commune).Bind(2, pos.after - (kMaxLogRun - 1)).Bind(3, *own);
  PullPageBuilder page(pos.after, limit, max_bytes);
  std::unordered_map<std::string, std::string> roles;  // member id -> role, for Serves
  auto role_of = [&](std::string_view member) -> Result<std::string> {
    if (auto it = roles.find(std::string(member)); it != roles.end()) return it->second;
    Status s;
    auto r = d.Prepare("SELECT role FROM members WHERE id = ?", &s);
    if (!r) return s;
    r->Bind(1, std::string(member));
    const int step = r->Step();
    if (step != SQLITE_ROW && step != SQLITE_DONE) return d.Error("member role", step);
    return roles[std::string(member)] = step == SQLITE_ROW ? r->Text(0) : std::string();
  };
  Status failed;
  auto take = [&](const PulledOpView& v) {
    if (device.role != Role::kLeader && NeedsMemberRole(v.record_type, v.field)) {
      auto role = role_of(v.record_id);
      if (!role) {
        failed = role.error();
        return false;
      }
      if (!Serves(device, v.record_type, v.field, *role)) {
        page.Skip(v.server_seq);
        return true;
      }
    }
    switch (page.Admit(v.server_seq, PullOpBytes(v))) {
      case PullPageBuilder::Verdict::kPass:
        return true;
      case PullPageBuilder::Verdict::kFull:
        return false;
      case PullPageBuilder::Verdict::kTake:
        break;
    }
    sink.Add(v);
    return true;
  };
  LogRowViews rows;
  int rc_mine = mine->Step(), rc_everyone = everyone->Step();
  while (!page.full()) {
    for (int rc : {rc_mine, rc_everyone})
      if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("pull", rc);
    const bool row_mine = rc_mine == SQLITE_ROW, row_everyone = rc_everyone == SQLITE_ROW;
    if (!row_mine && !row_everyone) break;
    const bool from_mine = row_mine && (!row_everyone || mine->Int(0) <= everyone->Int(0));
    Stmt* q = from_mine ? mine.get() : everyone.get();
    if (Status s = rows.Read(d, *q, take); !s) return s;
    if (!failed) return failed;
    (from_mine ? rc_mine : rc_everyone) = q->Step();
  }
  return page.End(*log_id);
}

}  // namespace gocua
