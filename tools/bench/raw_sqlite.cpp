#include "tools/bench/raw_sqlite.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

namespace gocua::bench {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;

struct FinalizeStmt {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

Status Fail(sqlite3* db, const std::string& what) {
  return {ErrorCode::kIo, "raw SQLite " + what + ": " + sqlite3_errmsg(db)};
}

Result<DbPtr> OpenRaw(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK)
    return Status{ErrorCode::kIo, "cannot open " + path + ": " + sqlite3_errstr(rc)};
  return db;
}

Status Exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return Fail(db, sql);
  return Status::Ok();
}

Result<int64_t> QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return Fail(db, sql);
  StmtPtr st(raw);
  if (sqlite3_step(st.get()) != SQLITE_ROW) return Fail(db, sql);
  return static_cast<int64_t>(sqlite3_column_int64(st.get(), 0));
}

void BindText(sqlite3_stmt* st, int i, const std::string& v) {
  sqlite3_bind_text(st, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}

}  // namespace

Result<BenchClock::duration> RawInsertHouseholds(const std::string& path,
                                                 const std::vector<RawHousehold>& rows) {
  auto db = OpenRaw(path);
  if (!db) return db.error();
  sqlite3* d = db->get();
  for (const char* sql :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
        "CREATE TABLE households(id TEXT PRIMARY KEY, village_id TEXT, "
        "address TEXT NOT NULL, head_name TEXT NOT NULL, phone TEXT NOT NULL, "
        "members_count INTEGER NOT NULL, working_age_count INTEGER NOT NULL, "
        "smartphones INTEGER NOT NULL, home_internet INTEGER NOT NULL)",
        "CREATE INDEX households_village ON households(village_id)"})
    if (Status st = Exec(d, sql); !st) return st;
  const char* insert =
      "INSERT INTO households(id, village_id, address, head_name, phone, members_count, "
      "working_age_count, smartphones, home_internet) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(d, insert, -1, &raw, nullptr) != SQLITE_OK) return Fail(d, "prepare");
  StmtPtr st(raw);

  const auto start = BenchClock::now();
  if (Status s = Exec(d, "BEGIN IMMEDIATE"); !s) return s;
  for (const RawHousehold& h : rows) {
    BindText(st.get(), 1, h.id);
    BindText(st.get(), 2, h.village_id);
    BindText(st.get(), 3, h.address);
    BindText(st.get(), 4, h.head_name);
    BindText(st.get(), 5, h.phone);
    sqlite3_bind_int(st.get(), 6, h.members_count);
    sqlite3_bind_int(st.get(), 7, h.working_age_count);
    sqlite3_bind_int(st.get(), 8, h.smartphones);
    sqlite3_bind_int(st.get(), 9, h.home_internet ? 1 : 0);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return Fail(d, "insert");
    sqlite3_reset(st.get());
  }
  if (Status s = Exec(d, "COMMIT"); !s) return s;
  return BenchClock::now() - start;
}

Result<Samples> RawCommits(const std::string& path, size_t commits) {
  auto db = OpenRaw(path);
  if (!db) return db.error();
  sqlite3* d = db->get();
  for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
                          "CREATE TABLE rows(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"})
    if (Status st = Exec(d, sql); !st) return st;
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(d, "INSERT INTO rows(body) VALUES(?)", -1, &raw, nullptr) != SQLITE_OK)
    return Fail(d, "prepare");
  StmtPtr st(raw);
  const std::string body(1000, 'x');
  Samples latency;
  for (size_t i = 0; i < commits; ++i) {
    const auto start = BenchClock::now();
    if (Status s = Exec(d, "BEGIN IMMEDIATE"); !s) return s;
    BindText(st.get(), 1, body);
    if (sqlite3_step(st.get()) != SQLITE_DONE) return Fail(d, "insert");
    sqlite3_reset(st.get());
    if (Status s = Exec(d, "COMMIT"); !s) return s;
    latency.Add(BenchClock::now() - start);
  }
  return latency;
}

Result<DbSize> CompactAndMeasure(const std::string& path, bool vacuum) {
  auto db = OpenRaw(path);
  if (!db) return db.error();
  sqlite3* d = db->get();
  if (vacuum)
    if (Status st = Exec(d, "VACUUM"); !st) return st;
  if (Status st = Exec(d, "PRAGMA wal_checkpoint(TRUNCATE)"); !st) return st;
  auto pages = QueryInt(d, "PRAGMA page_count");
  if (!pages) return pages.error();
  auto page_size = QueryInt(d, "PRAGMA page_size");
  if (!page_size) return page_size.error();
  DbSize size;
  size.page_bytes = *pages * *page_size;
  std::error_code ec;
  size.file_bytes = static_cast<int64_t>(std::filesystem::file_size(path, ec));
  if (ec) return Status{ErrorCode::kIo, "cannot stat " + path + ": " + ec.message()};
  const auto wal = std::filesystem::file_size(path + "-wal", ec);
  if (!ec) size.file_bytes += static_cast<int64_t>(wal);
  return size;
}

std::string SqliteVersion() { return sqlite3_libversion(); }

}  // namespace gocua::bench
