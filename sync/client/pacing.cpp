#include "sync/client/pacing.h"

#include <algorithm>

namespace gocua::client {

void BatchSizer::Grow() {
  ops_ = std::min(ops_ * 2, protocol::kMaxOpsPerBatch);
  bytes_ = std::min(bytes_ * 2, protocol::kMaxBatchBytes);
}

void BatchSizer::Shrink() {
  ops_ = std::max(ops_ / 2, 1);
  bytes_ = std::max(bytes_ / 2, kMinBatchBytes);
}

Backoff::Backoff(int64_t base_ms, int64_t max_ms, uint64_t seed)
    : base_ms_(std::max<int64_t>(base_ms, 0)),
      max_ms_(std::max<int64_t>(max_ms, 0)),
      rng_(seed != 0
               ? seed
               : (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()) {}

int64_t Backoff::Delay(int retry) {
  int64_t d = base_ms_;
  for (int i = 1; i < retry && d < max_ms_; ++i) d *= 2;
  d = std::min(d, max_ms_);
  if (d <= 1) return d;
  std::uniform_int_distribution<int64_t> pick(d / 2, d);
  return pick(rng_);
}

}  // namespace gocua::client
