#pragma once
// Internal to sync/hub/store/sqlite/*.cpp: helpers over the SQLite hub store's tables.
// REQUIRES for every function: inside d.Transact (reads may also run outside one).
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/core/merge.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "sync/hub/store/admin_rules.h"
#include "sync/hub/store/log_entry.h"
#include "sync/hub/store/log_runs.h"
#include "sync/hub/store/sha256.h"

namespace gocua::hub_internal {

// How a row holds a run of ops (its `rest`, short ops): sync/hub/store/log_runs.h.
// The log's ids — devices (origin, base, seen, pusher), communes and authors — are integers
// (hub schema 11): hub_ids maps each text to its number ('' is 0), and the view hub_log shows
// the rows of hub_runs with their texts, as the table of that name held them before 11.
// Numbers of one file never change; nothing is deleted from hub_ids.
using IdCache = std::unordered_map<std::string, int64_t>;
// The number of `text`, made if new. `cache` (may be null) keeps the numbers found; one that
// outlives a transaction must be dropped when it rolls back.
Result<int64_t> TextId(Database::Impl& d, const std::string& text, IdCache* cache);
// The number of `text` in hub_ids, 0 if it has none (then nothing is added; "" is 0 too).
Result<int64_t> FindTextId(Database::Impl& d, std::string_view text);
// The text of number `id` in hub_ids; kCorrupt if there is none.
Result<std::string> IdText(Database::Impl& d, int64_t id);

// Appends `run` as one row. REQUIRES: 1..kMaxLogRun entries, each extending the one before.
// `next_seq`, if given and > 0, is the row's server_seq (else it is read from the log: the
// last row's server_seq + n); on success it is set to the server_seq after the row, on failure
// to 0. REQUIRES: nothing appended to the log since it was set (see LogWriter).
// `ids`, if given, caches the log's id numbers (TextId).
Status AppendLog(Database::Impl& d, const std::vector<LogEntry>& run, int64_t* next_seq = nullptr,
                 IdCache* ids = nullptr);
// A row of the log as it is written, but for its entries: their ids as numbers, the texts
// bound (kept between rows for their storage).
struct LogRow {
  int64_t id[6] = {};  // origin, base device, commune, pusher, author, seen device
  std::string rest;    // the run's ops after the first (log_runs.h), and op 0's field and value
  std::string value;   // op 0's value as text, when `rest` does not hold it
  bool head_in_rest = false;
  bool packed_id = false;  // the record id is a canonical UUID, its 16 bytes in `packed`
  unsigned char packed[16] = {};
};
// The most rows one insert writes (LogWriter, ScopeCache): a power of four.
inline constexpr size_t kMaxRowsPerInsert = 16;
// Column `col` of the row `q` is on as text, valid until the next step.
inline std::string_view TextAt(Stmt& q, int col) {
  const unsigned char* t = sqlite3_column_text(q.raw(), col);
  if (!t) return {};
  return {reinterpret_cast<const char*>(t),
          static_cast<size_t>(sqlite3_column_bytes(q.raw(), col))};
}
// The select list that ExpandLogRow reads, in this order.
extern const char kLogColumns[];
// What ExpandLogRow fills in: kAll every part of each LogEntry; kServed what a pull serves
// (the op, server_seq, value_bytes, served, orig_hlc, received_at), with commune_id,
// pushed_by, outcome and reason left empty: a run's followers copy them from op 0, and a page
// of a thousand ops made two thousand strings nobody read.
enum class LogRead { kAll, kServed };
// The ops of the hub_log row `q` is on (selected with kLogColumns), in server order.
Result<std::vector<LogEntry>> ExpandLogRow(Stmt& q, LogRead what = LogRead::kAll);
// The texts of a hub_runs row's ids that a pull serves (hub_log_read.h kRunColumns).
struct RunTexts {
  std::string_view origin, base_device, author, seen_device;
};
// The same for a hub_runs row (kRunColumns) whose ids' texts are `texts`: kServed only.
Result<std::vector<LogEntry>> ExpandRunRow(Stmt& q, const RunTexts& texts);
// Collects the ops of a push into runs and appends them, up to kMaxRowsPerInsert runs with one
// insert (a statement per row was a third of the log's cost; the runs are written in pieces of
// 16, 4 or 1 rows, so a connection prepares three inserts, each once). Flush before anything reads
// the log or appends to it otherwise (conflicts, the hub's own ops), and before the
// transaction commits; call ForgetNextSeq after anything else appended to the log (HubWrite).
// The writer remembers the server_seq after its last row, so a push reads the log's end once,
// not once per row; a row appended behind its back without ForgetNextSeq would make the next
// insert fail on the primary key (the push is refused whole), never reuse or skip a seq.
class LogWriter {
 public:
  // `e` is moved from.
  Status Add(Database::Impl& d, LogEntry&& e);
  Status Flush(Database::Impl& d);
  void ForgetNextSeq() { next_seq_ = 0; }

