#pragma once
// The hub's store: enrolled devices and their hashed tokens, one-time enrollment codes, the
// records the hub holds (a replica like any other, exporting the same canonical JSON), the
// server log that devices pull, the scope (commune) of every record, quarantined ops and
// conflicts.
//
// HubStore is the narrow interface that the HTTP API (sync/hub/api.h) and the admin commands
// (sync/hub/admin.h) use; an implementation is made by its factory and hidden behind it
// (LevelDB's DB): OpenSqliteHubStore (sync/hub/store/sqlite/sqlite_hub_store.h) is the
// embedded default. The push and pull policy is written once (sync/hub/store/push_policy.h,
// pull_page.h) against a store transaction (hub_txn.h) that each implementation provides.
//
// Threading: callers serialise calls to one HubStore (the HTTP API holds one mutex) unless it
// says ConcurrentCalls(): the PostgreSQL store keeps a pool of connections, one per call. Every method is one transaction: a crash at any point
// leaves either all of a push applied and logged or none of it.
// Failure: every method returns its error as a value; a database error is an error (never a
// wrong answer such as "not found" or a seq gap). Nothing throws.
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "storage/core/merge.h"
#include "storage/core/records.h"

namespace gocua {

struct HubDevice {
  std::string device_id, commune_id, name;
  int64_t enrolled_at = 0, last_seen = 0;  // Unix ms, hub clock
  bool revoked = false;
  int64_t acked_seq = 0;  // highest contiguous seq processed from this device
  // What the device may do (docs/security.md): the role of the code it enrolled with, or what
  // an admin set since (SetDeviceRole). Devices enrolled before roles are members.
  Role role = Role::kMember;
  // The device's new identity when it re-identified (gocua-cli reset-device, RetireDevice);
  // "" otherwise. A replaced device is revoked too.
  std::string replaced_by;
};

struct OpOutcome {
  int64_t seq = 0;  // of the pushing device (ApplyPush refuses ops of any other origin)
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
  std::vector<size_t> value_bytes;                // ops[i].value as compact JSON text, bytes
  std::string next_cursor;
  bool has_more = false;
  bool cursor_expired = false;  // the cursor is not from this hub's log: re-download
};

// One op of a pull page as a store reads it (HubStore::PullInto): views of texts the store
// owns, valid only during the PullSink::Add call that gets it. The value is `*value`, or when
// `value` is null `value_text`: its compact JSON text exactly as json_text::AppendValueText
// writes it.
struct PulledOpView {
  int64_t server_seq = 0;
  std::string_view origin_device;
  int64_t seq = 0;
  std::string_view record_type, record_id, field;
  const nlohmann::json* value = nullptr;
  std::string_view value_text;
  size_t value_bytes = 0;  // the value as compact JSON text, bytes
  int64_t base_hlc = 0;
  std::string_view base_device;
  int64_t hlc = 0;
  std::string_view author;
  int64_t seen_hlc = 0;
  std::string_view seen_device;
};

// Takes a pull page's ops one by one, in server order (HubStore::PullInto).
class PullSink {
 public:
  virtual ~PullSink() = default;
  virtual void Add(const PulledOpView& op) = 0;
};

// What a page handed to a PullSink says besides its ops (HubPullPage's other fields).
struct HubPullEnd {
  std::string next_cursor;
  bool has_more = false;
  bool cursor_expired = false;
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

// --- The province's web console (sync/hub/console/, docs/console.md) ---
// An administrator's account. `password_hash` is made and checked by the console (the PIN KDF
// of storage/device/members.h); the store only keeps it.
struct ConsoleAdmin {
  std::string name, password_hash;
  int64_t failed = 0;        // failed sign-ins in a row
  int64_t locked_until = 0;  // Unix ms, hub clock; 0 = not locked
};

// A signed-in browser. The store keeps only the SHA-256 of the cookie's id (a copy of the
// database gives no session); `csrf` is the token its forms carry.
struct ConsoleSession {
  std::string id_hash, admin, csrf;
  int64_t created_at = 0, last_seen = 0;  // Unix ms, hub clock
};

// One line of the console's audit log: who did what, when, from where.
struct AuditEntry {
  int64_t at = 0;  // Unix ms, hub clock
  std::string admin, action, detail, remote;
};

// A commune's figures for the province's coverage page, from the hub's own record tables.
struct CommuneCoverage {
  std::string commune_id, commune_name;
  int64_t households = 0;          // in the register (not deleted)
  int64_t households_visited = 0;  // with at least one visit that was not returned
  int64_t working_age = 0;         // the households' working-age counts, summed
  int64_t working_age_online = 0;  // persons born in the band, proficient in public services
};

// What moving a village to another commune did (HubStore::MoveVillage).
struct VillageMove {
  std::string from_commune;
  int64_t records = 0;  // records that followed it, the village included
  int64_t ops = 0;      // ops re-offered to the new commune's laptops
};

// The ops of one push, in order. An op that `follows` (an op after the first of its run on the
// wire: same origin, record and author) holds no origin_device, record_type, record_id or
// author of its own — they are the op before's: copying a run's strings into each of its
// ops, then freeing them, was a tenth of a push's CPU on the hub. A plain vector of whole ops
// converts (tests, tools). REQUIRES: ops.front() does not follow.
struct PushOps {
  PushOps() = default;
  PushOps(std::vector<RemoteOp> whole) : ops(std::move(whole)) {}  // NOLINT: implicit by design
  PushOps(std::initializer_list<RemoteOp> whole) : ops(whole) {}
  PushOps(std::vector<RemoteOp> some, std::vector<bool> follow)
      : ops(std::move(some)), follows(std::move(follow)) {}

