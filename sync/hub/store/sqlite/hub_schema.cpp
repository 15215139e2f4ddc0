// The SQLite hub store's schema and migrations (sync/hub/store/sqlite/hub_schema.h): Migrate
// runs the steps (hub_schema_steps.h: schema 1..6 in hub_schema_v1_v6.cpp, steps 7..11 in
// hub_schema_v7_v11.cpp, 12 and 13 here) in one transaction; RewriteLogRows then rewrites the
// log's rows of an upgraded file, batch by batch.
#include "sync/hub/store/sqlite/hub_schema.h"

#include <string>
#include <vector>

#include "storage/core/ids.h"
#include "sync/hub/store/log_binary.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_ops_view.h"
#include "sync/hub/store/sqlite/hub_schema_steps.h"

namespace gocua::hub_internal {
namespace {

// Steps 11 and 12 on the rows already there: every run's `rest` written again by this
// build's writer (binary where the run fits it, else JSON with the short form where it
// applies), kLogBatch rows (hub_schema.h) a transaction, each committed with how far it got (meta
// "hub_rest_rewrite": the last server_seq done, "done" when none is left). Memory stays
// bounded; a process killed half way leaves whole batches behind and the next open goes on
// from there. Every reader reads both forms, so the log reads the same at any point. A row
// that cannot be read, or would not be smaller, is left as it is (its readers report it as
// before).
constexpr char kRewriteKey[] = "hub_rest_rewrite";
// One batch of at most `rows` rows; *done = true when no row was left.
Status RewriteBatch(Database::Impl& d, int rows_per_batch, bool* done) {
  auto progress = d.ReadMeta(kRewriteKey);
  if (!progress) return progress.error();
  if (progress->empty() || *progress == "done") {
    *done = true;
    return Status::Ok();
  }
  const int64_t after = std::stoll(*progress);
  struct Rewritten {
    int64_t server_seq;
    std::string rest, record_id;
    bool head_in_rest;
  };
  std::vector<Rewritten> rewritten;
  int64_t last = after;
  std::string text;
  {
    Status st;
    auto q = d.Prepare(std::string("SELECT ") + kLogColumns +
                           " FROM hub_log WHERE n > 1 AND server_seq > ? AND (typeof(rest) = "
                           "'text' OR substr(rest, 1, 1) <> x'02') ORDER BY server_seq LIMIT " +
                           std::to_string(rows_per_batch),
                       &st);
    if (!q) return st;
    q->Bind(1, after);
    int rc, rows = 0;
    while ((rc = q->Step()) == SQLITE_ROW) {
      ++rows;
      last = q->Int(0);
      auto run = ExpandLogRow(*q);
      if (!run) continue;
      text.clear();
      const bool head_in_rest = AppendRestText(text, *run, true);
      const size_t had =
          q->Bytes(2).size() + (head_in_rest ? q->Bytes(7).size() + q->Bytes(8).size() : 0);
      if (text.size() < had)
        rewritten.push_back({last, text, run->front().op.record_id, head_in_rest});
    }
    if (rc != SQLITE_DONE) return d.Error("hub log rewrite", rc);
    *done = rows == 0;
  }
  for (const Rewritten& r : rewritten) {
    Status st;
    // With the row's record id and orig_hlc as step 12 keeps them (hub_ops_view.h), op 0's
    // field and value empty when its rest holds them (step 13).
    auto u = d.Prepare(
        "UPDATE hub_runs SET rest = ?1, record_id = ?3, orig_hlc = CASE WHEN orig_hlc = hlc THEN "
        "0 ELSE orig_hlc END, field = CASE WHEN ?4 THEN '' ELSE field END, value = CASE WHEN ?4 "
        "THEN '' ELSE value END WHERE server_seq = ?2",
        &st);
    if (!u) return st;
    u->Bind(4, int64_t{r.head_in_rest ? 1 : 0});
    if (!r.rest.empty() && r.rest[0] != '[')
      u->BindBlob(1, r.rest);
    else
      u->Bind(1, r.rest);
    u->Bind(2, r.server_seq);
    if (std::string packed; PutUuid(packed, r.record_id))
      u->BindBlob(3, packed);
    else
      u->Bind(3, r.record_id);
    if (Status s = Run(d, std::move(u), st, "hub log rewrite"); !s) return s;
  }
  return d.SetMeta(kRewriteKey, *done ? std::string("done") : std::to_string(last));
}

Result<bool> HasTable(Database::Impl& d, const char* name) {
  Status st;
  auto q = d.Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", &st);
  if (!q) return st;
  q->Bind(1, name);
  const int rc = q->Step();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return d.Error("schema", rc);
  return rc == SQLITE_ROW;
}

Status Migrate(Database::Impl& d) {
  auto has_meta = HasTable(d, "meta");
  if (!has_meta) return has_meta.error();
  int64_t have = 0;
  if (*has_meta) {
    auto v = d.ReadMetaInt("hub_schema");
    if (!v) return v.error();
    have = *v;
    auto has_log = HasTable(d, "hub_log");
    if (!has_log) return has_log.error();
    // Hub schema 0 with meta: the device's schema 9 that a hub before 6 made and had not yet
    // added its tables to (its first open stopped between the two). Anything else is no hub's.
    Status st;
    auto q = d.Prepare("PRAGMA user_version", &st);
    if (!q) return st;
    const int64_t device_schema = q->Step() == SQLITE_ROW ? q->Int(0) : -1;
    if (have == 0 && (*has_log || device_schema != 9))
      return Status(ErrorCode::kCorrupt,
                    "this file is not a hub's database (a device's, or damaged); give gocua-hub "
                    "its own --data folder");
  }
  if (have > kHubSchemaVersion)
    return Status(ErrorCode::kTooNew, "hub.db was written by a newer gocua-hub (hub schema " +
                                          std::to_string(have) + ", this one writes " +
                                          std::to_string(kHubSchemaVersion) +
                                          "); update gocua-hub");
  if (!*has_meta) {
    if (Status s = d.Exec(kSchema6); !s) return s;
    if (Status s = SeedTopics(d); !s) return s;
  } else {
    const int64_t legacy = static_cast<int64_t>(std::size(kLegacySteps));
    for (int64_t v = have; v < legacy; ++v)
      if (Status s = d.Exec(kLegacySteps[v]); !s) return s;
    if (have < 6)
      if (Status s = KeepSchema6Only(d); !s) return s;
  }
  if (have < 7)
    if (Status s = d.Exec(kStep7); !s) return s;
  if (have < 8)
    if (Status s = d.Exec(kStep8); !s) return s;
  if (have < 9)
    if (Status s = d.Exec(kStep9); !s) return s;
  if (have < 10)
    if (Status s = d.Exec(kStep10); !s) return s;
  if (have < 11) {
    // Only where hub_log is still a table: a file wound back by hand (the migration tests
    // take a current file back to an older number) may hold the runs already.
    auto has_runs = HasTable(d, "hub_runs");
    if (!has_runs) return has_runs.error();
    if (!*has_runs)
      if (Status s = d.Exec(kStep11); !s) return s;
    // Its rows are rewritten after the migration, batch by batch (RewriteBatch).
    if (Status s = d.SetMeta(kRewriteKey, "0"); !s) return s;
  }
  if (Status s = FillHubFields(d); !s) return s;
  if (Status s = FillHubWords(d); !s) return s;
  // Step 13, the leaner binary log (log_binary.h): op 0's field and value inside a binary rest
  // (form 0x02), dates, words (the table hub_words) and objects of words as a few bytes; the
  // views read those too. The rows already there are rewritten after the migration
  // (RewriteBatch), as for step 12; a file of 12 or older takes both at once (the views are
  // this build's: CREATE VIEW checks nothing of what it reads).
  if (have < 13) {
    // hub_scope lean (hub_scopes.cpp): ~55 B a visit less. Only where hub_scope is still a
    // table (a file wound back by hand may have it lean already).
    auto lean = HasTable(d, "hub_scopes");
    if (!lean) return lean.error();
    if (!*lean)
      if (Status s = LeanScopes(d); !s) return s;
    // Step 12, the binary log (sync/hub/store/log_binary.h): runs that fit are written in
    // binary (a BLOB `rest`); hub_ops reads that form too (hub_ops_view.h), with the field
    // codes of hub_fields. The rows already there are rewritten after the migration.
    // hub_runs keeps a record id that is a UUID as its 16 bytes and an orig_hlc equal to the
    // hlc as 0; the view hub_log shows both as before (rows of before read alike).
    if (Status s = d.Exec("DROP VIEW IF EXISTS hub_ops; DROP VIEW IF EXISTS hub_log"); !s) return s;
    if (Status s = d.Exec(HubLogViewSql().c_str()); !s) return s;
    if (Status s = d.Exec(HubOpsViewSql().c_str()); !s) return s;
    if (Status s = d.SetMeta(kRewriteKey, "0"); !s) return s;
  }
  if (have < kHubSchemaVersion)
    if (Status s = d.SetMeta("hub_schema", std::to_string(kHubSchemaVersion)); !s) return s;
  auto device_id = d.ReadMeta("device_id");
  if (!device_id) return device_id.error();
  if (device_id->empty()) {
    *device_id = NewUuidV7(d.clock->NowMs());
    if (Status s = d.SetMeta("device_id", *device_id); !s) return s;
  }
  d.device_id = *device_id;
  return Status::Ok();
}

}  // namespace

Status MigrateHubSchema(Database::Impl& d, bool rewrite) {
  if (Status s = d.Exec("BEGIN IMMEDIATE"); !s) return s;
  Status st = Migrate(d);
  if (st) st = d.Exec("COMMIT");
  if (!st) {
    d.Exec("ROLLBACK");
    return st;
  }
  return rewrite ? RewriteLogRows(d) : Status::Ok();
}

Status RewriteLogRows(Database::Impl& d, int max_batches, int batch_rows) {
  for (int i = 0; max_batches < 0 || i < max_batches; ++i) {
    if (Status s = d.Exec("BEGIN IMMEDIATE"); !s) return s;
    bool done = false;
    Status st = RewriteBatch(d, batch_rows, &done);
    if (st) st = d.Exec("COMMIT");
    if (!st) {
      d.Exec("ROLLBACK");
      return st;
    }
    if (done) break;
  }
  return Status::Ok();
}

}  // namespace gocua::hub_internal
