// The sync engine's small parts: gzip, backoff, batch sizes (fake_hub.h).
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE("Client: gzip round-trips and refuses damaged or oversized bodies") {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "{\"seq\": " + std::to_string(i) + ", \"x\": \"Đức\"}";
  const std::string packed = protocol::GzipCompress(text);
  CHECK(packed.size() < text.size() / 4);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic
  auto back = protocol::GzipInflate(packed, text.size());
  REQUIRE(back.ok());
  CHECK(*back == text);
  CHECK(protocol::GzipInflate(protocol::GzipCompress(""), 10).ok());

  // One byte short of the output: refused, not truncated.
  CHECK_FALSE(protocol::GzipInflate(packed, text.size() - 1).ok());
  // A bomb: 64 MiB of zeros is a small body, and inflating stops at the cap.
  const std::string bomb = protocol::GzipCompress(std::string(64 << 20, '\0'));
  CHECK(bomb.size() < 200 * 1024);
  auto exploded = protocol::GzipInflate(bomb, protocol::kMaxDecompressedBody);
  REQUIRE_FALSE(exploded.ok());
  CHECK(Contains(exploded.error().message(), "more than"));
  // Truncated and damaged streams.
  CHECK_FALSE(protocol::GzipInflate(packed.substr(0, packed.size() / 2), 1 << 20).ok());
  std::string damaged = packed;
  damaged[damaged.size() / 2] = static_cast<char>(damaged[damaged.size() / 2] ^ 0x55);
  CHECK_FALSE(protocol::GzipInflate(damaged, 1 << 20).ok());
  CHECK_FALSE(protocol::GzipInflate("not gzip at all", 1 << 20).ok());
}

TEST_CASE("Client: backoff doubles up to a cap, with jitter, reproducible from a seed") {
  Backoff a(1000, 30000, 7), b(1000, 30000, 7);
  for (int retry = 1; retry <= 10; ++retry) {
    const int64_t full = std::min<int64_t>(1000LL << (retry - 1), 30000);
    const int64_t d = a.Delay(retry);
    CHECK(d >= full / 2);
    CHECK(d <= full);
    CHECK(b.Delay(retry) == d);
  }
  // Jitter: two devices with different seeds do not come back in step.
  Backoff c(1000, 30000, 8), d(1000, 30000, 9);
  int same = 0;
  for (int i = 0; i < 20; ++i) same += c.Delay(5) == d.Delay(5);
  CHECK(same < 5);
  CHECK(Backoff(0, 0, 1).Delay(3) == 0);
}

TEST_CASE("Client: batch sizes double up to the maximum and halve down to one op") {
  BatchSizer s;
  CHECK(s.ops() == protocol::kStartBatchOps);
  CHECK(s.bytes() == protocol::kStartBatchBytes);
  for (int i = 0; i < 10; ++i) s.Grow();
  CHECK(s.ops() == protocol::kMaxOpsPerBatch);
  CHECK(s.bytes() == protocol::kMaxBatchBytes);
  for (int i = 0; i < 20; ++i) s.Shrink();
  CHECK(s.ops() == 1);
  CHECK(s.bytes() == BatchSizer::kMinBatchBytes);
}

}  // namespace
}  // namespace gocua::client
