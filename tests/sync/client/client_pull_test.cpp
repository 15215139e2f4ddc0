// The sync engine pulling from a fake hub (fake_hub.h): pages until has_more is false, 410,
// and pages with records this build does not know.
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE("Client: pull pages until has_more is false, and 410 downloads again from the start") {
  World w(60);
  w.Enroll(w.a, "Laptop A");
  const int64_t all = w.a.LastSeq();

  Device b(w.hub, w.clock, SyncOptions{.pull_limit = 100});
  EnrollResult e = b.engine->Enroll(kHubUrl, kCode, "Laptop B");
  REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
  CHECK(e.sync.pulled == all);
  CHECK(w.hub.Count("/v1/pull") >= static_cast<int>(all / 100));
  CHECK(b.HouseholdCount() == 60);
  // Each request continued from the last page's cursor.
  std::vector<std::string> afters;
  for (const FakeHub::Seen& s : w.hub.seen)
    if (s.path == "/v1/pull" && s.token == "tok-" + b.db->device_id()) afters.push_back(s.after);
  REQUIRE(afters.size() > 2);
  CHECK(afters[0].empty());
  CHECK(afters[1] == "e1.100");

  // The hub rebuilt its log: old cursors answer 410. B has an unsent edit meanwhile.
  Household h = Households(*b.db).List({})->front();
  h.address = "99 ngõ 9";
  REQUIRE(Households(*b.db).Update(h).ok());
  w.hub.epoch = 2;
  w.hub.seen.clear();
  SyncResult r = b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pushed >= 1);
  // Everything again, but for B's own edit (applying it again would change nothing).
  CHECK(r.pulled == static_cast<int64_t>(w.hub.log.size()) - r.pushed);
  CHECK(Households(*b.db).Get(h.id)->address == "99 ngõ 9");
  CHECK(b.HouseholdCount() == 60);
  afters.clear();
  for (const FakeHub::Seen& s : w.hub.seen)
    if (s.path == "/v1/pull") afters.push_back(s.after);
  REQUIRE(afters.size() >= 2);
  CHECK(afters[0].rfind("e1.", 0) == 0);
  CHECK(afters[1].empty());
  CHECK(Replica(*b.db).State()->cursor.rfind("e2.", 0) == 0);
}

TEST_CASE("Client: a page with records this build does not know keeps the cursor") {
  World w(1);
  w.Enroll(w.a, "Laptop A");
  const std::string cursor = Replica(*w.a.db).State()->cursor;
  Op future;
  future.origin_device = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  future.seq = 1;
  future.record_type = "drone_flight";
  future.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
  future.field = "altitude";
  future.value = 120;
  future.hlc = kTestNowMs << 16;
  w.hub.AddToLog(future);
  SyncResult r = w.a.engine->Sync();
  CHECK(r.failure == SyncFailure::kTooOld);
  CHECK(Contains(r.error.message(), "cập nhật ứng dụng"));
  CHECK(Replica(*w.a.db).State()->cursor == cursor);
}

}  // namespace
}  // namespace gocua::client
