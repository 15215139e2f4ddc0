// Writing a hub into an empty PostgreSQL hub database (postgresql/pg_dump.h).
#include "sync/hub/store/postgresql/pg_dump.h"

#include <map>

#include "sync/hub/store/postgresql/pg_conn.h"
#include "sync/hub/store/postgresql/pg_log.h"
#include "sync/hub/store/postgresql/pg_records.h"
#include "sync/hub/store/postgresql/pg_schema.h"

namespace gocua {

PgHubTarget::PgHubTarget(std::unique_ptr<pg::Conn> c) : c_(std::move(c)) {}

PgHubTarget::~PgHubTarget() {
  if (open_) c_->Rollback();
}

Result<std::unique_ptr<PgHubTarget>> PgHubTarget::Open(const std::string& uri, const Clock& clock) {
  auto c = pg::Conn::Open(uri);
  if (!c) return c.error();
  if (auto ids = pg::MigratePg(**c, clock.NowMs()); !ids) return ids.error();
  std::unique_ptr<PgHubTarget> t(new PgHubTarget(std::move(c).value()));
  pg::Conn& conn = *t->c_;
  if (Status s = conn.Begin("BEGIN"); !s) return s;
  t->open_ = true;
  // Hubs serving this database wait until the copy is committed (or gone).
  if (Status s = conn.Simple(
          "LOCK TABLE hub_meta, hub_clock, hub_devices, hub_codes, hub_origins, hub_runs, "
          "hub_ids, hub_scope, console_admins IN EXCLUSIVE MODE",
          "locking the hub's tables");
      !s)
    return s;
  auto n = conn.Query(
      "SELECT (SELECT count(*) FROM hub_devices), (SELECT count(*) FROM hub_codes), "
      "(SELECT count(*) FROM hub_runs), (SELECT count(*) FROM communes), "
      "(SELECT count(*) FROM console_admins)",
      {}, "checking the target is empty");
  if (!n) return n.error();
  if (n->Int(0, 0) + n->Int(0, 1) + n->Int(0, 2) + n->Int(0, 3) + n->Int(0, 4) > 0)
    return Status(
        ErrorCode::kConflict,
        "Cơ sở dữ liệu đích đã có dữ liệu của một máy chủ (" + n->Text(0, 0) + " thiết bị, " +
            n->Text(0, 2) + " thao tác nhật ký, " + n->Text(0, 3) +
            " xã); không chép đè. Tạo một cơ sở dữ liệu trống (createdb) rồi chạy lại — the "
            "target database already holds a hub's data; migrate copies only into an empty one");
  return t;
}

Status PgHubTarget::SetIds(const HubDumpIds& ids) {
  for (const auto& [key, value] :
       {std::pair<std::string, std::string>{"device_id", ids.hub_id}, {"hub_log_id", ids.log_id}})
    if (Status s = c_->Exec("INSERT INTO hub_meta(key, value) VALUES($1, $2) "
                            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                            {key, value}, "the hub's ids");
        !s)
      return s;
  return c_->Exec("UPDATE hub_clock SET hlc = GREATEST(hlc, $1) WHERE id = 1", {pg::Int(ids.hlc)},
                  "the hub's clock");
}

Status PgHubTarget::Table(const DumpTable& t) {
  auto cols = c_->Query(
      "SELECT column_name, is_identity FROM information_schema.columns "
      "WHERE table_schema = current_schema() AND table_name = $1",
      {t.name}, "the target's columns");
  if (!cols) return cols.error();
  std::map<std::string, bool> target;  // column → made by the database (identity)
  for (int r = 0; r < cols->size(); ++r) target[cols->Text(r, 0)] = cols->Text(r, 1) == "YES";
  std::vector<size_t> kept;
  std::string names;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    auto it = target.find(t.columns[i]);
    if (it == target.end())
      return Status(ErrorCode::kInternal, "the PostgreSQL hub has no column " + t.name + "." +
                                              t.columns[i] + "; update gocua-hub on both sides");
    if (it->second) continue;
    kept.push_back(i);
    names += (names.empty() ? "" : ", ") + pg::Ident(t.columns[i]);
  }
  constexpr size_t kRowsPerInsert = 200;
  for (size_t first = 0; first < t.rows.size(); first += kRowsPerInsert) {
    const size_t end = std::min(t.rows.size(), first + kRowsPerInsert);
    std::string sql = "INSERT INTO " + pg::Ident(t.name) + "(" + names + ") VALUES ";
    pg::Params p;
    for (size_t r = first; r < end; ++r) {
      sql += r == first ? "(" : ", (";
      for (size_t k = 0; k < kept.size(); ++k) {
        p.push_back(t.rows[r][kept[k]]);
        sql += (k ? ", $" : "$") + std::to_string(p.size());
      }
      sql += ")";
    }
    // The new database's own rows (the topics' scopes) are the same as the copied ones.
    sql += " ON CONFLICT DO NOTHING";
    if (Status s = c_->Exec(sql, p, t.name.c_str()); !s) return s;
  }
  return Status::Ok();
}

Status PgHubTarget::Record(const RecordDef& def, const std::string& id, const StoredRow& row) {
  return pg::WriteRecord(*c_, def, id, row);
}

Status PgHubTarget::AppendLog(std::vector<hub_internal::LogEntry>& entries) {
  size_t first = 0;
  while (first < entries.size()) {
    // A run of consecutive server seqs: the store's append draws them from hub_log_seq, set
    // here to the run's first.
    size_t end = first + 1;
    while (end < entries.size() && entries[end].server_seq == entries[end - 1].server_seq + 1)
      ++end;
    const int64_t from = entries[first].server_seq;
    if (Status s =
            c_->Exec("SELECT setval('hub_log_seq', $1, false)", {pg::Int(from)}, "the log's seqs");
        !s)
      return s;
    std::vector<hub_internal::LogEntry> run(std::make_move_iterator(entries.begin() + first),
                                            std::make_move_iterator(entries.begin() + end));
    if (Status s = pg::AppendLogRows(*c_, run); !s) return s;
    for (size_t i = 0; i < run.size(); ++i)
      if (run[i].server_seq != from + static_cast<int64_t>(i))
        return Status(ErrorCode::kInternal, "the log's seqs moved while copying (" +
                                                std::to_string(from + static_cast<int64_t>(i)) +
                                                " became " + std::to_string(run[i].server_seq) +
                                                "); nothing was kept, run migrate again");
    first = end;
  }
  return Status::Ok();
}

Status PgHubTarget::Commit() {
  Status s = c_->Commit();
  open_ = false;
  if (!s) c_->Rollback();
  return s;
}

}  // namespace gocua
