#pragma once
// PIN lockout: growing waits after wrong PINs, counted per member on this laptop and kept in
// its database (storage/device/pin_attempts.h), so a restart does not reset them. Used by the
// app's sign-in (AppModel::SignIn) and by gocua-cli wherever it checks a PIN (reset-device).
//
// The rules:
//  - the first kFreeAttempts wrong PINs in a row cost nothing;
//  - the kFreeAttempts-th and every later wrong PIN starts a wait: kFirstWaitMs, doubling with
//    each further wrong PIN, capped at kMaxWaitMs;
//  - during a wait the PIN is not even checked (a right PIN is refused too) and nothing is
//    counted;
//  - a right PIN outside a wait clears the member's count;
//  - the clock going backwards never shortens a wait: a wall clock earlier than the latest
//    wrong PIN restarts the whole wait from now (saved, so it holds across restarts).
// A wait is counted from the latest wrong PIN (the wall clock), so it also runs while the
// laptop is off.
#include <cstdint>
#include <string>

#include "base/result.h"
#include "platform/clock.h"
#include "storage/core/database.h"

namespace gocua::app {

inline constexpr int kFreeAttempts = 5;
inline constexpr int64_t kFirstWaitMs = 30'000;
inline constexpr int64_t kMaxWaitMs = 30 * 60'000;

// The wait that `failures` wrong PINs in a row impose, counted from the latest one.
int64_t LockoutWaitMs(int failures);

// "Sai mã PIN quá nhiều lần. Thử lại sau 1 phút 30 giây. — Too many wrong PINs. Try again in
// 1 min 30 s." for `wait_ms` (rounded up to whole seconds).
std::string LockoutMessage(int64_t wait_ms);

enum class PinVerdict {
  kRight,   // signed in: the count is cleared
  kWrong,   // counted; wait_ms > 0 if this one started a wait
  kLocked,  // not checked: wait_ms is what remains
};

struct PinCheck {
  PinVerdict verdict = PinVerdict::kWrong;
  int64_t wait_ms = 0;
};

// Checks `pin` for `member_id` (Members::CheckPin) under the rules above. An unknown member or
// a database error is an error (and counts nothing).
Result<PinCheck> CheckPinWithLockout(Database& db, const Clock& clock, const std::string& member_id,
                                     const std::string& pin);

// The wait that remains for `member_id` now (0 = may try), restarting it if the clock went back.
Result<int64_t> LockoutRemainingMs(Database& db, const Clock& clock, const std::string& member_id);

}  // namespace gocua::app
