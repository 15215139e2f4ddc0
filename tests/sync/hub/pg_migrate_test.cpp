// gocua-hub migrate --from DIR --to postgresql://… (sync/hub/migrate.h) with real processes: a
// SQLite hub with a member's and a leader's laptop (synced households, an open conflict, a
// quarantined op) and a revoked laptop, copied into a new PostgreSQL database; a hub on it
// serves the same laptops without their enrolling again. Also: a target that holds a hub is
// refused, and a copy killed with SIGKILL half way leaves the target empty for a new run.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

extern char** environ;

namespace gocua::test {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// `n` households added on `device` in one transaction; their ids.
std::vector<std::string> Add(SyncDevice& device, const std::string& village, int n, int* counter) {
  std::vector<Household> hs;
  for (int i = 0; i < n; ++i) {
    Household h;
    h.village_id = village;
    h.head_name = "Đinh Thị Hoa " + std::to_string(++*counter);
    h.address = "Xóm " + std::to_string(*counter);
    h.members_count = 3;
    hs.push_back(h);
  }
  auto ids = Households(device.db()).AddAll(hs);
  REQUIRE_MESSAGE(ids.ok(), ids.error().message());
  return *ids;
}

void SetAddress(SyncDevice& device, const std::string& id, const std::string& address) {
  Households households(device.db());
  auto h = households.Get(id);
  REQUIRE_MESSAGE(h.ok(), h.error().message());
  h->address = address;
  REQUIRE(households.Update(*h).ok());
}

// A member's laptop rewriting the leader's PIN in its own database, as a tampered app would:
// the hub quarantines the op.
void TamperLeaderPin(SyncDevice& laptop, const std::string& leader_id) {
  Database::Impl& d = laptop.db().impl();
  Status st = d.Transact([&]() -> Status {
    AuthorScope as(d, leader_id);
    const std::string weak = HashPin("0000", "0123456789abcdef0123456789abcdef", 1);
    auto w = WriteLocal(d, *FindRecordDef("member"), leader_id, {{"pin_hash", weak}});
    return w ? Status::Ok() : w.error();
  });
  REQUIRE_MESSAGE(st.ok(), st.message());
}

// `devices` (gocua-hub devices --json) in device id order: stores list them in their own order.
nlohmann::json ById(nlohmann::json devices) {
  std::sort(devices.begin(), devices.end(),
            [](const nlohmann::json& a, const nlohmann::json& b) { return a.dump() < b.dump(); });
  return devices;
}

// One integer from the PostgreSQL database `uri`.
int64_t PgInt(const std::string& uri, const std::string& sql) {
  auto c = pg::Conn::Open(uri);
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  auto r = (*c)->Query(sql, {}, "test query");
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return r->Int(0, 0);
}

TEST_CASE(
    "Hub migrate: a SQLite hub moved to PostgreSQL serves its laptops without enrolling "
    "again, nothing pulled twice or missed") {
  SyncFixture f;
  f.hub.Start();
  DeviceOptions as_leader;
  as_leader.role = "leader";
  SyncDevice& member = f.AddDevice();
  SyncDevice& leader = f.AddDevice(as_leader);
  SyncDevice& gone = f.AddDevice();
  int counter = 0;
  const std::vector<std::string> ids = Add(member, f.village_id, 4, &counter);
  REQUIRE(member.Sync().ok());
  REQUIRE(leader.Sync().ok());
  REQUIRE(gone.Sync().ok());
  // An open conflict: both change one household's address, neither having seen the other's.
  SetAddress(member, ids[0], "Xóm Bắc");
  SetAddress(leader, ids[0], "Xóm Nam");
  REQUIRE(member.Sync().ok());
  REQUIRE(leader.Sync().ok());
  // A quarantined op (from a laptop then revoked: its database keeps the tampered PIN).
  TamperLeaderPin(gone, f.leader_id);
  REQUIRE(gone.Sync().ok());
  f.hub.Ok({"revoke", gone.id()});
  for (int pass = 0; pass < 2; ++pass)
    for (SyncDevice* d : {&member, &leader}) REQUIRE(d->Sync().ok());

  const std::string exported = f.hub.Export();
  const nlohmann::json devices = ById(f.hub.Json({"devices"}));
  const nlohmann::json quarantine = f.hub.Json({"quarantine"});
  const nlohmann::json conflicts = f.hub.Json({"conflicts"});
  REQUIRE(quarantine.size() == 1);
  REQUIRE(conflicts.size() == 1);
  CHECK(conflicts[0]["status"] == "open");
  CHECK(member.Export() == SyncFixture::WithoutLeaderPins(exported));
  CHECK(leader.Export() == exported);
  REQUIRE(f.hub.Stop() == 0);

  const std::string uri = NewHubDatabase();
  const ProcessResult moved = f.hub.RunRaw({"migrate", "--from", f.hub.data(), "--to", uri});
  INFO(moved.out, moved.err);
  REQUIRE(moved.exit_code == 0);
  CHECK(Contains(moved.out, "hub_devices: 3 dòng"));
  CHECK(Contains(moved.out, "Xong"));

  HubProcess pg;
  pg.UseStore(uri);
  pg.Start();
  // The same hub: records, devices (roles, names, revoked), quarantine and conflicts.
  CHECK(pg.Export() == exported);
  CHECK(ById(pg.Json({"devices"})) == devices);
  CHECK(std::count_if(devices.begin(), devices.end(),
                      [](const nlohmann::json& d) { return d["revoked"] == true; }) == 1);
  CHECK(pg.Json({"quarantine"}) == quarantine);
  CHECK(pg.Json({"conflicts"}) == conflicts);

  // The laptops sync with their tokens and cursors: nothing new to pull, nothing pulled again.
  for (SyncDevice* d : {&member, &leader}) {
    d->SetHubUrl(pg.url());
    const client::SyncResult r = d->Sync();
    INFO(d->name(), ": ", client::FailureName(r.failure), " ", r.error.message());
    REQUIRE(r.ok());
    CHECK(r.pulled == 0);
    CHECK(r.pushed == 0);
  }
  // The revoked laptop stays refused.
  gone.SetHubUrl(pg.url());
  const client::SyncResult refused = gone.Sync();
  CHECK(refused.failure == client::SyncFailure::kUnauthorized);

  // Work after the move reaches the other laptop exactly once.
  Add(member, f.village_id, 2, &counter);
  const client::SyncResult pushed = member.Sync();
  REQUIRE(pushed.ok());
  const client::SyncResult pulled = leader.Sync();
  REQUIRE(pulled.ok());
  CHECK(pulled.pulled == pushed.pushed);
  CHECK(pushed.pushed > 0);
  const std::string after = pg.Export();
  CHECK(leader.Export() == after);
  CHECK(member.Export() == SyncFixture::WithoutLeaderPins(after));

  // A second copy into the now serving database is refused, saying why.
  const ProcessResult again = pg.RunRaw({"migrate", "--from", f.hub.data(), "--to", uri});
  CHECK(again.exit_code == 1);
  CHECK(Contains(again.err, "đã có dữ liệu của một máy chủ"));
  CHECK(pg.Export() == after);
}

TEST_CASE(
    "Hub migrate: killed with SIGKILL in the middle of the copy, the target stays empty "
    "and a new run copies it all") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& laptop = f.AddDevice();
  int counter = 0;
  Add(laptop, f.village_id, 5, &counter);
  REQUIRE(laptop.Sync().ok());
  const std::string exported = f.hub.Export();
  REQUIRE(f.hub.Stop() == 0);
  const std::string uri = NewHubDatabase();

