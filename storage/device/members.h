#pragma once
// Team members and leaders of this device's commune, and their PINs.
#include <string_view>
#include <vector>

#include "storage/core/database.h"
#include "storage/core/records.h"

namespace gocua {

// A member and whether they may still sign in (see Members::Deactivate).
struct MemberStatus {
  Member member;
  bool active = true;
};

class Members {
 public:
  explicit Members(Database& db) : db_(db) {}

  // Adds a member to this device's commune. `pin` is 4–8 digits; only its PBKDF2 hash is kept.
  Result<Member> Add(const std::string& name, Role role, const std::string& pin);
  Result<Member> Get(const std::string& id);
  // Active members of this device's commune, by name (a deactivated one is not listed: not
  // offered for sign-in or for new visits).
  Result<std::vector<Member>> List();
  // Every member of this device's commune, the deactivated too, by name: the leader's member
  // list, and names for visits made by someone since deactivated.
  Result<std::vector<MemberStatus>> ListAll();
  // Whether `member_id` names a deactivated member of this device (NotFound if none at all).
  Result<bool> IsDeactivated(const std::string& member_id);

  // A leader's changes to another member (the hub takes them from a leader's device only,
  // sync/hub/store/authorise.cpp; a member's device sends them and the hub quarantines them).
  // Each is one transaction with its one change-log entry, written as the signed-in member's.
  //
  // The new PIN of an active member: 4–8 digits, only its hash kept (a fresh salt).
  Status SetPin(const std::string& member_id, const std::string& pin);
  // Deactivation is the member record's tombstone (deleted = 1), reactivation its undelete:
  // no field of its own, so the hub's rules for members (only a leader's device writes another
  // member's "deleted") and for authors (an op whose author is deleted is refused) apply as
  // they are. A deactivated member cannot sign in (Get is NotFound) and is not listed; the
  // visits they made keep naming them. No-op when already in that state.
  Status Deactivate(const std::string& member_id);
  Status Reactivate(const std::string& member_id);
  // True when `pin` is the member's PIN. Constant-time compare. A hash of the legacy scheme
  // that matches is replaced by one of the current scheme, written as the member's own change
  // (docs/security.md, "PIN hashes") — unless the member is a leader and this device is not
  // enrolled as a leader's (the hub would refuse it: a leader's PIN is set on a leader device).
  Result<bool> CheckPin(const std::string& member_id, const std::string& pin);

 private:
  Database& db_;
};

// The role the hub gave this device at enrollment (meta "device_role"): "member", "leader", or
// "" when not known (not enrolled, or enrolled with a hub before roles, which checks none). The
// hub's refusal is the real check; the app and the CLI ask this to explain before trying.
Status SaveDeviceRole(Database& db, const std::string& role);
Result<std::string> DeviceRole(Database& db);
// Whether this device may do a leader's work (decide reviews, resolve conflicts, add members,
// set another member's PIN): enrolled as a leader's, or with a hub that has no roles.
Result<bool> DeviceMayLead(Database& db);
// What to tell a person who tries a leader's work on a member's laptop.
inline constexpr const char* kNotLeaderDevice =
    "Máy này được đăng ký cho thành viên, không phải cho tổ trưởng: việc này chỉ làm được trên "
    "máy của tổ trưởng. Hãy làm trên máy tổ trưởng, hoặc nhờ quản trị máy chủ cấp mã đăng ký "
    "tổ trưởng (--role leader) — this laptop is enrolled as a member's; do this on a leader's "
    "laptop";

// PIN hashes: "pbkdf2-sha256$<iterations>$<salt: 32 hex>$<PBKDF2-HMAC-SHA256: 64 hex>", the
// salt's hex text being the PBKDF2 salt. The current scheme has kPinIterations (about 0.3 s of
// one core of the reference machine, docs/security.md); the legacy one kLegacyPinIterations
// (hashes written before hub schema 7). Nothing else is a PIN hash.
inline constexpr int kPinIterations = 300000;
inline constexpr int kLegacyPinIterations = 20000;

// The hash of `pin` with `salt_hex` and `iterations`. Exposed for tests.
std::string HashPin(const std::string& pin, const std::string& salt_hex, int iterations);
// A new hash of `pin` in the current scheme, with a fresh random salt.
std::string NewPinHash(const std::string& pin);
// Whether `pin_hash` has the shape of the current scheme (what a hub accepts in a push).
bool IsCurrentPinHash(std::string_view pin_hash);
// Whether `pin_hash` has the shape of the legacy scheme (accepted on a device only).
bool IsLegacyPinHash(std::string_view pin_hash);
// True when `pin` matches `pin_hash` of the current or the legacy scheme; false for any other
// string (another iteration count, a 1-iteration hash, another algorithm, a bad shape).
bool VerifyPin(const std::string& pin, const std::string& pin_hash);

}  // namespace gocua
