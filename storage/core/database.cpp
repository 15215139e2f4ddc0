#include "storage/core/database.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <thread>

#include "storage/core/migrations.h"
#include "storage/core/outbox_runs.h"
#include "storage/core/private_files.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/core/topic_catalog.h"

namespace gocua {
namespace {

ErrorCode CodeOf(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return ErrorCode::kCorrupt;
    case SQLITE_CONSTRAINT:
      return ErrorCode::kConflict;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return ErrorCode::kIo;
    default:
      return ErrorCode::kInternal;
  }
}

// SQLite's words for a full disk, a failed write (ENOSPC, EFBIG under `ulimit -f`, an I/O error)
// or a failed read say nothing a field worker can act on: these get a Vietnamese sentence first.
// A failed read is not called a full disk (freeing space would not help). The caller's
// transaction is rolled back, so "nothing saved" holds for every write path.
std::string Explain(int rc, std::string sqlite_words) {
  const int primary = rc & 0xff;
  if (rc == SQLITE_IOERR_READ || rc == SQLITE_IOERR_SHORT_READ)
    return "Không đọc được dữ liệu từ ổ đĩa; không có gì được lưu. Hãy đóng ứng dụng, kiểm tra ổ "
           "đĩa (hoặc chép bản sao lưu vào) rồi mở lại — disk read failed, nothing saved (" +
           sqlite_words + ")";
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR)
    return "Không ghi được dữ liệu: ổ đĩa đã đầy hoặc tệp quá lớn; không có gì được lưu. Hãy "
           "giải phóng dung lượng ổ đĩa rồi thử lại — disk full or write failed, nothing saved "
           "(" +
           sqlite_words + ")";
  return sqlite_words;
}

// The tables that are this laptop's own and never part of the synced schema: created at every
// open (IF NOT EXISTS), so they need no schema version. `secret` holds the hub's bearer token,
// kept out of `meta` (which commands and tests read freely); an older file's token moves
// there. `pin_attempts` counts wrong PINs per member (storage/device/pin_attempts.h).
Status EnsureLocalTables(Database::Impl& d) {
  return d.Exec(
      "CREATE TABLE IF NOT EXISTS secret(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE IF NOT EXISTS pin_attempts(member_id TEXT PRIMARY KEY,"
      " failures INTEGER NOT NULL, last_failure_ms INTEGER NOT NULL) WITHOUT ROWID;"
      "INSERT OR REPLACE INTO secret(key, value)"
      " SELECT 'hub_token', value FROM meta WHERE key = 'hub_token';"
      "DELETE FROM meta WHERE key = 'hub_token';");
}

Result<int> UserVersion(Database::Impl& d) {
  Status st;
  auto q = d.Prepare("PRAGMA user_version", &st);
  if (!q) return st;
  if (int rc = q->Step(); rc != SQLITE_ROW) return d.Error("user_version", rc);
  return static_cast<int>(q->Int(0));
}

// v10: households.removed_reason. SQLite has no ADD COLUMN IF NOT EXISTS, and every step must be
// harmless on a file that already has what it adds (migrations.cpp, top), so it is added here
// only where it is missing.
Status AddRemovedReason(Database::Impl& d) {
  Status st;
  auto q =
      d.Prepare("SELECT 1 FROM pragma_table_info('households') WHERE name = 'removed_reason'", &st);
  if (!q) return st;
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return Status::Ok();
  if (rc != SQLITE_DONE) return d.Error("households columns", rc);
  return d.Exec("ALTER TABLE households ADD COLUMN removed_reason TEXT NOT NULL DEFAULT ''");
}

// v13: the derived visit tables keyed by integers (migrations.cpp, DerivedVisitKeysSql), where
// they still have v1's text keys; harmless where it ran.
Status KeyDerivedVisitRows(Database::Impl& d) {
  Status st;
  auto q =
      d.Prepare("SELECT 1 FROM pragma_table_info('visit_persons') WHERE name = 'person_id'", &st);
  if (!q) return st;
  const int rc = q->Step();
  q.reset();
  if (rc == SQLITE_DONE) return Status::Ok();
  if (rc != SQLITE_ROW) return d.Error("visit_persons columns", rc);
  return d.Exec(DerivedVisitKeysSql());
}

