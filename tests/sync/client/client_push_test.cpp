// The sync engine pushing its outbox to a fake hub (fake_hub.h): batches that grow and shrink,
// seq gaps, forks, acks, and the outcomes it counts.
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE("Client: the outbox drains in batches that grow after fast successes") {
  World w(400);
  const int64_t total = w.a.Pending();
  REQUIRE(total > 3000);
  std::vector<std::pair<int64_t, int64_t>> progress;
  w.Enroll(w.a, "Laptop A");
  w.hub.seen.clear();
  // Nothing left: a sync asks for nothing.
  SyncResult again = w.a.engine->Sync();
  CHECK(again.ok());
  CHECK(w.hub.PushSizes().empty());

  // A fresh device with as much to send, watching progress.
  World w2(400);
  SyncResult r;
  {
    EnrollResult e = w2.a.engine->Enroll(kHubUrl, kCode, "Laptop A",
                                         [&](SyncPhase p, int64_t done, int64_t all) {
                                           if (p == SyncPhase::kPush)
                                             progress.push_back({done, all});
                                         });
    REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
    r = e.sync;
  }
  const std::vector<size_t> sizes = w2.hub.PushSizes();
  REQUIRE(sizes.size() >= 4);
  CHECK(sizes[0] == static_cast<size_t>(protocol::kStartBatchOps));
  CHECK(sizes[1] > sizes[0]);
  CHECK(sizes[2] > sizes[1]);
  size_t sum = 0;
  for (size_t n : sizes) {
    CHECK(n <= static_cast<size_t>(protocol::kMaxOpsPerBatch));
    sum += n;
  }
  for (const FakeHub::Seen& s : w2.hub.seen)
    if (s.path == "/v1/push") CHECK(s.body_bytes <= protocol::kMaxBatchBytes);
  CHECK(sum == static_cast<size_t>(w2.a.LastSeq()));  // each op sent exactly once
  CHECK(r.pushed == w2.a.LastSeq());
  CHECK(w2.a.Pending() == 0);
  CHECK(w2.hub.duplicates == 0);
  REQUIRE(progress.size() == sizes.size() + 1);
  CHECK(progress.front().first == 0);
  CHECK(progress.back().first == progress.back().second);
  CHECK(w2.hub.overlapped == 0);  // the next batch is read while one is sent, never sent with it
}

TEST_CASE("Client: slow push answers keep the batch size, though the next batch was read grown") {
  // Every answer counts as slow: batches never grow. The engine reads batch n + 1 while batch
  // n is on the wire, as if n were taken fast (grown when n was full); that read is dropped.
  World w(150, SyncOptions{.fast_push_ms = 0});
  w.Enroll(w.a, "Laptop A");
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() >= 5);
  for (size_t i = 0; i + 1 < sizes.size(); ++i) CHECK(sizes[i] == size_t{200});
  CHECK(sizes.back() <= size_t{200});
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.duplicates == 0);
  CHECK(w.hub.overlapped == 0);
}

TEST_CASE("Client: 413 halves the batch until the hub takes it") {
  World w(100);
  w.hub.max_push_ops = 60;
  w.Enroll(w.a, "Laptop A");
  CHECK(w.a.Pending() == 0);
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() > 2);
  CHECK(sizes[0] == 200);
  CHECK(sizes[1] <= 100);
  CHECK(w.hub.duplicates == 0);
  CHECK(w.a.waits.empty());  // not a network failure: no wait

  w.hub.max_push_ops = 0;  // not even one op
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 1);
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kRejected);
  CHECK(Contains(r.error.message(), "413"));
}

TEST_CASE("Client: seq_gap resends from the expected seq, or stops when the hub lost data") {
  World w(3);
  w.Enroll(w.a, "Laptop A");
  auto village = Households(*w.a.db).List({})->front().village_id;
  AddHouseholds(*w.a.db, village, 2);
  const int64_t first = w.a.LastSeq() - w.a.Pending() + 1;
  // A hub that asks again for what we hold: we resend from there.
  w.hub.gap_once = first;
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(w.a.Pending() == 0);

  // The hub was restored from an old backup: it wants seqs this device already dropped.
  World w2(3);
  AddHouseholds(*w2.a.db, Places(*w2.a.db).FindVillage("Thôn Đông")->id, 1);
  REQUIRE(ChangeLog(*w2.a.db).Acknowledge(5).ok());  // "acknowledged" by the lost hub
  const int64_t pending = w2.a.Pending();
  SyncResult lost = w2.a.engine->Enroll(kHubUrl, kCode, "Laptop A").sync;
  CHECK(lost.failure == SyncFailure::kHubLostData);
  CHECK(Contains(lost.error.message(), "báo quản trị viên"));
  CHECK(Contains(lost.error.message(), "seq 1"));
  CHECK(w2.a.Pending() == pending);
  CHECK(w2.hub.Count("/v1/pull") == 0);
}

TEST_CASE("Client: device_fork stops pushing and keeps the outbox") {
  World w(2);
  // The hub already holds seq 1 of this device id with other content: a copied disk.
  Op other;
  other.origin_device = w.a.db->device_id();
  other.seq = 1;
  other.record_type = "household";
  other.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
  other.field = "head_name";
  other.value = "Someone else";
  other.hlc = kTestNowMs << 16;
  w.hub.AddToLog(other);
  const int64_t pending = w.a.Pending();
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  CHECK(r.sync.failure == SyncFailure::kDeviceFork);
  CHECK(Contains(r.sync.error.message(), "thiết bị mới"));
  CHECK(w.a.Pending() == pending);
  CHECK(w.hub.Count("/v1/push") == 1);
}

TEST_CASE("Client: an ack past what this device sent never drops its unsent edits") {
  // The hub holds this device id's seqs 1..200 as sent, and 201..260 with other content: the
  // laptop was restored from a backup taken before it sent 201..260 last time.
  World w(60);
  auto first = ChangeLog(*w.a.db).Pending(0, 200);
  REQUIRE(first.ok());
  REQUIRE(first->size() == 200);
  for (const ChangeEntry& e : *first)
    w.hub.AddToLog(Op{w.a.db->device_id(), e.seq, e.record_type, e.record_id, e.field, e.value,
                      e.base_hlc, e.base_device, e.hlc});
  for (int64_t seq = 201; seq <= 260; ++seq)
    w.hub.AddToLog(Op{w.a.db->device_id(), seq, "household", first->front().record_id, "head_name",
                      "Other " + std::to_string(seq), 0, "", kTestNowMs << 16});
  const int64_t all = w.a.Pending();
  REQUIRE(all > 260);
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  // The first batch (1..200) was answered acked_seq 260; only 1..200 left the outbox.
  CHECK(r.sync.failure == SyncFailure::kDeviceFork);
  CHECK(r.sync.pushed == 200);
  CHECK(w.a.Pending() == all - 200);
  auto next = ChangeLog(*w.a.db).Pending(0, 1);
  REQUIRE(next.ok());
  CHECK(next->front().seq == 201);
}

TEST_CASE("Client: conflicts and quarantined ops are counted, and leave the outbox") {
  World w(2);
  w.hub.outcomes = {{3, protocol::Outcome::kConflict},
                    {4, protocol::Outcome::kConflict},
                    {5, protocol::Outcome::kQuarantined},
                    {6, protocol::Outcome::kMerged}};
  EnrollResult r = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A");
  REQUIRE_MESSAGE(r.ok(), r.sync.error.message());
  CHECK(r.sync.conflicts == 2);
  CHECK(r.sync.quarantined == 1);
  CHECK(w.a.Pending() == 0);
}

}  // namespace
}  // namespace gocua::client
