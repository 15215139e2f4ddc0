#pragma once
// How hard the sync engine pushes: the size of push batches, adapted to the link, and the
// waits between retries. Plain values; not thread-safe (one engine, one thread).
#include <cstddef>
#include <cstdint>
#include <random>

#include "sync/protocol/protocol.h"

namespace gocua::client {

// Push batch limits (DESIGN.md, "Batches"): start at kStartBatchOps / kStartBatchBytes, double
// after a fast success, halve after a failure, between one op / kMinBatchBytes and
// kMaxOpsPerBatch / kMaxBatchBytes. A batch holds at least one op whatever `bytes()` says.
class BatchSizer {
 public:
  static constexpr size_t kMinBatchBytes = 1024;

  int ops() const { return ops_; }
  size_t bytes() const { return bytes_; }
  void Grow();
  void Shrink();
  bool operator==(const BatchSizer&) const = default;

 private:
  int ops_ = protocol::kStartBatchOps;
  size_t bytes_ = protocol::kStartBatchBytes;
};

// Exponential backoff with jitter: the wait before retry `n` (1 = the first retry) is drawn
// uniformly from [d/2, d], d = min(max_ms, base_ms * 2^(n-1)). "Equal jitter": devices that
// lost the same hub at the same moment do not come back in step, and no wait is near zero.
class Backoff {
 public:
  // seed 0 draws a seed from std::random_device.
  Backoff(int64_t base_ms, int64_t max_ms, uint64_t seed);
  int64_t Delay(int retry);

 private:
  int64_t base_ms_, max_ms_;
  std::mt19937_64 rng_;
};

}  // namespace gocua::client