Status TooNew(int version) {
  char msg[300];
  std::snprintf(msg, sizeof msg,
                "Dữ liệu này do phiên bản Gõ Cửa mới hơn tạo ra (lược đồ v%d; bản này đọc đến "
                "v%d). Hãy cập nhật Gõ Cửa. — database schema v%d is newer than this build "
                "(v%d): update Gõ Cửa",
                version, kSchemaVersion, version, kSchemaVersion);
  return {ErrorCode::kTooNew, msg};
}

// Brings the file to kSchemaVersion and makes sure it has a device id. Each step reads the
// version under the write lock, so two connections opening a new file at once (the UI and
// the sync worker) migrate it once and agree on one device id.
Status Migrate(Database::Impl& d) {
  const auto& migrations = Migrations();
  if (migrations.size() != static_cast<size_t>(kSchemaVersion))  // a migration added, not counted
    return {ErrorCode::kInternal, "kSchemaVersion " + std::to_string(kSchemaVersion) + " but " +
                                      std::to_string(migrations.size()) + " migrations"};
  for (;;) {
    // Schema changes do not touch the clock or the change log; a plain transaction.
    if (Status st = d.Exec("BEGIN IMMEDIATE"); !st) return st;
    auto version = UserVersion(d);
    Status st = version ? Status::Ok() : version.error();
    bool done = false;
    if (st && *version > kSchemaVersion) st = TooNew(*version);
    if (st && *version == kSchemaVersion) {
      done = true;
      auto device = d.ReadMeta("device_id");  // a read error must not make a new device id
      if (!device) st = device.error();
      if (st && device->empty()) st = d.SetMeta("device_id", NewUuidV7(d.clock->NowMs()));
      if (st) st = EnsureLocalTables(d);
    } else if (st) {
      st = d.Exec(migrations[static_cast<size_t>(*version)]);
      if (st && *version == 0) st = SeedTopicCatalog(d);
      if (st && *version == 7) st = FillHouseholdOrder(d);  // v8's table, keys made in C++
      if (st && *version == 9) st = AddRemovedReason(d);    // v10, only where missing
      if (st && *version == kStampsRewritten - 1) st = RewriteStamps(d);  // v11: binary stamps
      if (st && *version == 11) st = CompactOldChangeLog(d);  // v12: the log a run a row
      if (st && *version == 12) st = KeyDerivedVisitRows(d);  // v13: integer keys
      if (st) st = d.Exec(("PRAGMA user_version = " + std::to_string(*version + 1)).c_str());
    }
    if (st) st = d.Exec("COMMIT");
    if (!st) {
      d.Exec("ROLLBACK");
      return st;
    }
    if (done) return Status::Ok();
  }
}

}  // namespace

Database::Impl::~Impl() {
  for (auto& [sql, s] : cache) sqlite3_finalize(s);
  if (db) sqlite3_close(db);
}

namespace {

// The cached statement for `sql`, prepared on first use; null on a prepare error (*st set).
sqlite3_stmt* Cached(Database::Impl& d, const std::string& sql, Status* st) {
  auto it = d.cache.find(sql);
  if (it != d.cache.end()) return it->second;
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(d.db, sql.c_str(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) {
    *st = d.Error("prepare " + sql.substr(0, 60), rc);
    return nullptr;
  }
  d.cache.emplace(sql, s);
  return s;
}

// Runs a transaction bracket (BEGIN IMMEDIATE, COMMIT, ROLLBACK) from the statement cache:
// through sqlite3_exec each was parsed and planned anew, ~14,000 instructions twice a save. A
// bracket writes no table, so parked triggers stay parked (as Exec leaves them).
Status Bracket(Database::Impl& d, const std::string& sql) {
  Status st;
  sqlite3_stmt* s = Cached(d, sql, &st);
  if (!s) return st;
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE)
    st = {CodeOf(rc), Explain(rc, std::string("SQLite: ") + sqlite3_errmsg(d.db))};
  sqlite3_reset(s);
  return st;
}

// Whether Exec may run `sql` with the triggers parked: it writes no table.
bool WritesNoTable(std::string_view sql) {
  for (std::string_view prefix : {"BEGIN", "COMMIT", "ROLLBACK", "PRAGMA synchronous"})
    if (sql.substr(0, prefix.size()) == prefix) return true;
  return false;
}

}  // namespace

