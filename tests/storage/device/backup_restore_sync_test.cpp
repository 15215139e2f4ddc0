// Restore in place (RestoreBackup into the open connection, as the app does) on an enrolled
// laptop, against the real gocua-hub: the next sync brings back what the laptop sent after the
// backup, and the laptop goes on syncing as the same device (no fork) — provided that sync runs
// before anything new is recorded (app/core/restore.h says so to the person).
#include <doctest/doctest.h>

#include <filesystem>

#include "storage/device/backup.h"
#include "storage/device/households.h"
#include "tests/support/client_helpers.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

namespace fs = std::filesystem;

TEST_CASE("Backup restore in place: the next sync brings back what was sent and syncing goes on") {
  test::SyncFixture f;
  f.hub.Start();
  SystemClock clock;
  auto opened = Database::Open((f.device_dir / "laptop.db").string(), clock);
  REQUIRE(opened.ok());
  std::unique_ptr<Database> db = std::move(opened).value();
  client::CurlTransport transport;
  client::SyncEngine engine(*db, transport, clock, test::FastSyncOptions());
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  REQUIRE(engine.Enroll(f.hub.url(), code, "laptop").ok());
  const auto sync = [&] {
    client::SyncResult r = engine.Sync();
    INFO("sync: ", client::FailureName(r.failure), " ", r.error.message());
    REQUIRE(r.ok());
    return r;
  };
  client::testing::AddHouseholds(*db, f.village_id, 2);
  sync();
  const std::string dir = (f.device_dir / "backups").string();
  auto backup = BackupNow(*db, dir);
  REQUIRE(backup.ok());
  client::testing::AddHouseholds(*db, f.village_id, 3);  // sent, then lost by the restore
  CHECK(sync().pushed > 0);
  REQUIRE(*Households(*db).Count() == 5);

  REQUIRE(RestoreBackup(*db, *backup, dir).ok());
  CHECK(*Households(*db).Count() == 2);
  client::SyncResult back = sync();  // before anything new is recorded
  CHECK(back.pulled > 0);
  CHECK(*Households(*db).Count() == 5);
  // Same device, no fork: a new record pushes.
  client::testing::AddHouseholds(*db, f.village_id, 1);
  client::SyncResult again = sync();
  CHECK(again.pushed > 0);
  CHECK(again.pending == 0);
  CHECK(*Households(*db).Count() == 6);
}

// Why the app asks to sync before recording anything after a restore: a change made first reuses
// a seq the hub holds with other content, and main's hub refuses the push as a copied device.
TEST_CASE("Backup restore in place: a change before the first sync is refused as a fork") {
  test::SyncFixture f;
  f.hub.Start();
  SystemClock clock;
  auto opened = Database::Open((f.device_dir / "laptop.db").string(), clock);
  REQUIRE(opened.ok());
  std::unique_ptr<Database> db = std::move(opened).value();
  client::CurlTransport transport;
  client::SyncEngine engine(*db, transport, clock, test::FastSyncOptions());
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  REQUIRE(engine.Enroll(f.hub.url(), code, "laptop").ok());
  const std::string dir = (f.device_dir / "backups").string();
  auto backup = BackupNow(*db, dir);
  REQUIRE(backup.ok());
  client::testing::AddHouseholds(*db, f.village_id, 2);
  REQUIRE(engine.Sync().ok());
  REQUIRE(RestoreBackup(*db, *backup, dir).ok());
  client::testing::AddHouseholds(*db, f.village_id, 1);  // before the sync the app starts
  client::SyncResult r = engine.Sync();
  CHECK_FALSE(r.ok());
  CHECK(r.failure == client::SyncFailure::kDeviceFork);
}

}  // namespace
}  // namespace gocua
