// SqliteHubStore::Ping (GET /healthz) on a disk that fails reads: every xRead of the hub's file
// fails (tests/support/fault_vfs.h), as when the disk under hub.db goes bad. The store's pages
// are cached by then, so only a read that reaches the disk can tell; Ping must fail kIo, name
// the file and say what to do, and pass again once the disk reads. The faults a running hub
// process meets (the file moved away, overwritten) are in tests/sync/hub/sqlite_healthz_test.cpp.
#include <doctest/doctest.h>

#include <string>

#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/fault_vfs.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

TEST_CASE(
    "HubStore ping: a disk that fails every read fails Ping with what to do, then it passes") {
  test::FaultVfs vfs;  // outlives the store opened through it
  HubFixture f;
  test::DefaultVfsScope scope(vfs);
  f.hub.reset();
  auto reopened = OpenSqliteHubStore(f.dir.File("hub.db"), f.clock);
  REQUIRE_MESSAGE(reopened.ok(), reopened.error().message());
  f.hub = std::move(reopened).value();
  REQUIRE(f.hub->Communes().ok());  // the pages Ping reads are in the cache now
  CHECK(f.hub->Ping().ok());

  vfs.Arm(test::FaultKind::kRead, 1, SQLITE_IOERR_READ, /*persistent=*/true);
  const Status down = f.hub->Ping();
  CHECK(vfs.Fired());
  vfs.Disarm();
  REQUIRE_FALSE(down.ok());
  CHECK(down.code() == ErrorCode::kIo);
  CHECK(down.message().find("hub.db không đọc được từ ổ đĩa") != std::string::npos);
  CHECK(down.message().find("bản sao lưu") != std::string::npos);

  CHECK(f.hub->Ping().ok());
}

}  // namespace
}  // namespace gocua::hub_store_test