Status Database::Impl::UnparkTriggers() {
  if (!triggers_parked) return Status::Ok();
  int now = -1;
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, &now) != SQLITE_OK || now != 1)
    return {ErrorCode::kInternal, "cannot turn triggers on"};
  triggers_parked = false;
  return Status::Ok();
}

std::unique_ptr<Stmt> Database::Impl::Prepare(const std::string& sql, Status* st) {
  sqlite3_stmt* s = Cached(*this, sql, st);
  if (!s) return nullptr;
  // Expires `s` too when it switches: the statement is prepared again on its first step.
  if (triggers_parked && !bulk && !sqlite3_stmt_readonly(s))
    if (Status on = UnparkTriggers(); !on) {
      *st = on;
      return nullptr;
    }
  return std::make_unique<Stmt>(s);
}

Status Database::Impl::Exec(const char* sql) {
  if (triggers_parked && !bulk && !WritesNoTable(sql))
    if (Status on = UnparkTriggers(); !on) return on;
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string m = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return {CodeOf(rc), Explain(rc, "SQLite: " + m)};
}

Status Database::Impl::Error(const std::string& what, int rc) const {
  return {CodeOf(rc), Explain(rc, what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)))};
}

Result<std::string> Database::Impl::ReadMeta(const std::string& key, const std::string& fallback) {
  Status st;
  auto q = Prepare("SELECT value FROM meta WHERE key = ?", &st);
  if (!q) return st;
  q->Bind(1, key);
  const int rc = q->Step();
  if (rc == SQLITE_ROW) return q->Text(0);
  if (rc == SQLITE_DONE) return fallback;
  return Error("meta " + key, rc);
}

Result<int64_t> Database::Impl::ReadMetaInt(const std::string& key) {
  auto text = ReadMeta(key, "0");
  if (!text) return text.error();
  int64_t v = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, v);
  if (ec != std::errc() || ptr != end || text->empty())
    return Status{ErrorCode::kCorrupt, "meta " + key + " is not a number: '" + *text + "'"};
  return v;
}

std::string Database::Impl::GetMeta(const std::string& key, const std::string& fallback) {
  auto v = ReadMeta(key, fallback);
  return v ? *v : fallback;
}

