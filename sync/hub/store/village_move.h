#pragma once
// A village moving to another commune after a merger, with its records following it
// (docs/console.md, "Moving a village"), written once over the store transaction (hub_txn.h).
//
// The policy: the village and every record that hangs off it (its households, their persons
// and visits, the visits' reviews, the conflicts on any of them) take the new commune as their
// scope. The hub then re-offers each of them to the new commune through the server log: every
// field that was ever written is written again by the hub with its current value and a fresh
// hub stamp, logged for the new commune above every cursor. So the new commune's laptops, fresh
// or not, pull each record exactly once (the log's older ops of these records stay scoped to
// the old commune), and their later edits start from the hub's stamps. The old commune's
// laptops pull one more op, the village's new commune_id, and nothing after it; their pushes to
// the moved records are quarantined by the shared rule ("the record belongs to another
// commune", authorise.h). Their local copies of the moved records stay as they were.
// Laptops keep foreign keys, so the records that the moved ones name and the new commune's
// laptops do not hold (the old commune's members named by moved visits and reviews, and their
// commune) are copied to them through the log as the hub holds them (origin the hub, each
// field's own stamp time, not merged: still the old commune's records, whose pushes from the
// new commune are refused as before); likewise the new commune's record to the old commune's
// laptops, which now see the village there.
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/core/schema.h"
#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/hub_txn.h"

namespace gocua::hub_internal {

// A record that follows the village.
struct MovedRecord {
  const RecordDef* def = nullptr;
  std::string id;
};

// Re-offers `records` (the village first) to `to_commune`, whose scope the store has already
// set to it, in `txn`: the village's commune_id becomes `to_commune` (logged for `from_commune`
// too, so its laptops see the village leave), then every written field of every record is
// written again by the hub (origin `hub_id`, seqs from `next_seq`, stamps after every stamp the
// record holds) and logged for `to_commune`. Sets the hub origin's max seq. Deleted records go
// with their tombstone last. `result->ops` counts the ops logged for the new commune.
Status ReofferMoved(HubTxn& txn, const std::string& hub_id,
                    const std::function<int64_t()>& next_seq,
                    const std::vector<MovedRecord>& records, const std::string& from_commune,
                    const std::string& to_commune, VillageMove* result);

}  // namespace gocua::hub_internal
