// The sync engine on a bad link to a fake hub (fake_hub.h): cut and dead links, 5xx answers,
// and cancelling: retried with backoff, the outbox kept, the next sync resuming.
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE("Client: a cut link is retried with backoff and resumes without resending acked ops") {
  World w(300);
  w.Enroll(w.a, "Laptop A");  // an empty outbox after this
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 300);
  const int64_t to_send = w.a.Pending();
  REQUIRE(to_send > 2000);
  w.hub.seen.clear();
  w.a.waits.clear();

  // The second push never reaches the hub; the third is processed but its reply is lost.
  int pushes = 0;
  w.hub.on_request = [&](const HttpRequest& r) {
    if (r.url.find("/v1/push") == std::string::npos) return;
    ++pushes;
    if (pushes == 2) w.hub.drop_before = 1;
    if (pushes == 4) w.hub.drop_after = 1;
  };
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed == to_send);
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.Acked(w.a.db->device_id()) == w.a.LastSeq());
  // Nothing the device had been told was acknowledged went out again. The push whose reply
  // was lost was resent (only its unacknowledged part), and the hub deduped it.
  CHECK(w.hub.resent_after_ack == 0);
  CHECK(w.hub.duplicates > 0);
  // Two failures, two waits; a failure halves the next batch.
  CHECK(w.a.waits.size() == 2);
  const std::vector<size_t> sizes = w.hub.PushSizes();
  REQUIRE(sizes.size() >= 5);
  CHECK(sizes[1] == 0);        // never reached the hub: no body was read
  CHECK(sizes[4] < sizes[3]);  // the resend after the lost reply is smaller
  CHECK(w.hub.overlapped == 0);
}

TEST_CASE("Client: a dead link gives up after max attempts, keeps the outbox, and says so") {
  World w(3, SyncOptions{.max_attempts = 4, .base_backoff_ms = 500, .max_backoff_ms = 4000});
  w.Enroll(w.a, "Laptop A");
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 2);
  const int64_t pending = w.a.Pending();
  w.a.waits.clear();
  w.hub.drop_before = 1000;
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kNetwork);
  CHECK(Contains(r.error.message(), "Không kết nối được máy chủ đồng bộ"));
  CHECK(Contains(r.error.message(), "Kiểm tra mạng"));
  CHECK(Contains(r.error.message(), "sau 4 lần thử"));
  CHECK(r.pending == pending);
  CHECK(w.a.Pending() == pending);
  // Three waits between four tries, each within [d/2, d] of a doubling d.
  REQUIRE(w.a.waits.size() == 3);
  CHECK(w.a.waits[0] >= 250);
  CHECK(w.a.waits[0] <= 500);
  CHECK(w.a.waits[1] >= 500);
  CHECK(w.a.waits[1] <= 1000);
  CHECK(w.a.waits[2] >= 1000);
  CHECK(w.a.waits[2] <= 2000);

  // The link comes back: the next sync sends it all.
  w.hub.drop_before = 0;
  SyncResult ok = w.a.engine->Sync();
  REQUIRE_MESSAGE(ok.ok(), ok.error.message());
  CHECK(ok.pushed == pending);
  CHECK(w.a.Pending() == 0);
}

TEST_CASE("Client: 5xx answers are retried, and a hub that keeps failing is reported") {
  World w(3);
  w.Enroll(w.a, "Laptop A");
  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 2);
  const int64_t pending = w.a.Pending();
  w.a.waits.clear();
  w.hub.statuses = {503, 500};  // /healthz fails twice, then works
  SyncResult r = w.a.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed == pending);
  CHECK(w.a.waits.size() == 2);

  AddHouseholds(*w.a.db, Households(*w.a.db).List({})->front().village_id, 1);
  w.hub.statuses.assign(100, 502);
  SyncResult bad = w.a.engine->Sync();
  CHECK(bad.failure == SyncFailure::kHubFailing);
  CHECK(Contains(bad.error.message(), "HTTP 502"));
  CHECK(Contains(bad.error.message(), "báo quản trị viên"));
  CHECK(w.a.Pending() > 0);
}

TEST_CASE("Client: cancelling stops between requests and the next sync resumes") {
  World w(300);
  std::atomic<bool> cancel{false};
  int pushes = 0;
  w.hub.on_request = [&](const HttpRequest& r) {
    if (r.url.find("/v1/push") != std::string::npos && ++pushes == 2) cancel = true;
  };
  EnrollResult e = w.a.engine->Enroll(kHubUrl, kCode, "Laptop A", {}, &cancel);
  CHECK(e.sync.failure == SyncFailure::kCancelled);
  CHECK(Contains(e.sync.error.message(), "Đã huỷ"));
  CHECK(pushes == 2);
  CHECK(e.sync.pushed > 0);
  CHECK(w.a.Pending() == w.a.LastSeq() - e.sync.pushed);
  CHECK(w.hub.Count("/v1/pull") == 0);

  // Cancelled during a backoff wait: the wait ends and so does the sync.
  w.hub.on_request = {};
  cancel = false;
  w.hub.drop_before = 1;
  Device& a = w.a;
  SyncEngine engine(
      *a.db, w.hub, w.clock,
      SyncOptions{.sleep = [&](int64_t, const std::atomic<bool>*) { cancel = true; }});
  SyncResult r = engine.Sync({}, &cancel);
  CHECK(r.failure == SyncFailure::kCancelled);

  cancel = false;
  SyncResult rest = w.a.engine->Sync({}, &cancel);
  REQUIRE_MESSAGE(rest.ok(), rest.error.message());
  CHECK(w.a.Pending() == 0);
  CHECK(w.hub.resent_after_ack == 0);
  CHECK(w.hub.duplicates == 0);
}

}  // namespace
}  // namespace gocua::client
