// A conflict made by two members offline, resolved by the leader on the Conflicts screen,
// converged everywhere: the real hub, two member laptops (sync engines over libcurl) and the
// leader's app (headless, with its own sync thread).
#include "storage/device/conflicts.h"

#include <doctest/doctest.h>

#include "storage/device/households.h"
#include "storage/io/export.h"
#include "tests/app/ui_harness.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {

TEST_CASE("App UI: a leader resolves two members' offline conflict and every laptop agrees") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& a = f.AddDevice();
  SyncDevice& b = f.AddDevice();
  a.db().SetAuthor(f.member_id);
  b.db().SetAuthor(f.member_id);
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Nguyễn Văn Đức";
  h.phone = "0912345678";
  const std::string hid = Households(a.db()).Add(h)->id;
  REQUIRE(a.Sync().ok());
  REQUIRE(b.Sync().ok());
  // Both correct the phone number in the village, offline.
  Household on_a = *Households(a.db()).Get(hid), on_b = *Households(b.db()).Get(hid);
  on_a.phone = "0911111111";
  on_b.phone = "0922222222";
  REQUIRE(Households(a.db()).Update(on_a).ok());
  REQUIRE(Households(b.db()).Update(on_b).ok());
  REQUIRE(a.Sync().ok());
  REQUIRE(b.Sync().ok());
  REQUIRE(b.conflicts_total() == 1);

  // The leader's laptop enrolls and gets the conflict.
  app::SyncWorkerOptions worker;
  worker.auto_every_s = 0;
  worker.engine = FastSyncOptions();
  UiHarness ui(worker);
  ui.StartEnroll(f.hub.url(),
                 f.hub.Ok({"enroll-code", "--commune", f.commune_id, "--role", "leader"}));
  REQUIRE(ui.FramesUntil([&] { return ui.model().commune().has_value(); }));
  ui.SignInAs(f.leader_id, "5678");
  ui.Click("nav.conflicts");
  auto open = Conflicts(ui.db()).ListOpen();
  REQUIRE(open->size() == 1);
  const ConflictView c = open->front();
  CHECK(c.record_id == hid);
  CHECK(c.field == "phone");
  REQUIRE(ui.Visible("conflicts.open." + c.id));
  ui.Click("conflicts.open." + c.id);
  CHECK(ui.Visible("conflicts.keep_a"));
  CHECK(ui.Visible("conflicts.keep_b"));
  // Neither: the leader phoned the family and writes the right number.
  ui.Type("conflicts.merged", "0933333333");
  ui.Click("conflicts.save_merged");
  CHECK(*Conflicts(ui.db()).CountOpen() == 0);
  CHECK_FALSE(ui.AnyVisible("conflicts.open."));
  ui.Click("nav.sync");
  const int64_t runs = ui.model().sync_view().runs_finished;
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().runs_finished > runs; }));
  INFO(ui.model().message());
  REQUIRE(ui.model().sync_view().last->ok());
  CHECK(ui.model().sync_view().last->quarantined == 0);  // a leader may resolve

  REQUIRE(a.Sync().ok());
  REQUIRE(b.Sync().ok());
  for (Database* db : {&a.db(), &b.db(), &ui.db()}) {
    CHECK(Households(*db).Get(hid)->phone == "0933333333");
    CHECK(*Conflicts(*db).CountOpen() == 0);
  }
  // a and b are members' laptops: they hold no leader PIN hash (docs/security.md); the
  // leader's laptop holds everything.
  const std::string hub_export = f.hub.Export();
  const std::string for_members = test::SyncFixture::WithoutLeaderPins(hub_export);
  CHECK(a.Export() == for_members);
  CHECK(b.Export() == for_members);
  CHECK(TrimEnd(*ExportCanonicalJson(ui.db())) == hub_export);
}

}  // namespace gocua::test
