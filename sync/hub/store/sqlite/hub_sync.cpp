// The SQLite hub store's side of sync (sync/hub/store/hub_store.h): Push runs the push
// policy (push_policy.h) in one transaction through SqliteTxn; Pull reads the log by scope
// and pages it with the pull policy (pull_page.h).
#include "sync/hub/store/pull_page.h"
#include "sync/hub/store/push_policy.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_txn.h"

namespace gocua {
using namespace hub_internal;
namespace {

// PRAGMA data_version: it changes when another connection (an admin command, another
// process) commits to the file, and only then.
Result<int64_t> DataVersion(Database::Impl& d) {
  Status st;
  static const std::string kSql = "PRAGMA data_version";
  auto q = d.Prepare(kSql, &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("data version", rc);
  return q->Int(0);
}

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

}  // namespace

ScopeCache& SqliteHubStore::KeptScopes(int64_t data_version) {
  if (!scopes_ || data_version != scopes_version_ || scopes_->size() > kMaxKeptScopes)
    scopes_ = std::make_unique<ScopeCache>();
  scopes_version_ = data_version;
  scopes_->ForgetUnseen();
  return *scopes_;
}

Result<HubPushResult> SqliteHubStore::Push(const HubDevice& device, std::vector<RemoteOp> ops) {
  Database::Impl& d = db_->impl();
  HubPushResult result;
  Status st = Transact(d, [&]() -> Status {
    auto version = DataVersion(d);
    if (!version) return version.error();
    SqliteTxn txn(d, KeptScopes(*version));
    if (Status s = ApplyPush(txn, device, std::move(ops), &result); !s) return s;
    return txn.Finish();
  });
  if (!st) {
    scopes_.reset();  // it may hold scopes that the rollback took back
    if (result.rejection.kind != PushRejection::Kind::kNone) {
      result.outcomes.clear();
      return result;
    }
    return st;
  }
  return result;
}

Result<HubPullPage> SqliteHubStore::Pull(const HubDevice& device, const std::string& cursor,
                                         int limit) {
  Database::Impl& d = db_->impl();
  auto log_id = d.ReadMeta("hub_log_id");
  if (!log_id) return log_id.error();
  CursorPosition pos;
  if (CursorNamesPosition(cursor)) {
    auto max_seq = LastServerSeq(d);
    if (!max_seq) return max_seq.error();
    pos = ParseCursor(cursor, *log_id, *max_seq);
    if (pos.expired) {
      HubPullPage page;
      page.cursor_expired = true;
      return page;
    }
  }
  Status st;
  // Rows are runs (hub_internal.h): the first row may start up to kMaxLogRun - 1 ops before
  // the cursor, and a page may end inside a row; ops at or before the cursor are skipped.
  // The commune's rows and everyone's are two ordered ranges of hub_log_scope, merged as they
  // are read: `commune_id IN (?1, '')` sorted every remaining row of the log for each page.
  const std::string part =
      std::string("SELECT ") + kLogColumns + " FROM hub_log WHERE served = 1 AND commune_id = ";
  const std::string rest = " AND server_seq > ?2 AND origin_device <> ?3";
  auto q = d.Prepare(
      part + "?1" + rest + " UNION ALL " + part + "''" + rest + " ORDER BY server_seq", &st);
  if (!q) return st;
  // A device's own ops are skipped on an incremental pull (it holds them), but not on a
  // download from the start, so a device restored from an old backup gets them back.
  q->Bind(1, device.commune_id).Bind(2, pos.after - (kMaxLogRun - 1));
  q->Bind(3, cursor.empty() ? std::string() : device.device_id);
  PullPageBuilder page(pos.after, limit);
  std::unordered_map<std::string, std::string> roles;  // member id -> role, for Serves
  auto role_of = [&](const std::string& member) -> Result<std::string> {
    if (auto it = roles.find(member); it != roles.end()) return it->second;
    Status s;
    auto r = d.Prepare("SELECT role FROM members WHERE id = ?", &s);
    if (!r) return s;
    r->Bind(1, member);
    const int step = r->Step();
    if (step != SQLITE_ROW && step != SQLITE_DONE) return d.Error("member role", step);
    return roles[member] = step == SQLITE_ROW ? r->Text(0) : std::string();
  };
  int rc = SQLITE_DONE;
  while (!page.full() && (rc = q->Step()) == SQLITE_ROW) {
    auto ops = ExpandLogRow(*q, LogRead::kServed);
    if (!ops) return ops.error();
    for (LogEntry& e : *ops) {
      if (device.role != Role::kLeader && NeedsMemberRole(e.op)) {
        auto role = role_of(e.op.record_id);
        if (!role) return role.error();
        if (!Serves(device, e.op, *role)) {
          page.Skip(e);
          continue;
        }
      }
      if (!page.Offer(e)) break;
    }
  }
  if (!page.full() && rc != SQLITE_DONE) return d.Error("pull", rc);
  return page.Finish(*log_id);
}

}  // namespace gocua
