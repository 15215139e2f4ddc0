#pragma once
// Internal to storage/hub_*.cpp: helpers over the hub's tables. REQUIRES for every function:
// inside d.Transact (reads may also run outside one).
#include <string>
#include <string_view>
#include <vector>

#include "storage/merge.h"
#include "storage/record_store.h"

namespace gocua::hub_internal {

// One op of the server log (hub_log).
struct LogEntry {
  RemoteOp op;           // as applied (a clamped stamp included)
  int64_t orig_hlc = 0;  // the stamp as received, for recognising a resend
  std::string commune_id;
  bool served = true;  // false: quarantined, never pulled
  std::string outcome, reason, pushed_by;
  int64_t server_seq = 0;   // read from the log; AppendLog assigns it
  int64_t received_at = 0;  // read from the log; AppendLog stamps it
  size_t value_bytes = 0;   // read from the log: op.value.dump().size(), for page sizes
};

// A row of hub_log holds a run of ops (hub schema 4): consecutive seqs of one origin on one
// record, with the same commune, served flag and pusher, at most kMaxLogRun of them. The row's
// server_seq is its first op's, the others follow (server_seq + i), so server seqs stay one per
// op and cursors keep their meaning. Op 0 is in the row's columns, ops 1..n-1 in `rest` (a JSON
// array of LogRestOp arrays). A visit is one row instead of ~11: the log was a third of a
// push's CPU. View hub_ops shows one row per op, for people and tests.
inline constexpr int kMaxLogRun = 64;

// Whether `next` may join a run that ends with `last`.
bool ExtendsRun(const LogEntry& last, const LogEntry& next);
// Appends `run` as one row. REQUIRES: 1..kMaxLogRun entries, each extending the one before.
Status AppendLog(Database::Impl& d, const std::vector<LogEntry>& run);
// The select list that ExpandLogRow reads, in this order.
extern const char kLogColumns[];
// The ops of the hub_log row `q` is on (selected with kLogColumns), in server order.
Result<std::vector<LogEntry>> ExpandLogRow(Stmt& q);
// The text of ops 1..n-1 of `run` (the row's `rest`).
std::string RestText(const std::vector<LogEntry>& run);
// Appends ops 1..n-1 of a row, read from its `rest` text, to `out`, which holds op 0. A row
// that does not hold its n ops is kCorrupt. `fast` reads the writer's text without a json tree
// (hub_log_text.h) and falls back to nlohmann for anything else; false always uses nlohmann
// (tests compare the two). REQUIRES: n >= 2, out.size() == 1.
Status ExpandRest(std::string_view rest, int64_t n, std::vector<LogEntry>& out, bool fast = true);

// Collects the ops of a push into runs and appends each run when it ends. Flush before
// anything reads the log or appends to it otherwise (conflicts, the hub's own ops), and before
// the transaction commits.
class LogWriter {
 public:
  Status Add(Database::Impl& d, LogEntry e);
  Status Flush(Database::Impl& d);

 private:
  std::vector<LogEntry> run_;
};

std::string Sha256Hex(const std::string& s);
const char* OutcomeText(MergeOutcome o);
MergeOutcome OutcomeOf(const std::string& s);
// Runs a statement that returns no rows; `prepare_error` is what Prepare set if `q` is null.
Status Run(Database::Impl& d, std::unique_ptr<Stmt> q, const Status& prepare_error,
           const char* what);
// The commune a record belongs to ("" = everyone's); *found = false if the hub never saw it.
Result<std::string> ScopeOf(Database::Impl& d, const std::string& type, const std::string& id,
                            bool* found);
Status SetScope(Database::Impl& d, const std::string& type, const std::string& id,
                const std::string& commune);
Status SetOrigin(Database::Impl& d, const std::string& origin, int64_t max_seq);
Result<int64_t> OriginMax(Database::Impl& d, const std::string& origin);
// A hub-made record write: stamped, change-logged, scoped and put in the server log.
Status HubWrite(Database::Impl& d, const char* type, const std::string& id, const json& fields,
                const std::string& scope);

}  // namespace gocua::hub_internal
