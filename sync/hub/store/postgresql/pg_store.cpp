// The PostgreSQL hub store: opening it, its transactions, and sync — Push runs the shared push
// policy (push_policy.h) through PgTxn; Pull pages the log with the shared pull policy
// (pull_page.h).
#include "sync/hub/store/postgresql/pg_store.h"

#include <chrono>
#include <random>
#include <thread>
#include <unordered_map>

#include "sync/hub/store/log_runs.h"
#include "sync/hub/store/postgresql/pg_hub_store.h"
#include "sync/hub/store/postgresql/pg_log.h"
#include "sync/hub/store/pull_page.h"
#include "sync/hub/store/push_policy.h"

namespace gocua {

bool IsPostgresUri(const std::string& store) {
  return store.rfind("postgresql://", 0) == 0 || store.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<HubStore>> OpenPostgresHubStore(const std::string& uri, const Clock& clock,
                                                       int connections) {
  auto c = pg::Conn::Open(uri);
  if (!c) return c.error();
  auto ids = pg::MigratePg(**c, clock.NowMs());
  if (!ids) return ids.error();
  return std::unique_ptr<HubStore>(std::make_unique<pg::PgHubStore>(
      uri, connections, std::move(c).value(), clock, std::move(ids).value()));
}

}  // namespace gocua

namespace gocua::pg {
using namespace hub_internal;

namespace {

// A kInternal error for an exception thrown inside a transaction (a bug, an allocation
// failure): the transaction is rolled back and the connection is ready for the next call.
template <typename F>
Status Guarded(F&& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return Status(ErrorCode::kInternal, std::string("the hub store failed: ") + e.what());
  } catch (...) {
    return Status(ErrorCode::kInternal, "the hub store failed (an unknown exception)");
  }
}

// A short random wait before trying a refused transaction again, longer each time.
void Backoff(int attempt) {
  thread_local std::minstd_rand rng(std::random_device{}());
  const int ms = std::min(attempt + 1, 20);
  std::this_thread::sleep_for(std::chrono::microseconds(rng() % (ms * 1000 + 1)));
}

}  // namespace

Status PgHubStore::Write(const std::function<Status(PgTxn&)>& body) {
  auto lease = pool_.Take();
  if (!lease) return lease.error();
  CurrentConn::Use use(**lease);
  for (int attempt = 0;; ++attempt) {
    if (Status s = c_->Begin("BEGIN ISOLATION LEVEL SERIALIZABLE"); !s) return s;
    Status st = Guarded([&]() -> Status {
      PgTxn txn(*c_, clock_, ids_);
      if (Status s = txn.Start(); !s) return s;
      if (Status s = body(txn); !s) return s;
      if (Status s = txn.Finish(); !s) return s;
      return c_->Commit();
    });
    if (st) return st;
    const bool again = c_->Retryable();
    c_->Rollback();
    if (!again || attempt + 1 >= kMaxTries) return st;
    Backoff(attempt);
  }
}

Status PgHubStore::Read(const std::function<Status()>& body) {
  auto lease = pool_.Take();
  if (!lease) return lease.error();
  CurrentConn::Use use(**lease);
  if (Status s = c_->Begin("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s) return s;
  Status st = Guarded([&]() -> Status {
    if (Status s = body(); !s) return s;
    return c_->Commit();
  });
  if (!st) c_->Rollback();
  return st;
}

Status PgHubStore::Ping() {
  return Read([&]() -> Status { return c_->Simple("SELECT 1", "health check"); });
}

Result<HubPushResult> PgHubStore::Push(const HubDevice& device, PushOps ops) {
  HubPushResult result;
  Status st = Write([&](PgTxn& txn) -> Status {
    result = HubPushResult();
    return ApplyPush(txn, device, ops, &result);  // a copy: a retry starts again from `ops`
  });
  if (!st) {
    if (result.rejection.kind != PushRejection::Kind::kNone) {
      result.outcomes.clear();
      return result;
    }
    return st;
  }
  return result;
}

Result<HubPullPage> PgHubStore::Pull(const HubDevice& device, const std::string& cursor,
                                     int limit) {
  HubPullPage out;
  Status st = Read([&]() -> Status {
    CursorPosition pos;
    if (CursorNamesPosition(cursor)) {
      auto max_seq = LastServerSeq(*c_);
      if (!max_seq) return max_seq.error();
      pos = ParseCursor(cursor, ids_.log_id, *max_seq);
      if (pos.expired) {
        out = HubPullPage();
        out.cursor_expired = true;
        return Status::Ok();
      }
    }
    // A device's own ops are skipped on an incremental pull (it holds them), but not on a
    // download from the start, so a device restored from an old backup gets them back.
    const std::string own = cursor.empty() ? std::string() : device.device_id;
    // Rows are runs (pg_log.h): the first row may start up to kMaxLogRun - 1 ops before the
    // cursor, and a page may end inside a row; ops at or before the cursor are skipped
    // (PullPageBuilder). The commune's rows and everyone's (0) are two ordered ranges of
    // hub_runs_scope, merged as they are read (with `commune IN (…, 0)` PostgreSQL sorted every
    // row after the cursor for each page).
    static const std::string part = std::string("(SELECT ") + kLogColumns +
                                    " FROM hub_log WHERE served AND server_seq > $2 AND origin "
                                    "<> " +
                                    IdOf("$3") + " AND commune = ";
    static const std::string sql = part + IdOf("$1") +
                                   " AND $1 <> '' ORDER BY server_seq LIMIT $4) UNION ALL " + part +
                                   "0 ORDER BY server_seq LIMIT $4) ORDER BY server_seq "
                                   "LIMIT $4";
    PullPageBuilder page(pos.after, limit);
    std::unordered_map<std::string, std::string> roles;  // member id → role, for Serves
    int64_t from = pos.after - (kMaxLogRun - 1);
    const int64_t chunk = static_cast<int64_t>(limit) + 1;
    std::vector<LogEntry> ops;
    while (!page.full()) {
      auto rows = c_->Query(sql, {device.commune_id, Int(from), own, Int(chunk)}, "pull");
      if (!rows) return rows.error();
      for (int r = 0; r < rows->size() && !page.full(); ++r) {
        ops.clear();
        if (Status s = ExpandRow(*rows, r, ops); !s) return s;
        from = ops.front().server_seq;
        for (LogEntry& e : ops) {
          if (device.role != Role::kLeader && NeedsMemberRole(e.op)) {
            auto it = roles.find(e.op.record_id);
            if (it == roles.end()) {
              auto role = c_->Query("SELECT role FROM members WHERE id = $1", {e.op.record_id},
                                    "member role");
              if (!role) return role.error();
              it = roles.emplace(e.op.record_id, role->empty() ? "" : role->Text(0, 0)).first;
            }
            if (!Serves(device, e.op, it->second)) {
              page.Skip(e);
              continue;
            }
          }
          if (!page.Offer(e)) break;
        }
      }
      if (rows->size() < chunk) break;
    }
    out = page.Finish(ids_.log_id);
    return Status::Ok();
  });
  if (!st) return st;
  return out;
}

}  // namespace gocua::pg
