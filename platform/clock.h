#pragma once
// The wall clock, as a seam: production code takes a Clock& so tests can skew it.
#include <cstdint>
#include <string>

namespace gocua {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch. May jump backwards (NTP, a user's hand).
  virtual int64_t NowMs() const = 0;
};

// The operating system's clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// A clock tests set by hand. Not thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_; }
  void Set(int64_t now_ms) { now_ms_ = now_ms; }
  void Advance(int64_t delta_ms) { now_ms_ += delta_ms; }

 private:
  int64_t now_ms_;
};

// Today's date in local time as "YYYY-MM-DD".
std::string LocalDate(int64_t unix_ms);

// `unix_ms` in UTC through strftime's `format` (e.g. "%Y-%m-%d %H:%M UTC"); at most 63 bytes.
std::string UtcTime(int64_t unix_ms, const char* format);

}  // namespace gocua
