// Reading a SQLite hub for `gocua-hub migrate` (sqlite/hub_dump.h). The log is read with the
// store's own row reader (kLogColumns, ExpandLogRow: what Pull uses), so this file knows of
// the log's layout only that its rows are ordered by server_seq and hold whole ops.
#include "sync/hub/store/sqlite/hub_dump.h"

#include <filesystem>

#include "storage/core/database.h"
#include "storage/core/sqlite_db.h"
#include "sync/hub/store/sqlite/hub_internal.h"
#include "sync/hub/store/sqlite/hub_store_impl.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"

namespace gocua {

Result<std::unique_ptr<SqliteHubSource>> SqliteHubSource::Open(const std::string& path,
                                                               const Clock& clock) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    return Status(ErrorCode::kNotFound, "Không thấy cơ sở dữ liệu của máy chủ " + path +
                                            "; --from là thư mục --data của máy chủ cũ — no hub "
                                            "database at " +
                                            path);
  auto store = OpenSqliteHubStore(path, clock);
  if (!store) return store.error();
  std::unique_ptr<SqliteHubSource> source(new SqliteHubSource(std::move(store).value()));
  if (Status s = source->db_->impl().Exec("BEGIN"); !s) return s;
  return source;
}

SqliteHubSource::SqliteHubSource(std::unique_ptr<HubStore> store)
    : store_(std::move(store)), db_(&static_cast<SqliteHubStore&>(*store_).records()) {}

SqliteHubSource::~SqliteHubSource() { db_->impl().Exec("ROLLBACK"); }

Result<HubDumpIds> SqliteHubSource::Ids() {
  Database::Impl& d = db_->impl();
  HubDumpIds ids;
  auto hub_id = d.ReadMeta("device_id");
  if (!hub_id) return hub_id.error();
  auto log_id = d.ReadMeta("hub_log_id");
  if (!log_id) return log_id.error();
  auto hlc = d.ReadMetaInt("hlc");
  if (!hlc) return hlc.error();
  if (hub_id->empty() || log_id->empty())
    return Status(ErrorCode::kCorrupt, "the SQLite file has no hub ids: it is not a hub's");
  return HubDumpIds{*hub_id, *log_id, *hlc};
}

Result<DumpTable> SqliteHubSource::Table(const std::string& name) {
  Database::Impl& d = db_->impl();
  Status st;
  auto q = d.Prepare("SELECT * FROM \"" + name + "\" ORDER BY rowid", &st);
  if (!q) {
    // WITHOUT ROWID tables: their primary key's order.
    q = d.Prepare("SELECT * FROM \"" + name + "\"", &st);
    if (!q) return st;
  }
  DumpTable t;
  t.name = name;
  const int n = sqlite3_column_count(q->raw());
  for (int i = 0; i < n; ++i) t.columns.emplace_back(sqlite3_column_name(q->raw(), i));
  int rc = SQLITE_DONE;
  while ((rc = q->Step()) == SQLITE_ROW) {
    std::vector<std::string>& row = t.rows.emplace_back();
    for (int i = 0; i < n; ++i) row.push_back(q->IsNull(i) ? std::string() : q->Text(i));
  }
  if (rc != SQLITE_DONE) return d.Error("reading " + name, rc);
  return t;
}

Result<std::vector<std::string>> SqliteHubSource::RecordIds(const RecordDef& def) {
  Database::Impl& d = db_->impl();
  Status st;
  auto q = d.Prepare(std::string("SELECT id FROM \"") + def.table + "\" ORDER BY id", &st);
  if (!q) return st;
  std::vector<std::string> ids;
  int rc = SQLITE_DONE;
  while ((rc = q->Step()) == SQLITE_ROW) ids.push_back(q->Text(0));
  if (rc != SQLITE_DONE) return d.Error(std::string("reading ") + def.table, rc);
  return ids;
}

Result<StoredRow> SqliteHubSource::Record(const RecordDef& def, const std::string& id) {
  return ReadRow(db_->impl(), def, id);
}

Result<int64_t> SqliteHubSource::LogOps() {
  Database::Impl& d = db_->impl();
  Status st;
  // A row holds n ops (hub_ops, the view with one row per op, decodes every run: slow).
  auto q = d.Prepare("SELECT coalesce(sum(n), 0) FROM hub_runs", &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("counting the log", rc);
  return q->Int(0);
}

Status SqliteHubSource::LogAfter(int64_t after, int limit,
                                 std::vector<hub_internal::LogEntry>* out) {
  Database::Impl& d = db_->impl();
  Status st;
  auto q = d.Prepare(std::string("SELECT ") + hub_internal::kLogColumns +
                         " FROM hub_log WHERE server_seq > ?1 ORDER BY server_seq",
                     &st);
  if (!q) return st;
  q->Bind(1, after);
  const size_t start = out->size();
  int rc = SQLITE_DONE;
  while (out->size() - start < static_cast<size_t>(limit) && (rc = q->Step()) == SQLITE_ROW) {
    auto ops = hub_internal::ExpandLogRow(*q);
    if (!ops) return ops.error();
    for (hub_internal::LogEntry& e : *ops) out->push_back(std::move(e));
  }
  if (out->size() - start < static_cast<size_t>(limit) && rc != SQLITE_DONE)
    return d.Error("reading the log", rc);
  return Status::Ok();
}

}  // namespace gocua
