// PIN lockout (app/core/pin_lockout.h): each rule, through the functions on a real database
// file and through the app's sign-in (AppModel::SignIn, the sign-in screen).
#include "app/core/pin_lockout.h"

#include <doctest/doctest.h>

#include "app/core/app_log.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

using app::CheckPinWithLockout;
using app::LockoutMessage;
using app::LockoutWaitMs;
using app::PinVerdict;

struct LockoutFixture {
  TempDir dir;
  ManualClock clock{kTestNowMs};
  std::unique_ptr<Database> db;
  Member leader;
  LockoutFixture() {
    Reopen();
    REQUIRE(Places(*db).SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
    leader = Members(*db).Add("Lê Văn Hùng", Role::kLeader, "5678").value();
  }
  void Reopen() {  // as a restart of the app or another gocua-cli run
    db.reset();
    auto opened = Database::Open(dir.File("gocua.db"), clock);
    REQUIRE(opened.ok());
    db = std::move(opened).value();
  }
  app::PinCheck Try(const std::string& pin) {
    auto r = CheckPinWithLockout(*db, clock, leader.id, pin);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    return *r;
  }
  void WrongTimes(int n) {
    for (int i = 0; i < n; ++i) REQUIRE(Try("0000").verdict == PinVerdict::kWrong);
  }
};

TEST_CASE("PIN lockout: the waits are 0 for four wrong PINs, 30 s at the fifth, doubling, capped") {
  for (int n = 0; n < app::kFreeAttempts; ++n) CHECK(LockoutWaitMs(n) == 0);
  CHECK(LockoutWaitMs(5) == 30'000);
  CHECK(LockoutWaitMs(6) == 60'000);
  CHECK(LockoutWaitMs(7) == 120'000);
  CHECK(LockoutWaitMs(10) == 960'000);
  CHECK(LockoutWaitMs(11) == app::kMaxWaitMs);
  CHECK(LockoutWaitMs(1000) == app::kMaxWaitMs);
}

TEST_CASE("PIN lockout: the message says the wait in Vietnamese words, rounded up to seconds") {
  CHECK(LockoutMessage(90'000).rfind("Sai mã PIN quá nhiều lần. Thử lại sau 1 phút 30 giây. — ",
                                     0) == 0);
  CHECK(app::PlainText(LockoutMessage(29'001)) == "Sai mã PIN quá nhiều lần. Thử lại sau 30 giây.");
  CHECK(app::PlainText(LockoutMessage(3'600'000)) ==
        "Sai mã PIN quá nhiều lần. Thử lại sau 1 giờ.");
  CHECK(app::PlainText(LockoutMessage(120'000)) == "Sai mã PIN quá nhiều lần. Thử lại sau 2 phút.");
}

TEST_CASE("PIN lockout: four wrong PINs cost nothing and a right one clears the count") {
  LockoutFixture f;
  f.WrongTimes(4);
  CHECK(f.Try("5678").verdict == PinVerdict::kRight);
  f.WrongTimes(4);  // counted from zero again: still no wait
  app::PinCheck fifth = f.Try("0000");
  CHECK(fifth.verdict == PinVerdict::kWrong);
  CHECK(fifth.wait_ms == 30'000);
}

TEST_CASE(
    "PIN lockout: during a wait even the right PIN is refused, after it the right PIN works") {
  LockoutFixture f;
  f.WrongTimes(5);
  app::PinCheck locked = f.Try("5678");
  CHECK(locked.verdict == PinVerdict::kLocked);
  CHECK(locked.wait_ms == 30'000);
  f.clock.Advance(29'000);
  locked = f.Try("5678");
  CHECK(locked.verdict == PinVerdict::kLocked);
  CHECK(locked.wait_ms == 1'000);
  f.clock.Advance(1'000);
  CHECK(f.Try("5678").verdict == PinVerdict::kRight);
}

TEST_CASE("PIN lockout: each wrong PIN after a wait doubles the next wait") {
  LockoutFixture f;
  f.WrongTimes(5);
  f.clock.Advance(30'000);
  app::PinCheck sixth = f.Try("0000");
  CHECK(sixth.verdict == PinVerdict::kWrong);
  CHECK(sixth.wait_ms == 60'000);
  f.clock.Advance(59'999);
  CHECK(f.Try("5678").verdict == PinVerdict::kLocked);
  f.clock.Advance(1);
  CHECK(f.Try("0000").wait_ms == 120'000);
}

TEST_CASE("PIN lockout: a restart does not reset the count or the wait") {
  LockoutFixture f;
  f.WrongTimes(5);
  f.Reopen();
  app::PinCheck locked = f.Try("5678");
  CHECK(locked.verdict == PinVerdict::kLocked);
  CHECK(locked.wait_ms == 30'000);
  f.clock.Advance(30'000);
  f.Reopen();
  CHECK(f.Try("0000").wait_ms == 60'000);  // the sixth, counted across the restarts
}

TEST_CASE("PIN lockout: the clock going backwards restarts the wait instead of ending it") {
  LockoutFixture f;
  f.WrongTimes(5);
  f.clock.Advance(30'000);
  REQUIRE(f.Try("0000").wait_ms == 60'000);  // a 60 s wait from now
  f.clock.Advance(50'000);
  f.clock.Advance(-3'600'000);  // set back an hour
  app::PinCheck locked = f.Try("5678");
  CHECK(locked.verdict == PinVerdict::kLocked);
  CHECK(locked.wait_ms == 60'000);  // the whole wait again, from the new now
  f.Reopen();
  f.clock.Advance(59'000);
  CHECK(f.Try("5678").verdict == PinVerdict::kLocked);
  f.clock.Advance(1'000);
  CHECK(f.Try("5678").verdict == PinVerdict::kRight);
}

TEST_CASE("PIN lockout: counted per member") {
  LockoutFixture f;
  Member other = Members(*f.db).Add("Trần Thị Mai", Role::kMember, "1234").value();
  f.WrongTimes(5);
  auto r = CheckPinWithLockout(*f.db, f.clock, other.id, "1234");
  REQUIRE(r.ok());
  CHECK(r->verdict == PinVerdict::kRight);
}

TEST_CASE("App UI: five wrong PINs at sign-in lock the member out with a Vietnamese message") {
  UiHarness ui;
  Seeded s = Seed(ui);
  for (int i = 0; i < 4; ++i) {
    Status st = ui.model().SignIn(s.member.id, "0000");
    CHECK_FALSE(st.ok());
    CHECK(st.message().find("Sai mã PIN quá nhiều lần") == std::string::npos);
  }
  Status fifth = ui.model().SignIn(s.member.id, "0000");
  CHECK(app::PlainText(fifth.message()) == "Sai mã PIN quá nhiều lần. Thử lại sau 30 giây.");
  ui.Restart();
  ui.SignInAs(s.member.id, "1234");  // the right PIN, through the screen, during the wait
  CHECK_FALSE(ui.model().member().has_value());
  ui.clock().Advance(30'000);
  ui.SignInAs(s.member.id, "1234");
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->id == s.member.id);
}

}  // namespace
}  // namespace gocua::test