 private:
  static constexpr size_t kKeptText = 64 * 1024;  // a larger row's buffer is not kept
  std::vector<LogEntry> entries_;  // [0, n_) the runs buffered; the rest kept for their storage
  size_t n_ = 0;
  std::vector<size_t> starts_;        // where each buffered run starts in entries_
  std::vector<LogRow> rows_;          // the rows' texts, kept for their capacity
  IdCache ids_;                       // the log's id numbers, for this writer's transaction
  std::unique_ptr<Stmt> inserts_[3];  // the inserts of 1, 4 and 16 rows, kept prepared
  int64_t next_seq_ = 0;              // the server_seq of the next row, 0 = read it from the log
};

// Binds `v` to parameter i of `q` without a copy. REQUIRES: `v` outlives the statement's use
// (a Stmt clears its bindings when it goes away), hence no temporaries.
inline void BindStatic(Stmt& q, int i, const std::string& v) {
  sqlite3_bind_text(q.raw(), i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
}
void BindStatic(Stmt& q, int i, std::string&& v) = delete;

// d.Transact with `body` made exception-safe: an exception thrown inside (a bug, an allocation
// failure) becomes a kInternal error, so the transaction is rolled back and the connection is
// left outside any transaction, ready for the next call. Every store method uses this.
Status Transact(Database::Impl& d, const std::function<Status()>& body);

// Runs a statement that returns no rows; `prepare_error` is what Prepare set if `q` is null.
Status Run(Database::Impl& d, std::unique_ptr<Stmt> q, const Status& prepare_error,
           const char* what);
// The commune a record belongs to ("" = everyone's); *found = false if the hub never saw it.
Result<std::string> ScopeOf(Database::Impl& d, const std::string& type, const std::string& id,
                            bool* found);
// (hub_scopes.cpp) Scopes a record; an existing scope is kept, or with `replace` changed.
Status SetScope(Database::Impl& d, const std::string& type, const std::string& id,
                const std::string& commune, bool replace = false);
// (hub_scopes.cpp) ScopeOf and SetScope (not replacing) by hub_ids numbers: the commune's
// number (*found = false and 0 if the record has no scope), and a scope added unless the
// record has one. One index lookup each where the texts cost three.
Result<int64_t> ScopeIdOf(Database::Impl& d, int64_t type, const std::string& id, bool* found);
Status AddScopeIds(Database::Impl& d, int64_t type, const std::string& id, int64_t commune);
// (hub_scopes.cpp) Hub schema 13: hub_scope becomes the lean table hub_scopes and a view of
// the old name over it (read only). Inside the migration's transaction.
Status LeanScopes(Database::Impl& d);

// The scopes (hub_scope) of the records pushes read, their own and those their refs point to: a
// push of 10,000 visits names the same ~1,000 households and a few members over and over. A
// scope never changes once set (SetScope is INSERT OR IGNORE), so a scope found is kept. A
// record found unseen is remembered only until the next lookup of another unseen record, Set or
// ForgetUnseen: call ForgetUnseen after anything that scopes records behind the cache's back
// (HubWrite) and at the start of a transaction. A cache that outlives a transaction must be
// dropped when it rolls back (its Sets are undone) and when another connection may have
// written hub_scope (HubStore keeps one across pushes: hub_store.h).
class ScopeCache {
 public:
  // The record's commune ("" = everyone's), valid while the cache lives; *found = false if the
  // hub never saw the record (then "").
  Result<std::string_view> Of(Database::Impl& d, std::string_view type, std::string_view id,
                              bool* found);
  // Scopes a record the hub has not seen (SetScope) and remembers it.
  Status Set(Database::Impl& d, const std::string& type, const std::string& id,
             const std::string& commune);
  void ForgetUnseen() { unseen_type_.clear(), unseen_id_.clear(); }
  // The number of records whose scope is kept.
  size_t size() const {
    size_t n = 0;
    for (const auto& [type, ids] : types_) n += ids.size();
    return n;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Ids = std::unordered_map<std::string, std::string, Hash, std::equal_to<>>;
  size_t TypeIndex(std::string_view type);  // made if new
  Ids& OfType(std::string_view type);
  // hub_ids numbers, kept as the scopes are (a number never changes once given; a cache
  // that held one a rollback took back is dropped with its scopes): record types and
  // communes by text, communes' texts by number.
  Result<int64_t> TypeId(Database::Impl& d, std::string_view type, bool add);
  Result<std::string> CommuneText(Database::Impl& d, int64_t commune);
  IdCache ids_;
  std::unordered_map<int64_t, std::string> texts_;
  std::vector<std::pair<std::string, Ids>> types_;  // a handful of record types
  std::string unseen_type_, unseen_id_;             // the last record found unseen, if any
  // The last record found, as a run of ops asks for it op after op: its type's index in
  // types_ and its map entry (an unordered_map's nodes stay put through inserts and rehashes;
  // nothing is erased; a new type, which may move the maps, forgets it).
  size_t last_type_ = static_cast<size_t>(-1);
  const std::pair<const std::string, std::string>* last_ = nullptr;
};

Status SetOrigin(Database::Impl& d, const std::string& origin, int64_t max_seq);
Result<int64_t> OriginMax(Database::Impl& d, const std::string& origin);
// A hub-made record write: stamped, change-logged, scoped and put in the server log.
Status HubWrite(Database::Impl& d, const char* type, const std::string& id, const json& fields,
                const std::string& scope);

}  // namespace gocua::hub_internal
