// A database error while the SQLite hub store reads is an error, never a wrong answer: for
// N = 1.. the Nth xRead of the hub's file fails (tests/support/fault_vfs.h) until the call
// needs fewer reads; the fault fails one read (later ones pass, as after a transient error,
// so that a swallowed error would show as a wrong answer). Each call runs on a store opened afresh
// (a cold page cache, so that its reads reach the file). The wrong answers these guard against: a
// false seq gap (409), a false expired cursor (410), a duplicate province or commune, an enrollment
// that skipped the check of an active device.
#include <doctest/doctest.h>

#include <filesystem>

#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/support/fault_vfs.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

using test::FaultKind;

struct ReadFaults : HubFixture {
  test::FaultVfs vfs;
  // Reopens the store through the fault VFS, arms the Nth read, runs `call`; false once the
  // call needed fewer than n reads (the fault never fired).
  template <typename Call>
  bool Run(int n, Call call) {
    hub.reset();
    auto h = OpenSqliteHubStore(dir.File("hub.db"), clock);
    REQUIRE_MESSAGE(h.ok(), h.error().message());
    hub = std::move(h).value();
    vfs.Arm(FaultKind::kRead, n, SQLITE_IOERR_READ, /*persistent=*/false);
    call();
    const bool fired = vfs.Fired();
    vfs.Disarm();
    return fired;
  }
};

constexpr int kMaxReads = 400;  // a bound: every call here reads far fewer pages

TEST_CASE("HubStore faults: a failed read in a push is an error, never a false seq gap") {
  ReadFaults f;
  test::DefaultVfsScope scope(f.vfs);
  auto a = f.Enroll("a.db", f.commune.id);
  f.AddHousehold(*a, "Nguyễn Văn Đức");
  f.Push(*a);  // seqs 1..8: the next push must start at 9
  f.AddHousehold(*a, "Trần Văn Bình");
  std::vector<RemoteOp> ops = Outbox(*a->db);
  REQUIRE(ops.size() == 8);
  int failed = 0;
  for (int n = 1; n < kMaxReads; ++n) {
    CAPTURE(n);
    Result<HubPushResult> r = Status(ErrorCode::kInternal, "not run");
    if (!f.Run(n, [&] { r = f.hub->Push(a->hub_view, ops); })) {
      REQUIRE_MESSAGE(r.ok(), r.error().message());
      CHECK(r->rejection.kind == PushRejection::Kind::kNone);
      CHECK(r->acked_seq == 16);
      break;
    }
    if (!r.ok()) {
      ++failed;
      continue;
    }
    // A read that failed without failing the push must not have changed its answer.
    CHECK(r->rejection.kind == PushRejection::Kind::kNone);
    CHECK(r->acked_seq == 16);
  }
  CHECK(failed > 0);
}

TEST_CASE("HubStore faults: a failed read in a pull is an error, never a false expired cursor") {
  ReadFaults f;
  test::DefaultVfsScope scope(f.vfs);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  f.AddHousehold(*a, "Nguyễn Văn Đức");
  f.Push(*a);
  auto first = f.hub->Pull(b->hub_view, "", 3);
  REQUIRE(first.ok());
  auto clean = f.hub->Pull(b->hub_view, first->next_cursor, 1000);
  REQUIRE(clean.ok());
  REQUIRE_FALSE(clean->cursor_expired);
  REQUIRE_FALSE(clean->ops.empty());
  int failed = 0;
  for (int n = 1; n < kMaxReads; ++n) {
    CAPTURE(n);
    Result<HubPullPage> r = Status(ErrorCode::kInternal, "not run");
    const bool fired = f.Run(n, [&] { r = f.hub->Pull(b->hub_view, first->next_cursor, 1000); });
    if (fired && !r.ok()) {
      ++failed;
      continue;
    }
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    CHECK_FALSE(r->cursor_expired);
    CHECK(r->ops.size() == clean->ops.size());
    CHECK(r->next_cursor == clean->next_cursor);
    if (!fired) break;
  }
  CHECK(failed > 0);
}

TEST_CASE("HubStore faults: a failed read in commune create is an error, never a duplicate") {
  ReadFaults f;
  test::DefaultVfsScope scope(f.vfs);
  int failed = 0;
  for (int n = 1; n < kMaxReads; ++n) {
    CAPTURE(n);
    Result<Commune> r = Status(ErrorCode::kInternal, "not run");
    const bool fired = f.Run(n, [&] { r = f.hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn"); });
    if (fired && !r.ok()) {
      ++failed;
      continue;
    }
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    CHECK(r->id == f.commune.id);
    CHECK(r->province_id == f.commune.province_id);
    if (!fired) break;
  }
  CHECK(failed > 0);
  auto communes = f.hub->Communes();
  REQUIRE(communes.ok());
  CHECK(communes->size() == 2);
  const std::string file = f.dir.File("hub.db");
  CHECK(Count(file, "SELECT count(*) FROM provinces") == 1);
}

TEST_CASE("HubStore faults: a failed read in enrollment is an error, never a second token") {
  ReadFaults f;
  test::DefaultVfsScope scope(f.vfs);
  const HubDevice a = f.HubCommunes::Enroll("device-a", f.commune.id);
  int failed = 0;
  for (int n = 1; n < kMaxReads; ++n) {
    CAPTURE(n);
    auto code = f.hub->IssueEnrollmentCode(f.commune.id, 3600000);
    REQUIRE(code.ok());
    Result<std::pair<HubDevice, std::string>> r = Status(ErrorCode::kInternal, "not run");
    const bool fired = f.Run(n, [&] { r = f.hub->Enroll(*code, a.device_id, "again"); });
    // An active device is refused (kConflict) or the read error says why: never a new token.
    REQUIRE_FALSE(r.ok());
    if (!fired) {
      CHECK(r.error().code() == ErrorCode::kConflict);
      break;
    }
    failed += r.error().code() != ErrorCode::kConflict;
  }
  CHECK(failed > 0);
}

}  // namespace
}  // namespace gocua::hub_store_test
