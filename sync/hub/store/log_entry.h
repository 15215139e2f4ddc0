#pragma once
// One op of the hub's server log, as the push and pull policy sees it: what a store appends
// (HubTxn::AppendLog) and reads back (HubTxn::LoggedOp). How a store lays rows out (the SQLite
// store keeps runs of ops in one row: sqlite/hub_internal.h) is its own business.
#include <cstddef>
#include <cstdint>
#include <string>

#include "storage/core/merge.h"

namespace gocua::hub_internal {

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

// What the hub logged for one change (a field's stamp): its value and author. `found` is
// false for a change the log does not hold.
struct LoggedChange {
  bool found = false;
  nlohmann::json value;
  std::string author;
};

const char* OutcomeText(MergeOutcome o);
MergeOutcome OutcomeOf(const std::string& s);

}  // namespace gocua::hub_internal
