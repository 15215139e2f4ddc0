#pragma once
// The hub's store on SQLite (the embedded default): the same record tables as a device — so
// the hub is a replica like any other and exports the same canonical JSON — plus the hub's
// own tables: enrolled devices and their hashed tokens, one-time enrollment codes, the server
// log that devices pull, the scope (commune) of every record, and quarantined ops.
//
// Threading: one HubStore is one SQLite connection; the HTTP server serialises calls to it
// (writes are serialised by SQLite anyway). Every method is one transaction: a crash at any
// point leaves either all of a push applied and logged or none of it.
#include <memory>
#include <string>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/merge.h"
#include "storage/core/records.h"

namespace gocua {

namespace hub_internal {
class ScopeCache;
}

struct HubDevice {
  std::string device_id, commune_id, name;
  int64_t enrolled_at = 0, last_seen = 0;  // Unix ms, hub clock
  bool revoked = false;
  int64_t acked_seq = 0;  // highest contiguous seq processed from this device
};

struct OpOutcome {
  int64_t seq = 0;
  std::string origin_device;
  MergeOutcome outcome = MergeOutcome::kApplied;
  bool quarantined = false;  // then `outcome` is meaningless
  std::string reason;        // why quarantined
};

// Why a whole push was refused (nothing applied).
struct PushRejection {
  enum class Kind { kNone, kSeqGap, kDeviceFork, kBadRequest } kind = Kind::kNone;
  std::string origin_device;
  int64_t expected_seq = 0;  // kSeqGap: the seq the hub wants next from origin_device
  std::string message;
};

struct HubPushResult {
  std::vector<OpOutcome> outcomes;  // one per op, in order (empty when rejected)
  int64_t acked_seq = 0;            // for the pushing device
  PushRejection rejection;
};

struct HubPullPage {
  std::vector<std::pair<int64_t, RemoteOp>> ops;  // (server seq, op), increasing
  std::vector<size_t> value_bytes;                 // ops[i].value as compact JSON text, bytes
  std::string next_cursor;
  bool has_more = false;
  bool cursor_expired = false;  // the cursor is not from this hub's log: re-download
};

struct QuarantinedOp {
  RemoteOp op;
  std::string device_id;  // the device that pushed it
  std::string reason;
  int64_t received_at = 0;
};

struct ConflictRecord {
  std::string id, record_type, record_id, field;
  std::string value_a, value_b;  // JSON text: a = the value held before, b = the incoming one
  std::string device_a, device_b;
  int64_t hlc_a = 0, hlc_b = 0;
  std::string winner;  // "a" | "b"
  std::string status;  // "open" | "resolved"
};

class HubStore {
 public:
  // Opens or creates the hub database at `path`. `clock` must outlive the store.
  static Result<std::unique_ptr<HubStore>> Open(const std::string& path, const Clock& clock);
  ~HubStore();

  // --- Administration (gocua-hub commands). Records made here are the hub's own ops. ---
  // Creates the commune (and its province, found by name or made) — or returns the existing
  // one of that name in that province.
  Result<Commune> CreateCommune(const std::string& province_name, const std::string& commune_name);
  Result<std::vector<Commune>> Communes();
  Result<Village> AddVillage(const std::string& commune_id, const std::string& name);
  Result<Member> AddMember(const std::string& commune_id, const std::string& name, Role role,
                           const std::string& pin);
  // A one-time code for enrolling one device into `commune_id`, valid `ttl_ms`. Only its hash
  // is kept; the code is returned once.
  Result<std::string> IssueEnrollmentCode(const std::string& commune_id, int64_t ttl_ms);
  Result<std::vector<HubDevice>> Devices();
  // The commune's devices that are not revoked, for its devices to see each other's last
  // contact (a pull page's `devices`).
  Result<std::vector<HubDevice>> CommuneDevices(const std::string& commune_id);
  Status RevokeDevice(const std::string& device_id);
  Result<std::vector<QuarantinedOp>> Quarantined();
  Result<std::vector<ConflictRecord>> Conflicts();
  Database& records() { return *db_; }

  // --- Protocol ---
  // Trades a valid, unused, unexpired code for a token (returned once; stored hashed). The same
  // device may use its code again while valid (a lost reply) and gets the same token. A revoked
  // device may re-enrol with a fresh code of its commune. A device id already enrolled and
  // active is refused (kConflict). Unknown/used/expired codes: kNotFound.
  Result<std::pair<HubDevice, std::string>> Enroll(const std::string& code,
                                                   const std::string& device_id,
                                                   const std::string& device_name);
  // The device holding `token`; kNotFound for an unknown or revoked token.
  Result<HubDevice> Authenticate(const std::string& token);
  // Applies a batch from `device` in one transaction (see docs/sync-protocol.md): ops already
  // processed are skipped with their first answer; a gap or a different payload for a known
  // (origin, seq) rejects the batch; invalid or out-of-scope ops are quarantined; the rest are
  // merged, stamps from the future clamped to the hub's clock, conflicts recorded. The ops are
  // taken (moved into the log as they are applied).
  Result<HubPushResult> Push(const HubDevice& device, std::vector<RemoteOp> ops);
  // Ops in `device`'s scope after `cursor` ("" = from the start), at most `limit`.
  Result<HubPullPage> Pull(const HubDevice& device, const std::string& cursor, int limit);
  // Records that `device_id` finished a sync now (its last pull page): its last_seen. A push
  // records it too.
  Status NoteContact(const std::string& device_id);

 private:
  HubStore(std::unique_ptr<Database> db);
  // The scope cache for a push (hub_internal.h), kept from the pushes before while nothing but
  // this store wrote the file: `data_version` (PRAGMA data_version, read inside the push's
  // transaction) differs once another connection committed, and the cache starts empty. A
  // push that fails drops it (it may hold scopes its rollback undid). Scopes are only ever
  // added (SetScope is INSERT OR IGNORE), so what this store writes outside a push never makes
  // a kept scope wrong.
  hub_internal::ScopeCache& KeptScopes(int64_t data_version);
  static constexpr size_t kMaxKeptScopes = 1 << 18;  // records (~50 MB), then it starts again

  std::unique_ptr<Database> db_;
  std::unique_ptr<hub_internal::ScopeCache> scopes_;
  int64_t scopes_version_ = 0;
};

}  // namespace gocua
