#include "storage/core/ids.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>

#include "platform/crypto.h"

#ifndef _WIN32
#include <unistd.h>
#endif

namespace gocua {
namespace {

void FillRandom(unsigned char* out, int n) {
  if (SecureRandomBytes(out, static_cast<size_t>(n))) return;
  // The OS's generator failing is a broken system; fall back rather than crash a field save.
  std::random_device rd;
  for (int i = 0; i < n; ++i) out[i] = static_cast<unsigned char>(rd());
}

// Random bytes for ids only (UUIDv7's 74 random bits), drawn from the OS generator 4 KiB at
// a time per thread and handed out once each: a generator call per id cost ~6,700
// instructions, a twentieth of an imported household's whole cost. Ids are not secrets (they
// travel to the hub and into exports), but they must not repeat: a pool filled before a
// fork() is not used by the child (POSIX; Windows has no fork). Secrets (RandomHex: tokens,
// keys) still come straight from the generator.
class IdRandomPool {
 public:
  void Take(unsigned char* out, size_t n) {
#ifndef _WIN32
    const pid_t pid = getpid();
    if (pid != pid_) {
      pid_ = pid;
      used_ = sizeof bytes_;
    }
#endif
    if (n > sizeof bytes_ - used_) {
      FillRandom(bytes_, static_cast<int>(sizeof bytes_));
      used_ = 0;
    }
    std::copy_n(bytes_ + used_, n, out);
    std::fill_n(bytes_ + used_, n, static_cast<unsigned char>(0));  // handed out once
    used_ += n;
  }

 private:
  unsigned char bytes_[4096];
  size_t used_ = sizeof bytes_;  // empty: filled at the first Take
#ifndef _WIN32
  pid_t pid_ = 0;
#endif
};

const char kHex[] = "0123456789abcdef";

}  // namespace

std::string RandomHex(int n) {
  std::string bytes(static_cast<size_t>(n), '\0');
  FillRandom(reinterpret_cast<unsigned char*>(bytes.data()), n);
  std::string out;
  out.reserve(static_cast<size_t>(n) * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string NewUuidV7(int64_t unix_ms) {
  unsigned char b[16];
  thread_local IdRandomPool pool;
  pool.Take(b + 6, 10);
  uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(unix_ms, 0));
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));  // version 7
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));  // variant 10
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 15]);
  }
  return out;
}

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

HlcTime HlcTick(HlcTime last, int64_t wall_ms) {
  int64_t last_ms = HlcMillis(last);
  if (wall_ms > last_ms) return MakeHlc(wall_ms, 0);
  int counter = static_cast<int>(last & 0xffff) + 1;
  if (counter > 0xffff) return MakeHlc(last_ms + 1, 0);
  return MakeHlc(last_ms, counter);
}

HlcTime HlcObserve(HlcTime last, HlcTime remote, int64_t wall_ms) {
  return HlcTick(std::max(last, remote), wall_ms);
}

}  // namespace gocua
