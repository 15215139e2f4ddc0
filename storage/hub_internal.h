#pragma once
// Internal to storage/hub_*.cpp: helpers over the hub's tables. REQUIRES for every function:
// inside d.Transact (reads may also run outside one).
#include <string>

#include "storage/merge.h"
#include "storage/record_store.h"

namespace gocua::hub_internal {

// One row of the server log (hub_log).
struct LogEntry {
  RemoteOp op;           // as applied (a clamped stamp included)
  int64_t orig_hlc = 0;  // the stamp as received, for recognising a resend
  std::string commune_id;
  bool served = true;  // false: quarantined, never pulled
  std::string outcome, reason, pushed_by;
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
Status AppendLog(Database::Impl& d, const LogEntry& e);
// A hub-made record write: stamped, change-logged, scoped and put in the server log.
Status HubWrite(Database::Impl& d, const char* type, const std::string& id, const json& fields,
                const std::string& scope);

}  // namespace gocua::hub_internal
