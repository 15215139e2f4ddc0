#include "app/core/pin_lockout.h"

#include <algorithm>

#include "storage/device/members.h"
#include "storage/device/pin_attempts.h"

namespace gocua::app {

int64_t LockoutWaitMs(int failures) {
  if (failures < kFreeAttempts) return 0;
  int64_t wait = kFirstWaitMs;
  for (int i = kFreeAttempts; i < failures && wait < kMaxWaitMs; ++i) wait *= 2;
  return std::min(wait, kMaxWaitMs);
}

std::string LockoutMessage(int64_t wait_ms) {
  const int64_t total = std::max<int64_t>(1, (wait_ms + 999) / 1000);
  const int64_t h = total / 3600, m = total / 60 % 60, s = total % 60;
  std::string vi, en;
  auto part = [](std::string& out, int64_t n, const char* unit) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += std::to_string(n) + ' ' + unit;
  };
  part(vi, h, "giờ");
  part(vi, m, "phút");
  part(vi, s, "giây");
  part(en, h, "h");
  part(en, m, "min");
  part(en, s, "s");
  return "Sai mã PIN quá nhiều lần. Thử lại sau " + vi + ". — Too many wrong PINs. Try again in " +
         en + ".";
}

Result<int64_t> LockoutRemainingMs(Database& db, const Clock& clock, const std::string& member_id) {
  PinAttemptsStore store(db);
  auto a = store.Get(member_id);
  if (!a) return a.error();
  const int64_t wait = LockoutWaitMs(a->failures);
  if (wait == 0) return int64_t{0};
  const int64_t now = clock.NowMs();
  if (now < a->last_failure_ms) {  // the clock went back: the whole wait again, from now
    a->last_failure_ms = now;
    if (Status st = store.Put(member_id, *a); !st) return st;
    return wait;
  }
  return std::max<int64_t>(0, a->last_failure_ms + wait - now);
}

Result<PinCheck> CheckPinWithLockout(Database& db, const Clock& clock, const std::string& member_id,
                                     const std::string& pin) {
  auto remaining = LockoutRemainingMs(db, clock, member_id);
  if (!remaining) return remaining.error();
  if (*remaining > 0) return PinCheck{PinVerdict::kLocked, *remaining};
  auto right = Members(db).CheckPin(member_id, pin);
  if (!right) return right.error();
  PinAttemptsStore store(db);
  if (*right) {
    if (Status st = store.Put(member_id, PinAttempts{}); !st) return st;
    return PinCheck{PinVerdict::kRight, 0};
  }
  auto a = store.Get(member_id);
  if (!a) return a.error();
  a->failures += 1;
  a->last_failure_ms = clock.NowMs();
  if (Status st = store.Put(member_id, *a); !st) return st;
  return PinCheck{PinVerdict::kWrong, LockoutWaitMs(a->failures)};
}

}  // namespace gocua::app
