#pragma once
// The store transaction that the push policy (push_policy.h) runs against: the few things a
// hub store must do for it, and nothing about how. The SQLite store implements it
// (sqlite/sqlite_txn.h); a PostgreSQL store implements the same.
//
// Lifetime: a HubTxn exists only inside one write transaction of its store, made by the store's
// Push, and is used by one thread. Every method REQUIRES that transaction to be open; any
// error returned means the caller must give up and the store rolls the transaction back
// (nothing of the push is kept). A store may buffer writes (the record held by a merge, the
// log's current run): it writes them out before anything it returns could miss them and
// before it commits — the policy never flushes.
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "storage/core/merge.h"
#include "storage/core/record_store.h"
#include "sync/hub/store/log_entry.h"

namespace gocua::hub_internal {

class HubTxn {
 public:
  virtual ~HubTxn() = default;

  // --- The clock ---
  // The hub's wall clock, Unix ms.
  virtual int64_t NowMs() = 0;
  // A new hub stamp after `ms` (and after every stamp the hub handed out): for clamping a
  // stamp from the future.
  virtual int64_t StampAfter(int64_t ms) = 0;

  // --- Origins: the highest contiguous seq processed from each origin device ---
  // 0 for an origin never seen.
  virtual Result<int64_t> OriginMaxSeq(const std::string& origin) = 0;
  virtual Status SetOriginMaxSeq(const std::string& origin, int64_t max_seq) = 0;

  // --- The server log ---
  // The logged op `seq` of `origin`, if the log holds it.
  virtual Result<std::optional<LogEntry>> LoggedOp(const std::string& origin, int64_t seq) = 0;
  // The change stamped `stamp` on record (`type`, `id`): its value of `field` (any field when
  // "") and author, from the log. Only conflicts ask, so it may cost a scan of one origin.
  virtual Result<LoggedChange> FindLogged(const std::string& type, const std::string& id,
                                          const std::string& field, const Stamp& stamp) = 0;
  // Appends `e` (server_seq and received_at are the store's). A quarantined op (served =
  // false) is kept with its content for an admin and never pulled. `e` is taken whole (moved
  // from, never copied): what it holds afterwards is unspecified.
  virtual Status AppendLog(LogEntry&& e) = 0;

  // --- Scopes: the commune of each record ("" = everyone's), fixed once set ---
  // The view is valid until the next call on this transaction. *found = false (and "") for a
  // record the hub never saw.
  virtual Result<std::string_view> ScopeOf(std::string_view type, std::string_view id,
                                           bool* found) = 0;
  // Scopes a record the hub has not seen. A record already scoped keeps its scope.
  virtual Status SetScope(const std::string& type, const std::string& id,
                          const std::string& commune) = 0;

  // --- Records: values and stamps per field ---
  // The record as merged so far in this transaction.
  virtual Result<StoredRow> PeekRecord(const RecordDef& def, const std::string& id) = 0;
  // FindDeleteRace (storage/core/merge.h) for `op` against its record as merged so far.
  // REQUIRES: `op` passed NormaliseRemoteOp.
  virtual Result<std::optional<DeleteRace>> DeleteRaceOf(const RemoteOp& op) = 0;
  // Decides `op` by the merge rule (DecideMerge) against its record and applies it. When the
  // outcome is kConflict the field's value and stamp before it come back in *current_value
  // and *current_stamp (either may be null); for other outcomes a store may leave them as
  // they were. REQUIRES: `op` passed NormaliseRemoteOp.
  virtual Result<MergeDecision> Merge(const RemoteOp& op, nlohmann::json* current_value,
                                      Stamp* current_stamp) = 0;
  // The hub's own write of `fields` to record (`type`, `id`): stamped by the hub, scoped to
  // `scope` if new, and logged for every device of that scope to pull (conflict records, the
  // undelete of a raced record).
  virtual Status WriteOwn(const char* type, const std::string& id, const nlohmann::json& fields,
                          const std::string& scope) = 0;

  // --- Devices ---
  // Records the device's last contact, `now`.
  virtual Status TouchDevice(const std::string& device_id, int64_t now) = 0;
};

}  // namespace gocua::hub_internal