  bool Follows(size_t i) const { return i < follows.size() && follows[i]; }

  std::vector<RemoteOp> ops;
  std::vector<bool> follows;  // by op; shorter (empty) = the rest are whole
};

class HubStore {
 public:
  virtual ~HubStore() = default;

  // --- Administration (gocua-hub commands). Records made here are the hub's own ops. ---
  // Creates the commune (and its province, found by name or made) — or returns the existing
  // one of that name in that province. Names must be valid UTF-8 (kInvalidInput otherwise,
  // nothing written).
  virtual Result<Commune> CreateCommune(const std::string& province_name,
                                        const std::string& commune_name) = 0;
  virtual Result<std::vector<Commune>> Communes() = 0;
  virtual Result<Village> AddVillage(const std::string& commune_id, const std::string& name) = 0;
  virtual Result<Member> AddMember(const std::string& commune_id, const std::string& name,
                                   Role role, const std::string& pin) = 0;
  // A one-time code for enrolling one device into `commune_id` with `role`, valid `ttl_ms`.
  // Only its hash is kept; the code is returned once.
  virtual Result<std::string> IssueEnrollmentCode(const std::string& commune_id, int64_t ttl_ms,
                                                  Role role = Role::kMember) = 0;
  // Sets what an enrolled device may do (a leader's laptop of a hub upgraded from before roles,
  // or a laptop handed to another person). kNotFound for an unknown device.
  virtual Status SetDeviceRole(const std::string& device_id, Role role) = 0;
  virtual Result<std::vector<HubDevice>> Devices() = 0;
  // The commune's devices that are not revoked, for its devices to see each other's last
  // contact (a pull page's `devices`).
  virtual Result<std::vector<HubDevice>> CommuneDevices(const std::string& commune_id) = 0;
  virtual Status RevokeDevice(const std::string& device_id) = 0;
  // Renames an enrolled device (revoked ones too): what leaders see it as. kNotFound for an
  // unknown device. `name` is checked by the caller (the protocol's device-name rule).
  virtual Status RenameDevice(const std::string& device_id, const std::string& name) = 0;
  // The device re-identified as `replaced_by` (its own request, with its old token): revoked
  // for good, remembering the new id. Its log, origin seqs and records stay. Enroll refuses its
  // id afterwards (kConflict). kNotFound for an unknown device.
  virtual Status RetireDevice(const std::string& device_id, const std::string& replaced_by) = 0;
  virtual Result<std::vector<QuarantinedOp>> Quarantined() = 0;
  virtual Result<std::vector<ConflictRecord>> Conflicts() = 0;
  // Every record the hub holds as canonical JSON (storage/io/export.h's format), the same text
  // a device holding the same records exports.
  virtual Result<std::string> ExportCanonicalJson() = 0;

  // --- Protocol ---
  // Trades a valid, unused, unexpired code for a new random token (returned once; only its
  // hash is kept, and nothing in the store can recompute it). A code works once: a replay, even
  // by the same device after a lost reply, is refused like a used code (the device asks for a
  // new code). A revoked device may re-enrol with a fresh code of its commune. Refused with
  // kConflict: a device id already enrolled and active, the hub's own id, or an id whose ops
  // the hub holds without its enrollment. Unknown/used/expired codes: kNotFound.
  // *code_commune (when not null) is set to the commune of the code whenever the code is one of
  // this hub's, used or expired too ("" otherwise): for rate limits per commune.
  virtual Result<std::pair<HubDevice, std::string>> Enroll(const std::string& code,
                                                           const std::string& device_id,
                                                           const std::string& device_name,
                                                           std::string* code_commune = nullptr) = 0;
  // The device holding `token`; kNotFound for an unknown or revoked token.
  virtual Result<HubDevice> Authenticate(const std::string& token) = 0;
  // Applies a batch from `device` in one transaction (see docs/sync-protocol.md): ops already
  // processed are skipped with their first answer; a gap or a different payload for a known
  // (origin, seq) rejects the batch; invalid or out-of-scope ops are quarantined; the rest are
  // merged, stamps from the future clamped to the hub's clock, conflicts recorded. The ops are
  // taken (moved into the log as they are applied). The policy is ApplyPush (push_policy.h).
  virtual Result<HubPushResult> Push(const HubDevice& device, PushOps ops) = 0;
  // Ops in `device`'s scope after `cursor` ("" = from the start), at most `limit`.
  virtual Result<HubPullPage> Pull(const HubDevice& device, const std::string& cursor,
                                   int limit) = 0;
  // The page Pull() gives, cut also before the op whose estimated size (PullOpBytes,
  // pull_page.h) would take the ops' sum past `max_bytes` (a page keeps its first op), its ops
  // handed to `sink` in order instead of copied into a HubPullPage. The default reads Pull()
  // (twice when the page is cut); a store may read its rows straight into views.
  virtual Result<HubPullEnd> PullInto(const HubDevice& device, const std::string& cursor,
                                      int limit, size_t max_bytes, PullSink& sink);
  // Records that `device_id` finished a sync now (its last pull page): its last_seen. A push
  // records it too.
  virtual Status NoteContact(const std::string& device_id) = 0;