Status Database::Impl::SetMeta(const std::string& key, const std::string& value) {
  Status st;
  // Not through Prepare: meta has no triggers, so parked triggers stay parked (a pulled page
  // saves its cursor after its batch ended).
  sqlite3_stmt* s = Cached(*this,
                           "INSERT INTO meta(key, value) VALUES(?, ?) "
                           "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           &st);
  if (!s) return st;
  auto q = std::make_unique<Stmt>(s);
  q->Bind(1, key).Bind(2, value);
  int rc = q->Step();
  return rc == SQLITE_DONE ? Status::Ok() : Error("meta " + key, rc);
}

namespace {

// Ends a transaction that Transact began: rolls it back unless Commit() ran, also when the
// body throws, and always leaves the connection out of it.
class TxGuard {
 public:
  explicit TxGuard(Database::Impl& d) : d_(d) { d_.in_tx = true; }
  ~TxGuard() {
    if (!done_) Bracket(d_, "ROLLBACK");
    d_.in_tx = false;
  }
  TxGuard(const TxGuard&) = delete;
  TxGuard& operator=(const TxGuard&) = delete;
  Status Commit() {
    Status st = Bracket(d_, "COMMIT");
    done_ = st.ok();
    return st;
  }

 private:
  Database::Impl& d_;
  bool done_ = false;
};

}  // namespace

Status Database::Impl::Transact(const std::function<Status()>& body) {
  if (in_tx) return {ErrorCode::kInternal, "nested write transaction"};
  if (Status st = Bracket(*this, "BEGIN IMMEDIATE"); !st) return st;
  TxGuard guard(*this);
  tx_dirty = false;
  Status st;
  try {
    // Read inside the write lock: another connection of this device may have moved them.
    // A read error fails the write: a clock read as 0 would stamp backwards, a counter read
    // as 0 would hand out seqs again.
    auto loaded_hlc = ReadMetaInt("hlc");
    auto loaded_seq = loaded_hlc ? ReadMetaInt("last_seq") : Result<int64_t>(loaded_hlc.error());
    auto loaded_offset =
        loaded_seq ? ReadMetaInt("clock_offset_ms") : Result<int64_t>(loaded_seq.error());
    if (!loaded_offset) return loaded_offset.error();
    hlc = static_cast<HlcTime>(*loaded_hlc);
    last_seq = *loaded_seq;
    clock_offset_ms = *loaded_offset;
    st = body();
    if (st && tx_dirty) st = SetMeta("hlc", std::to_string(hlc));
    if (st && tx_dirty) st = SetMeta("last_seq", std::to_string(last_seq));
  } catch (const std::exception& e) {
    st = {ErrorCode::kInternal,
          std::string("Lỗi khi ghi, không có gì được lưu — write failed, nothing saved: ") +
              e.what()};
  }
  if (st) st = guard.Commit();
  return st;
}

HlcTime Database::Impl::NextHlc() {
  hlc = HlcTick(hlc, NowMs());
  tx_dirty = true;
  return hlc;
}

void Database::Impl::ObserveHlc(HlcTime remote) {
  if (remote <= hlc) return;
  hlc = remote;
  tx_dirty = true;
}

int64_t Database::Impl::NextSeq() {
  tx_dirty = true;
  return ++last_seq;
}

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const Clock& clock) {
  return Open(path, clock, DatabaseOptions{});
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const Clock& clock,
                                                 const DatabaseOptions& options) {
  // SQLite's global memory statistics cost a mutex and two counters on every malloc and free
  // (a pulled page of 1,000 ops makes some 40,000 of them); nothing here reads them (no
  // sqlite3_memory_used, no soft heap limit). Set before the process's first connection; if
  // SQLite was initialized before (by other code), the call fails and the default stays.
  static const bool kMemStatusOff = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)kMemStatusOff;
  auto impl = std::make_unique<Impl>();
  impl->clock = &clock;
  impl->path = path;
  impl->compact_log = options.device_schema;
  // 0600 before SQLite opens it (its -wal and -shm take the file's mode), and tightened if an
  // older build made it 0644. Best effort: SQLite reports a path it cannot open.
  const bool on_disk = !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0;
  if (on_disk) {
    (void)CreatePrivateFile(path);
    for (const char* suffix : {"-wal", "-shm", "-journal"}) (void)MakePrivateFile(path + suffix);
  }
  int rc = sqlite3_open_v2(path.c_str(), &impl->db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                           options.vfs.empty() ? nullptr : options.vfs.c_str());
  if (rc != SQLITE_OK)
    return Status{ErrorCode::kIo,
                  "Không mở được tệp dữ liệu " + path + " — cannot open: " + sqlite3_errstr(rc)};
  // No lookaside configuration: Debian's SQLite (and tools/windows/prefix.sh's, built with
  // Debian's options) is compiled with SQLITE_OMIT_LOOKASIDE, where it would do nothing.
  sqlite3_busy_timeout(impl->db, 5000);
  sqlite3_extended_result_codes(impl->db, 1);
  // journal_mode is the first statement to read the file: a non-database fails here.
  // A page cache of up to 32 MiB per connection (SQLite's default is 2 MiB): the leader's
  // dashboard reads ~20 MiB of indexes over 200,000 visits, and with 2 MiB every query read
  // its pages again through the OS (docs/benchmarks.md). Pages are only cached as read, and
  // kept until ReleaseMemory() (the app calls it when it goes quiet: app/core/idle_release.h).
  const char* pragmas[] = {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                           "PRAGMA foreign_keys = ON", "PRAGMA cache_size = -32768"};
  // Two connections opening a new file at once (UI and sync worker) can meet SQLITE_BUSY
  // while one switches the file to WAL, before the busy handler applies: retry briefly. By the
  // clock, not by tries: a lock held by another program makes every try wait out the busy
  // timeout (5 s), and 200 tries each were ~17 minutes of a frozen app. The whole open waits
  // at most ~kOpenWait (plus the one try running when it passes), then says what to do.
  constexpr auto kOpenWait = std::chrono::seconds(5);
  const auto give_up = std::chrono::steady_clock::now() + kOpenWait;
  auto busy = [&] {
    const int code = sqlite3_errcode(impl->db) & 0xff;
    return code == SQLITE_BUSY || code == SQLITE_LOCKED;
  };
  auto retry = [&] { return busy() && std::chrono::steady_clock::now() < give_up; };
  auto locked = [&](const Status& st) {
    return Status{ErrorCode::kIo,
                  "Tệp dữ liệu " + path +
                      " đang bị một chương trình khác giữ (có thể là một cửa sổ Gõ Cửa khác "
                      "hoặc một bản sao lưu đang chạy). Hãy đóng các cửa sổ Gõ Cửa khác, chờ "
                      "một lát rồi mở lại — database locked by another process: " +
                      st.message()};
  };
  for (const char* p : pragmas) {
    Status st = impl->Exec(p);
    while (!st && retry()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      st = impl->Exec(p);
    }
    if (!st && busy()) return locked(st);
    if (!st) {
      if (st.code() == ErrorCode::kCorrupt)
        return Status{ErrorCode::kCorrupt, "Tệp " + path +
                                               " không phải dữ liệu Gõ Cửa hoặc đã hỏng — not a "
                                               "Gõ Cửa database, or damaged: " +
                                               st.message()};
      return st;
    }
  }
  Status migrated = options.device_schema ? Migrate(*impl) : Status::Ok();
  while (!migrated && retry()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    migrated = Migrate(*impl);
  }
  if (!migrated && busy()) return locked(migrated);
  if (!migrated) return migrated;
  // A file whose schema is another's (device_schema false: the hub's) may have no meta table
  // yet, its owner makes it after Open: then device_id() is "". Read errors are errors.
  bool has_meta = options.device_schema;
  if (!has_meta) {
    Status st;
    auto q =
        impl->Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'", &st);
    if (!q) return st;
    int step = q->Step();
    if (step != SQLITE_ROW && step != SQLITE_DONE) return impl->Error("read the schema", step);
    has_meta = step == SQLITE_ROW;
  }
  if (has_meta) {
    auto device = impl->ReadMeta("device_id");
    if (!device) return device.error();
    impl->device_id = std::move(*device);
  }
  return std::unique_ptr<Database>(new Database(std::move(impl)));
}

const std::string& Database::device_id() const { return impl_->device_id; }
const Clock& Database::clock() const { return *impl_->clock; }
void Database::SetAuthor(const std::string& member_id) { impl_->author = member_id; }
const std::string& Database::author() const { return impl_->author; }

int Database::SchemaVersion() {
  auto v = UserVersion(*impl_);
  return v ? *v : -1;
}

Result<std::string> Database::IntegrityCheck() {
  Status st;
  auto q = impl_->Prepare("PRAGMA integrity_check", &st);
  if (!q) return st;
  std::string out;
  int rc;
  while ((rc = q->Step()) == SQLITE_ROW) {
    if (!out.empty()) out += "\n";
    out += q->Text(0);
  }
  if (rc != SQLITE_DONE) return impl_->Error("integrity_check", rc);
  return out;
}

int64_t Database::CacheBytes() {
  int current = 0, highwater = 0;
  sqlite3_db_status(impl_->db, SQLITE_DBSTATUS_CACHE_USED, &current, &highwater, 0);
  return current;
}

int64_t Database::ReleaseMemory() {
  const int64_t before = CacheBytes();
  sqlite3_db_release_memory(impl_->db);
  return before - CacheBytes();
}

}  // namespace gocua
