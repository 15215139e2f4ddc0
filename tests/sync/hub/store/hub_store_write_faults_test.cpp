// A push on the SQLite hub store under write and sync faults (tests/support/fault_vfs.h): for
// N = 1.. the Nth xWrite (SQLITE_IOERR_WRITE, then SQLITE_FULL) or xSync of the hub's files
// fails, and keeps failing, until the push needs fewer. Each time the error reaches the caller,
// PRAGMA integrity_check passes, and the same push retried without the fault gives the clean
// run's answer and records. Each N starts from a copy of the same hub file.
#include <doctest/doctest.h>

#include <filesystem>

#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/fault_vfs.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

namespace fs = std::filesystem;
using test::FaultKind;

std::string IntegrityCheck(const std::string& file) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &q, nullptr) == SQLITE_OK);
  std::string out;
  while (sqlite3_step(q) == SQLITE_ROW)
    out += reinterpret_cast<const char*>(sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return out;
}

// What a push's answer and the hub's records come to, for comparing runs.
std::string Summary(const HubPushResult& r, HubStore& hub) {
  std::string s = "acked " + std::to_string(r.acked_seq) + " rejection " +
                  std::to_string(static_cast<int>(r.rejection.kind)) + " outcomes";
  for (const OpOutcome& o : r.outcomes)
    s += " " + std::to_string(o.seq) + ":" + std::to_string(static_cast<int>(o.outcome)) +
         (o.quarantined ? "q" : "");
  auto conflicts = hub.Conflicts();
  REQUIRE(conflicts.ok());
  s += " conflicts " + std::to_string(conflicts->size());
  auto exported = hub.ExportCanonicalJson();
  REQUIRE(exported.ok());
  return s + "\n" + *exported;
}

struct Case {
  FaultKind kind;
  int error;
  const char* name;
};

TEST_CASE("HubStore faults: a push under write and sync faults fails whole, then retries clean") {
  test::FaultVfs vfs;
  test::DefaultVfsScope scope(vfs);
  HubFixture f;
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  // The push: a's new household and a visit, and b's edit of a field a also edits (a
  // conflict record, the hub's own ops) — the store's every kind of write.
  Household h = f.AddHousehold(*a, "Nguyễn Văn Đức");
  f.Push(*a);
  f.Pull(*b);
  Household on_b = *Households(*b->db).Get(h.id);
  on_b.address = "Xóm 2";
  REQUIRE(Households(*b->db).Update(on_b).ok());
  f.Push(*b);
  h.address = "Xóm 3";
  REQUIRE(Households(*a->db).Update(h).ok());
  REQUIRE(Visits(*a->db).Save(MakeVisit(f, h)).ok());
  const std::vector<RemoteOp> ops = Outbox(*a->db);
  REQUIRE(ops.size() > 8);

  const std::string file = f.dir.File("hub.db");
  const std::string base = f.dir.File("base.db");
  f.hub.reset();  // the last connection checkpoints: the whole state is in hub.db
  REQUIRE_FALSE(fs::exists(file + "-wal"));
  fs::copy_file(file, base);
  auto open_copy = [&](const std::string& path) {
    fs::remove(path);
    fs::remove(path + "-wal");
    fs::remove(path + "-shm");
    fs::copy_file(base, path);
    auto hub = OpenSqliteHubStore(path, f.clock);
    REQUIRE_MESSAGE(hub.ok(), hub.error().message());
    return std::move(hub).value();
  };

  std::string clean;
  {
    auto hub = open_copy(f.dir.File("clean.db"));
    auto r = hub->Push(a->hub_view, ops);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    REQUIRE(r->rejection.kind == PushRejection::Kind::kNone);
    REQUIRE(r->outcomes.size() == ops.size());
    clean = Summary(*r, *hub);
  }
  CHECK(clean.find("conflicts 1") != std::string::npos);

  for (const Case& c : {Case{FaultKind::kWrite, SQLITE_IOERR_WRITE, "write"},
                        Case{FaultKind::kWrite, SQLITE_FULL, "full"},
                        Case{FaultKind::kSync, SQLITE_IOERR_FSYNC, "sync"}}) {
    const std::string fault = c.name;
    CAPTURE(fault);
    int failures = 0;
    for (int n = 1; n < 1000; ++n) {
      CAPTURE(n);
      const std::string path = f.dir.File("faulty.db");
      auto hub = open_copy(path);
      vfs.Arm(c.kind, n, c.error);
      auto r = hub->Push(a->hub_view, ops);
      const bool fired = vfs.Fired();
      vfs.Disarm();
      if (!fired) {
        REQUIRE_MESSAGE(r.ok(), r.error().message());
        CHECK(Summary(*r, *hub) == clean);
        break;
      }
      ++failures;
      // The error reaches the caller (a commit that failed is never answered as applied).
      CHECK_FALSE(r.ok());
      hub.reset();
      CHECK(IntegrityCheck(path) == "ok");
      auto reopened = OpenSqliteHubStore(path, f.clock);
      REQUIRE_MESSAGE(reopened.ok(), reopened.error().message());
      auto retry = (*reopened)->Push(a->hub_view, ops);
      REQUIRE_MESSAGE(retry.ok(), retry.error().message());
      CHECK(Summary(*retry, **reopened) == clean);
    }
    CHECK(failures > 0);
  }
}

}  // namespace
}  // namespace gocua::hub_store_test