  // --- The province's web console (sync/hub/console/). Accounts, sessions and the audit log
  // live in the database so that several hub processes on one database serve one console. ---
  // kConflict if `name` exists; kInvalidInput for an empty name.
  virtual Status AddConsoleAdmin(const std::string& name, const std::string& password_hash) = 0;
  virtual Result<ConsoleAdmin> FindConsoleAdmin(const std::string& name) = 0;  // kNotFound
  // Counts a failed sign-in in one transaction (several processes count together): after
  // `max_failures` in a row the account is locked for `lock_ms` from now and the count
  // restarts. Returns the account as it now is. kNotFound for an unknown name.
  virtual Result<ConsoleAdmin> NoteFailedSignIn(const std::string& name, int max_failures,
                                                int64_t lock_ms) = 0;
  virtual Status NoteSignedIn(const std::string& name) = 0;  // the failure count back to 0
  // Every account's name, in byte order.
  virtual Result<std::vector<std::string>> ConsoleAdmins() = 0;
  // Replaces `name`'s password hash and ends every session of the account but
  // `keep_session_hash` ("" = every one), in one transaction. kNotFound for an unknown name.
  virtual Status SetConsolePassword(const std::string& name, const std::string& password_hash,
                                    const std::string& keep_session_hash) = 0;
  // Removes account `name` and its sessions, in one transaction. kNotFound for an unknown name;
  // kConflict when it is the last account (the console would have no way in).
  virtual Status RemoveConsoleAdmin(const std::string& name) = 0;
  // Deletes the sessions last seen before `idle_before` or made before `created_before` (Unix
  // ms, hub clock); returns how many.
  virtual Result<int64_t> SweepConsoleSessions(int64_t idle_before, int64_t created_before) = 0;
  virtual Status CreateConsoleSession(const ConsoleSession& session) = 0;
  virtual Result<ConsoleSession> FindConsoleSession(const std::string& id_hash) = 0;  // kNotFound
  virtual Status TouchConsoleSession(const std::string& id_hash) = 0;  // last_seen = now
  virtual Status DeleteConsoleSession(const std::string& id_hash) = 0;
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> AuditLog(int limit) = 0;  // newest first
  // A province-wide setting of the console (the coverage target), "" when unset.
  virtual Result<std::string> ConsoleSetting(const std::string& key) = 0;
  virtual Status SetConsoleSetting(const std::string& key, const std::string& value) = 0;
  // A commune's live villages and members, by name.
  virtual Result<std::vector<Village>> Villages(const std::string& commune_id) = 0;
  virtual Result<std::vector<Member>> CommuneMembers(const std::string& commune_id) = 0;
  // Renames as the hub's own ops (devices pull them). kNotFound, kInvalidInput as CreateCommune.
  virtual Status RenameCommune(const std::string& commune_id, const std::string& name) = 0;
  virtual Status RenameVillage(const std::string& village_id, const std::string& name) = 0;
  // Moves a live village to another live commune after a merger, with its records (its
  // households, their persons and visits, the visits' reviews, conflicts on any of them): the
  // policy is sync/hub/store/village_move.h. kNotFound for an unknown or deleted village or
  // commune; kInvalidInput when the village is already in that commune.
  virtual Result<VillageMove> MoveVillage(const std::string& village_id,
                                          const std::string& to_commune_id) = 0;
  // Open conflicts, each with the commune it belongs to.
  virtual Result<std::vector<std::pair<std::string, ConflictRecord>>> OpenConflicts() = 0;
  // Every live commune's figures; working age = born in [born_from, born_to].
  virtual Result<std::vector<CommuneCoverage>> CoverageByCommune(int born_from, int born_to) = 0;

  // --- Serving ---
  // Whether calls may come from several threads at once (the PostgreSQL store's pool); false:
  // the caller serialises them, as the threading note above says.
  virtual bool ConcurrentCalls() const { return false; }
  // Whether the database answers now, by a cheap read (GET /healthz): kIo when it cannot be
  // reached, the message saying what to check.
  virtual Status Ping() = 0;
};

}  // namespace gocua
