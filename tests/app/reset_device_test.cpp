// Settings > reset this laptop's identity (issue 15, a leader's; storage/device/device_reset.h,
// as gocua-cli reset-device): a confirmation that says what happens and that unsent work is
// kept; members do not see it. Through the real hub: after the reset the laptop enrolls again
// from the Sync screen and its kept work reaches the hub under the new identity.
#include <doctest/doctest.h>

#include "app/ui/ui_probe.h"
#include "storage/core/change_log.h"
#include "storage/device/households.h"
#include "storage/device/replica.h"
#include "tests/app/ui_harness.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {

TEST_CASE(
    "App settings: a leader resets the laptop's identity, unsent work kept and sent after "
    "enrolling again") {
  SyncFixture f;
  f.hub.Start();
  app::SyncWorkerOptions worker;
  worker.auto_every_s = 0;
  worker.engine = FastSyncOptions();
  UiHarness ui(worker);
  ui.StartEnroll(f.hub.url(),
                 f.hub.Ok({"enroll-code", "--commune", f.commune_id, "--role", "leader"}));
  REQUIRE(ui.FramesUntil([&] { return ui.model().commune().has_value(); }));

  // A member does not see it.
  ui.SignInAs(f.member_id, "1234");
  REQUIRE(ui.model().member().has_value());
  ui.Click("nav.settings");
  REQUIRE(ui.Visible("settings.backup"));
  CHECK_FALSE(ui.Visible("settings.reset"));
  // Work not sent yet.
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Nguyễn Văn Đức";
  REQUIRE(ui.model().households().Add(h).ok());
  const int64_t unsent = *ChangeLog(ui.db()).PendingCount();
  REQUIRE(unsent > 0);

  ui.Click("nav.lock");
  ui.SignInAs(f.leader_id, "5678");
  ui.Click("nav.settings");
  REQUIRE(ui.Visible("settings.reset"));
  const std::string old_id = ui.db().device_id();
  ui.Click("settings.reset");
  REQUIRE(ui.Visible("settings.reset_ask"));
  const std::string ask = app::probe::TextOf("settings.reset_ask");
  INFO(ask);
  CHECK(ask.find("phải đăng ký lại") != std::string::npos);
  CHECK(ask.find(std::to_string(unsent) + " thay đổi) vẫn được giữ") != std::string::npos);
  // Cancel changes nothing.
  ui.Click("settings.reset_no");
  CHECK_FALSE(ui.Visible("settings.reset_ask"));
  CHECK(ui.db().device_id() == old_id);

  ui.Click("settings.reset");
  ui.Click("settings.reset_yes");
  CHECK(ui.db().device_id() != old_id);
  CHECK(Replica(ui.db()).State()->token.empty());
  CHECK(*ChangeLog(ui.db()).PendingCount() == unsent);  // kept
  CHECK(ui.model().route().screen == app::Screen::kSync);
  CHECK(ui.model().message().find(std::to_string(unsent) + " thay đổi chưa gửi vẫn được giữ") !=
        std::string::npos);

  // Enroll again on the Sync screen with a new code: the kept work goes out.
  ui.Frames(2);
  REQUIRE(ui.Visible("sync.enroll_again"));
  ui.Type("sync.code", f.hub.Ok({"enroll-code", "--commune", f.commune_id, "--role", "leader"}));
  const int64_t runs = ui.model().sync_view().runs_finished;
  ui.Click("sync.enroll");
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().runs_finished > runs; }));
  INFO(ui.model().message());
  REQUIRE(ui.model().sync_view().last->ok());
  CHECK(*ChangeLog(ui.db()).PendingCount() == 0);
  CHECK(f.hub.Export().find("Nguyễn Văn Đức") != std::string::npos);
}

}  // namespace gocua::test
