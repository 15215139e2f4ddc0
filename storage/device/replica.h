#pragma once
// A device's side of sync, in its local database: enrollment, the pull cursor, applying
// pulled ops, and keeping the device clock honest against the hub's. The network is not here
// (sync/client); this is what the sync engine persists.
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/merge.h"

namespace gocua {

struct SyncState {
  std::string hub_url;  // "" before enrollment
  std::string token;    // the bearer token the hub gave
  std::string commune_id;
  std::string cursor;           // the last next_cursor applied, "" = from the start
  int64_t clock_offset_ms = 0;  // hub clock − this device's clock, learnt from server_time
  int64_t last_sync_ms = 0;     // hub time of the last completed sync, 0 = never
  // For an https hub with its own certificate: the PEM file to trust instead of the system's
  // CAs, as given at enrollment; "" = the system's.
  std::string ca_file;
};

// A pulled page checked against the schema (CheckRemoteOp, storage/core/record_store.h) before it
// is applied: made by CheckPulled, which needs no database, so the sync engine runs it on its
// network thread and the database thread only merges.
struct CheckedPage {
  std::vector<RemoteOp> ops;  // in server order; each value normalised if its check passed
  // The ops that failed their check (index in `ops`, why), in order.
  std::vector<std::pair<size_t, Status>> bad;
};
// Checks every op of `ops`. Thread-safe: reads only the schema.
CheckedPage CheckPulled(std::vector<RemoteOp> ops);

// The pages of one pulled group, handed to Replica::ApplyPulled one at a time, so that a group
// can go on with pages that arrive while it is applied, each freed once applied.
class PulledPages {
 public:
  virtual ~PulledPages() = default;
  // The group's next page, in order, or null once it ends (then never called again). The page
  // stays the caller's, untouched until this is called again but for its values, moved out.
  virtual CheckedPage* Next() = 0;
  // The cursor after the last page Next() handed out: saved with the group.
  virtual std::string Cursor() const = 0;
};

// Another device of the commune as the hub last heard from it (from the last pull).
struct DeviceContact {
  std::string device_id, name;
  int64_t last_seen_ms = 0;  // hub time of its last push or completed pull; 0 = never
  bool operator==(const DeviceContact&) const = default;
};

class Replica {
 public:
  explicit Replica(Database& db) : db_(db) {}

  Result<SyncState> State();
  // Records a successful enrollment. Fails with kConflict if the device already belongs to
  // another commune (set up offline, or enrolled elsewhere).
  Status SaveEnrollment(const std::string& hub_url, const std::string& token,
                        const std::string& commune_id);

  // Applies a pulled page in server order with the merge rule (no conflict records: the hub
  // makes those, and they arrive as records) and saves `next_cursor`, all in one transaction.
  // Ops made by this device are merged like the others: one it holds changes nothing (its
  // stamp is the field's), one it lost (restored from an older backup, pulled from the start)
  // comes back, and the change-log counter moves past its seq; one of its own that fails its
  // check is skipped (a newer build of this device made it). The HLC moves past every op.
  // Nothing reaches the change log. Unknown record types or fields fail the page (kCorrupt):
  // the cursor stays, and the engine reports that this build is too old for the hub.
  Status ApplyPulled(const std::vector<RemoteOp>& ops, const std::string& next_cursor);
  // The same for a page CheckPulled made; the ops' values are moved out (the rest stays).
  Status ApplyPulled(CheckedPage& page, const std::string& next_cursor);
  // The same for consecutive pages (a group the sync engine fetched ahead), in order, as one:
  // all their ops and `next_cursor` (the last page's) in ONE transaction. A failure anywhere
  // (a bad op in any page, a full disk) applies nothing of any of them and leaves the cursor
  // where it was. The ops' values are moved out (the rest stays).
  Status ApplyPulled(std::span<CheckedPage> pages, const std::string& next_cursor);
  // The same for the pages `pages` hands out, as one group, in ONE transaction with its
  // Cursor(); a failure applies nothing of the group and leaves the cursor where it was.
  Status ApplyPulled(PulledPages& pages);
  // Keeps the CA file to trust for this hub (SyncState::ca_file); "" forgets it.
  Status SaveCaFile(const std::string& path);
  // After the hub answered 410: pull the whole scope again. The outbox is kept.
  Status ResetCursor();

  // Learns the hub's clock from a reply's server_time: stores the offset that later stamps
  // use and moves the HLC past it. Then re-stamps unacknowledged changes stamped more than
  // `tolerance_ms` past the hub's time (made while the device clock ran ahead), in the change
  // log and in the records, keeping their order — so they do not win over edits made later.
  Status ObserveServerTime(int64_t server_time_ms, int64_t tolerance_ms = 60000);
  // Marks a completed sync (Today screen: "last synced …").
  Status MarkSynced(int64_t server_time_ms);

  // The commune's devices as the hub listed them on the last pull that said (replaces the
  // list), and that list; empty before any such pull.
  Status SaveDeviceContacts(const std::vector<DeviceContact>& devices);
  Result<std::vector<DeviceContact>> DeviceContacts();

 private:
  // ApplyPulled's transaction.
  Status ApplyPages(PulledPages& pages);

  Database& db_;
};

}  // namespace gocua
