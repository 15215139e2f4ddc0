// A hub store whose transaction body throws (a bug, an allocation failure) answers an error and
// leaves its connection outside any transaction: the next call works. The throw comes from the
// store's clock seam, inside the push's transaction.
#include <doctest/doctest.h>

#include <stdexcept>

#include "storage/core/ids.h"
#include "sync/hub/store/hub_store.h"
#include "tests/support/fixture.h"
#include "tests/sync/hub/store/hub_store_factories.h"

namespace gocua {
namespace {

// A clock that throws once when armed.
class ThrowingClock final : public Clock {
 public:
  int64_t NowMs() const override {
    if (armed_) {
      armed_ = false;
      throw std::runtime_error("clock failure for the test");
    }
    return test::kTestNowMs;
  }
  void Arm() { armed_ = true; }

 private:
  mutable bool armed_ = false;
};

TEST_CASE_TEMPLATE("HubStore: a push whose transaction throws is an error, and the next works",
                   Store, GOCUA_HUB_STORES) {
  test::TempDir dir;
  ThrowingClock clock;
  auto opened = Store::Open(dir.path().string(), clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  std::unique_ptr<HubStore> hub = std::move(opened).value();
  auto commune = hub->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn");
  REQUIRE(commune.ok());
  auto code = hub->IssueEnrollmentCode(commune->id, 3600000);
  REQUIRE(code.ok());
  const std::string device_id = NewUuidV7(test::kTestNowMs);
  auto enrolled = hub->Enroll(*code, device_id, "a");
  REQUIRE(enrolled.ok());
  const HubDevice device = enrolled->first;
  const std::string village = NewUuidV7(test::kTestNowMs);
  std::vector<RemoteOp> ops = {
      {device_id,
       1,
       "village",
       village,
       "commune_id",
       commune->id,
       {},
       MakeHlc(test::kTestNowMs, 1)},
      {device_id, 2, "village", village, "name", "Thôn Đông", {}, MakeHlc(test::kTestNowMs, 2)}};

  clock.Arm();
  Result<HubPushResult> failed = Status(ErrorCode::kNotFound, "not run");
  CHECK_NOTHROW(failed = hub->Push(device, ops));
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code() == ErrorCode::kInternal);

  // Nothing of it was kept, and the store is usable: the same push applies both ops.
  auto again = hub->Push(device, ops);
  REQUIRE_MESSAGE(again.ok(), again.error().message());
  CHECK(again->rejection.kind == PushRejection::Kind::kNone);
  REQUIRE(again->outcomes.size() == 2);
  CHECK(again->outcomes[0].outcome == MergeOutcome::kApplied);
  CHECK_FALSE(again->outcomes[0].quarantined);
  CHECK(again->acked_seq == 2);
  auto devices = hub->Devices();
  REQUIRE(devices.ok());
  CHECK(devices->size() == 1);
}

}  // namespace
}  // namespace gocua
