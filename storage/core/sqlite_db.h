#pragma once
// Internal to storage/: the SQLite connection behind a Database, its statement cache and the
// write-transaction bracket. Nothing outside storage/*.cpp includes this header.
#include <sqlite3.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"
#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/core/ids.h"

namespace gocua {

class DerivedHook;

// A cached prepared statement, borrowed for one use: reset and unbound when it goes away.
class Stmt {
 public:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& BindBlob(int i, std::string_view v) {
    sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& BindNull(int i) {
    sqlite3_bind_null(s_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step() { return sqlite3_step(s_); }
  std::string Text(int col) const {
    const unsigned char* t = sqlite3_column_text(s_, col);
    return t ? std::string(reinterpret_cast<const char*>(t),
                           static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  // The bytes of a BLOB or TEXT value, valid until the next step, reset or column read.
  std::string_view Bytes(int col) const {
    const void* b = sqlite3_column_blob(s_, col);
    return b ? std::string_view(static_cast<const char*>(b),
                                static_cast<size_t>(sqlite3_column_bytes(s_, col)))
             : std::string_view();
  }
  int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  sqlite3_stmt* raw() const { return s_; }

 private:
  sqlite3_stmt* s_;
};

struct Database::Impl {
  sqlite3* db = nullptr;
  const Clock* clock = nullptr;
  std::string path;
  std::string device_id;
  std::string author;  // the signed-in member, written on every change-log entry
  std::unordered_map<std::string, sqlite3_stmt*> cache;

  // Write-transaction state, valid between Begin and Commit/Rollback (see Transact).
  bool in_tx = false;
  HlcTime hlc = 0;              // the device's clock as persisted in meta
  int64_t last_seq = 0;         // the last change-log seq handed out
  bool tx_dirty = false;        // hlc or last_seq moved
  int64_t clock_offset_ms = 0;  // hub clock − device clock (storage/device/replica.h)
  // False on a hub (HubStore::Open): no derived data is kept — RefreshDerived writes nothing
  // and the connection's triggers are off. The hub serves records, never a dashboard.
  bool derived = true;
  // True on a device (DatabaseOptions::device_schema): the change log is stored a record run a
  // row (outbox_runs, storage/core/outbox_runs.h). False on a hub, whose schema keeps its own
  // per-field outbox table.
  bool compact_log = true;
  // The batch keeping the derived tables itself while the triggers are off, or null: the
  // device library's BulkDerived (storage/device/derived_bulk.h), installed through core's
  // hook interface (storage/core/derived_hook.h, which states the contract). Set and cleared
  // by the batch, inside Transact.
  DerivedHook* bulk = nullptr;
  // The triggers are off although no batch runs: a batch that ends leaves them off, so that a
  // run of batches (a sync's pulled pages) switches them once, not twice a batch — every
  // switch expires every cached statement, and each is prepared again on its next step.
  // Prepare and Exec switch them on again before any statement that may write, unless a batch
  // runs; SetMeta alone writes without (meta has no triggers). A derived connection only.
  bool triggers_parked = false;

  // Turns the triggers on if they are parked. Called by Prepare and Exec; nothing else needs to.
  Status UnparkTriggers();

  ~Impl();

  // A cached statement for `sql`. On a prepare error returns a null statement and sets *st.
  // A statement that may write finds the triggers on unless a batch runs (triggers_parked).
  std::unique_ptr<Stmt> Prepare(const std::string& sql, Status* st);
  // Runs `sql` (one or more statements). Anything but a transaction bracket or a PRAGMA finds
  // the triggers on unless a batch runs (triggers_parked).
  Status Exec(const char* sql);
  // A Status from the connection's last error, prefixed with `what`.
  Status Error(const std::string& what, int rc) const;

  // Runs `body` inside BEGIN IMMEDIATE … COMMIT, loading and saving the device clock and the
  // change-log seq with it. Any error from `body` or COMMIT rolls everything back; nothing is
  // half-written. Not re-entrant.
  // Exceptions: if `body` throws a std::exception (std::stoll, a json conversion, the strict
  // JSON writer on invalid UTF-8), the transaction is rolled back and the exception becomes a
  // kInternal Status naming it; Transact does not throw it on. Anything else thrown is rethrown
  // after the rollback. Either way the connection is out of the transaction afterwards.
  // A failed read of the clock or the change-log counter fails the transaction (ReadMetaInt).
  Status Transact(const std::function<Status()>& body);

  // Inside Transact: the next HLC stamp, and the next dense change-log seq.
  HlcTime NextHlc();
  // Inside Transact: moves the clock past a stamp received from elsewhere.
  void ObserveHlc(HlcTime remote);
  // The device's best idea of the time: its clock corrected by the hub's.
  int64_t NowMs() const { return clock->NowMs() + clock_offset_ms; }
  int64_t NextSeq();

  // The value of meta `key`, or `fallback` when the key is absent. A read error is an error,
  // never the fallback: use this wherever a wrong default would be a wrong answer (the clock,
  // the change-log counter, the device id, the commune, the pull cursor).
  Result<std::string> ReadMeta(const std::string& key, const std::string& fallback = "");
  // ReadMeta of an integer (0 when absent); a value that is not one is kCorrupt.
  Result<int64_t> ReadMetaInt(const std::string& key);
  // Unchecked: a read error gives `fallback` as an absent key does. For tests only; code
  // (storage and the hub store) uses ReadMeta.
  std::string GetMeta(const std::string& key, const std::string& fallback = "");
  Status SetMeta(const std::string& key, const std::string& value);
};

}  // namespace gocua
