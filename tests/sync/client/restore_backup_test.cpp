// End to end against the real gocua-hub: a laptop restored from an older backup gets its own
// records back by pulling from the start (docs/sync-protocol.md, "Pulls": a pull from the start
// includes a device's own ops), and goes on syncing as the same device afterwards.
#include <doctest/doctest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/core/change_log.h"
#include "storage/device/backup.h"
#include "storage/device/device_reset.h"
#include "storage/device/households.h"
#include "storage/device/replica.h"
#include "tests/support/client_helpers.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

namespace fs = std::filesystem;

// A laptop whose database file can be swapped for a backup: closed, replaced, opened again.
struct RestorableLaptop {
  fs::path file;
  SystemClock clock;
  std::unique_ptr<Database> db;
  std::unique_ptr<client::CurlTransport> transport;
  std::unique_ptr<client::SyncEngine> engine;

  explicit RestorableLaptop(fs::path f) : file(std::move(f)) { Open(); }
  void Open() {
    auto opened = Database::Open(file.string(), clock);
    REQUIRE_MESSAGE(opened.ok(), opened.error().message());
    db = std::move(opened).value();
    transport = std::make_unique<client::CurlTransport>();
    engine = std::make_unique<client::SyncEngine>(*db, *transport, clock, test::FastSyncOptions());
  }
  void Close() {
    engine.reset();
    transport.reset();
    db.reset();
  }
  // As a person restores a backup: the app closed, the backup copied over the data file.
  void RestoreFrom(const std::string& backup) {
    Close();
    std::error_code ec;
    fs::remove(file.string() + "-wal", ec);
    fs::remove(file.string() + "-shm", ec);
    // Remove, then copy: mingw's libstdc++ (GCC 12) fails overwrite_existing with "File exists".
    fs::remove(file);
    fs::copy_file(backup, file);
    Open();
  }
  client::SyncResult Sync() {
    client::SyncResult r = engine->Sync();
    INFO("sync: ", client::FailureName(r.failure), " ", r.error.message());
    REQUIRE(r.ok());
    return r;
  }
  int64_t Households() {
    auto n = gocua::Households(*db).Count();
    REQUIRE(n.ok());
    return *n;
  }
  std::string Export() {
    auto e = ExportCanonicalJson(*db);
    REQUIRE(e.ok());
    return test::TrimEnd(*e);
  }
};

TEST_CASE("Restore: a laptop restored from an old backup pulls its own records back") {
  test::SyncFixture f;
  f.hub.Start();
  const fs::path dir = f.device_dir;
  RestorableLaptop laptop(dir / "laptop.db");
  const std::string code = f.hub.Ok({"enroll-code", "--commune", f.commune_id});
  client::EnrollResult enrolled = laptop.engine->Enroll(f.hub.url(), code, "laptop");
  INFO("enroll: ", enrolled.sync.error.message());
  REQUIRE(enrolled.ok());
  const std::string device_id = laptop.db->device_id();

  // The backup, taken before the laptop recorded anything.
  auto backup = BackupNow(*laptop.db, (dir / "backups").string());
  REQUIRE_MESSAGE(backup.ok(), backup.error().message());
  REQUIRE(laptop.Households() == 0);

  // The laptop records households and syncs them to the hub.
  client::testing::AddHouseholds(*laptop.db, f.village_id, 6);
  client::SyncResult pushed = laptop.Sync();
  CHECK(pushed.pushed > 0);
  CHECK(pushed.pending == 0);
  REQUIRE(laptop.Households() == 6);
  // The laptop is a member's: it holds no leader PIN hash (docs/security.md).
  const std::string hub_export =
      test::SyncFixture::WithoutLeaderPins(test::TrimEnd(f.hub.Export()));
  CHECK(laptop.Export() == hub_export);

  // The disk is lost; the old backup is put back. Same device id, records gone.
  laptop.RestoreFrom(*backup);
  REQUIRE(laptop.db->device_id() == device_id);
  REQUIRE(laptop.Households() == 0);

  // A pull from the start brings the laptop's own records back.
  REQUIRE(Replica(*laptop.db).ResetCursor().ok());
  client::SyncResult pulled = laptop.Sync();
  CHECK(pulled.pulled > 0);
  CHECK(laptop.Households() == 6);
  CHECK(laptop.Export() == hub_export);

  // And it goes on as the same device: a new record pushes (its seq follows the ones it got
  // back, so the hub sees no fork) and the hub holds it.
  client::testing::AddHouseholds(*laptop.db, f.village_id, 1);
  client::SyncResult again = laptop.Sync();
  CHECK(again.pushed > 0);
  CHECK(again.pending == 0);
  CHECK(laptop.Households() == 7);
  CHECK(laptop.Export() == test::SyncFixture::WithoutLeaderPins(test::TrimEnd(f.hub.Export())));
}

// The case with no way back as the same device: restored (the WAL lost after the hub
// acknowledged), the laptop records more before it syncs, so its outbox reuses seqs the hub
// holds with other content. The hub refuses that as a copied device (a fork), and it always
// will: only a new identity (gocua-cli reset-device) lets the outbox out. With one, the
// records the hub acknowledged come back by pull and the new ones arrive.
TEST_CASE(
    "Restore: a restored laptop whose new changes reuse acknowledged seqs recovers by reset") {
  test::SyncFixture f;
  f.hub.Start();
  const fs::path dir = f.device_dir;
  RestorableLaptop laptop(dir / "laptop.db");
  client::EnrollResult enrolled = laptop.engine->Enroll(
      f.hub.url(), f.hub.Ok({"enroll-code", "--commune", f.commune_id}), "laptop");
  REQUIRE(enrolled.ok());
  auto backup = BackupNow(*laptop.db, (dir / "backups").string());
  REQUIRE(backup.ok());
  client::testing::AddHouseholds(*laptop.db, f.village_id, 6);
  REQUIRE(laptop.Sync().pending == 0);

  laptop.RestoreFrom(*backup);
  REQUIRE(laptop.Households() == 0);
  client::testing::AddHouseholds(*laptop.db, f.village_id, 2);  // seqs the hub already holds
  client::SyncResult refused = laptop.engine->Sync();
  CHECK_FALSE(refused.ok());
  auto pending = ChangeLog(*laptop.db).PendingCount();
  REQUIRE(pending.ok());
  REQUIRE(*pending > 0);

  auto reset = ResetDeviceIdentity(*laptop.db);
  REQUIRE_MESSAGE(reset.ok(), reset.error().message());
  CHECK(reset->kept_changes == *pending);
  REQUIRE(Replica(*laptop.db).ResetCursor().ok());  // and pull from the start
  client::EnrollResult again = laptop.engine->Enroll(
      f.hub.url(), f.hub.Ok({"enroll-code", "--commune", f.commune_id}), "laptop (reset)");
  INFO("enroll: ", again.sync.error.message());
  REQUIRE(again.ok());
  client::SyncResult after = laptop.Sync();
  CHECK(after.pending == 0);
  CHECK(laptop.Households() == 8);  // 6 pulled back, 2 sent under the new id
  CHECK(laptop.Export() == test::SyncFixture::WithoutLeaderPins(test::TrimEnd(f.hub.Export())));
}

}  // namespace
}  // namespace gocua