  // The test holds the store's log lock (pg_log.h's publish lock): the copy, having written
  // the devices and records in its transaction, waits at the log's first append.
  auto holder = pg::Conn::Open(uri);
  REQUIRE_MESSAGE(holder.ok(), holder.error().message());
  REQUIRE((*holder)->Simple("SELECT pg_advisory_lock(7316001)", "lock").ok());
  const std::string hub = HubBinary().string();
  const std::string data = f.hub.data();
  const std::vector<std::string> args = {hub, "migrate", "--from", data, "--to", uri};
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&fa);
  bool waiting = false;
  for (int i = 0; i < 6000 && !waiting; ++i) {  // at most 60 s
    waiting = PgInt(uri,
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND "
                    "datname = current_database()") > 0;
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE_MESSAGE(waiting, "the copy never came to wait at the log");
  REQUIRE(kill(pid, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  REQUIRE((*holder)->Simple("SELECT pg_advisory_unlock(7316001)", "unlock").ok());

  // Nothing of the copy is there, though its devices and records were written before the kill.
  CHECK(PgInt(uri, "SELECT count(*) FROM hub_devices") == 0);
  CHECK(PgInt(uri, "SELECT count(*) FROM communes") == 0);
  CHECK(PgInt(uri, "SELECT count(*) FROM hub_log") == 0);

  const ProcessResult again = f.hub.RunRaw({"migrate", "--from", data, "--to", uri});
  INFO(again.out, again.err);
  REQUIRE(again.exit_code == 0);
  CHECK(PgInt(uri, "SELECT count(*) FROM hub_devices") == 1);
  HubProcess pg;
  pg.UseStore(uri);
  CHECK(pg.Export() == exported);
}

TEST_CASE("Hub migrate: usage errors and a missing source are refused before anything is written") {
  HubProcess hub;
  const std::string uri = NewHubDatabase();
  CHECK(hub.RunRaw({"migrate", "--from", hub.data()}).exit_code == 2);
  CHECK(hub.RunRaw({"migrate", "--from", hub.data(), "--to", "/tmp/x"}).exit_code == 2);
  const ProcessResult missing =
      hub.RunRaw({"migrate", "--from", hub.data() + "/none", "--to", uri});
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.err, "Không thấy cơ sở dữ liệu của máy chủ"));
  const ProcessResult help = hub.RunRaw({"migrate", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(Contains(help.out, "Usage: gocua-hub migrate --from DIR --to postgresql://"));
}

}  // namespace
}  // namespace gocua::test
