// The app's sync through the real gocua-hub on loopback: enroll from the first-run screen,
// record a visit, "Sync now" from the Sync screen with its progress reports, and a plain
// Vietnamese message when the hub cannot be reached. The sync thread is the app's own
// (app/core/sync_worker.h) over libcurl; the UI sees its results only through the main queue.
#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/device/replica.h"
#include "tests/app/seed.h"
#include "tests/support/hub_process.h"

namespace gocua::test {
namespace {

app::SyncWorkerOptions FastWorker() {
  app::SyncWorkerOptions o;
  o.auto_every_s = 0;  // only when asked: the test decides when syncs happen
  o.connect_timeout_s = 2;
  o.engine.max_attempts = 2;
  o.engine.base_backoff_ms = 50;
  o.engine.max_backoff_ms = 100;
  return o;
}

struct HubCommune {
  HubProcess hub;
  std::string commune_id, village_id, member_id;
  HubCommune() {
    commune_id = hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune",
                           "Xã Tịnh Sơn"})
                     .value("id", "");
    village_id = hub.Ok({"village", "add", "--commune", commune_id, "Thôn Đông"});
    member_id = hub.Ok({"member", "add", "--commune", commune_id, "--name", "Trần Thị Mai",
                        "--role", "member", "--pin", "1234"});
    hub.Start();
  }
};

}  // namespace

TEST_CASE("App sync: enroll on the first-run screen, record, Sync now, and a clear message offline") {
  HubCommune c;
  UiHarness ui(FastWorker());
  ui.StartEnroll(c.hub.url(), c.hub.Ok({"enroll-code", "--commune", c.commune_id}), "Laptop tổ 1");
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().last.has_value(); }));
  INFO(ui.model().message());
  REQUIRE(ui.model().sync_view().last->ok());
  REQUIRE(ui.model().commune().has_value());
  CHECK(ui.model().commune()->id == c.commune_id);
  CHECK(ui.model().route().screen == app::Screen::kSignIn);

  // The member and the village came from the hub.
  ui.SignInAs(c.member_id, "1234");
  REQUIRE(ui.model().member().has_value());
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Choose("household_form.village", 0);
  ui.Type("household_form.head", "Nguyễn Văn Đức");
  ui.Type("household_form.address", "Số 5, xóm 2");
  ui.Click("household_form.save");
  REQUIRE(*ui.model().households().Count() == 1);
  CHECK(*ChangeLog(ui.db()).PendingCount() > 0);

  ui.Click("nav.sync");
  const int64_t reports_before = ui.model().sync_view().progress_reports;
  const int64_t runs_before = ui.model().sync_view().runs_finished;
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] {
    return !ui.model().sync_view().running &&
           ui.model().sync_view().runs_finished > runs_before;
  }));
  REQUIRE(ui.model().sync_view().last->ok());
  CHECK(ui.model().sync_view().last->pushed > 0);
  CHECK(ui.model().sync_view().progress_reports > reports_before);
  CHECK(*ChangeLog(ui.db()).PendingCount() == 0);
  CHECK(c.hub.Export().find("Nguyễn Văn Đức") != std::string::npos);
  CHECK_FALSE(ui.model().message_is_error());

  // The hub goes away: the member is told in plain words, and nothing is lost.
  c.hub.Stop();
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Choose("household_form.village", 0);
  ui.Type("household_form.head", "Trần Thị Hoa");
  ui.Click("household_form.save");
  ui.Click("nav.sync");
  const int64_t runs_online = ui.model().sync_view().runs_finished;
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] {
    return !ui.model().sync_view().running &&
           ui.model().sync_view().runs_finished > runs_online;
  }));
  CHECK(ui.model().sync_view().last->failure == client::SyncFailure::kNetwork);
  CHECK(ui.model().message_is_error());
  CHECK(ui.model().message().find("Không kết nối được máy chủ") != std::string::npos);
  CHECK(*ChangeLog(ui.db()).PendingCount() > 0);  // kept for the next sync
  CHECK(*ui.model().households().Count() == 2);
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE("App sync: an enrolled laptop syncs by itself once the hub answers, quietly while it does not") {
  HubCommune c;
  c.hub.Stop();  // the laptop is out in the village
  TempDir data;
  {
    // Enrollment happened earlier, at the commune office (through the engine, as the app does).
    UiHarness first(FastWorker(), data.path().string());
    c.hub.Start();
    first.StartEnroll(c.hub.url(), c.hub.Ok({"enroll-code", "--commune", c.commune_id}));
    REQUIRE(first.FramesUntil([&] { return first.model().commune().has_value(); }));
    c.hub.Stop();
  }
  app::SyncWorkerOptions automatic = FastWorker();
  automatic.auto_every_s = 0.3;
  automatic.first_auto_s = 0.1;
  UiHarness ui(automatic, data.path().string());
  ui.SignInAs(c.member_id, "1234");
  Household h;
  h.village_id = ui.model().places().Villages()->front().id;
  h.head_name = "Nguyễn Văn Đức";
  REQUIRE(ui.model().households().Add(h).ok());
  // Offline: automatic tries fail without a word to the member.
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().runs_finished >= 2; }));
  CHECK(ui.model().message().empty());
  CHECK(*ChangeLog(ui.db()).PendingCount() > 0);
  // Back at the commune office: the outbox drains with no click.
  c.hub.Start();  // a new port: the laptop keeps the address it enrolled with, so re-point it
  REQUIRE(Replica(ui.db()).SaveEnrollment(c.hub.url(), Replica(ui.db()).State()->token,
                                          c.commune_id)
              .ok());
  REQUIRE(ui.FramesUntil([&] { return *ChangeLog(ui.db()).PendingCount() == 0; }, 30));
  CHECK(c.hub.Export().find("Nguyễn Văn Đức") != std::string::npos);
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE("App sync: reports still queued when the app closes are dropped, not delivered to a closed model") {
  HubCommune c;
  UiHarness ui(FastWorker());
  ui.StartEnroll(c.hub.url(), c.hub.Ok({"enroll-code", "--commune", c.commune_id}));
  // Wait for the enrollment to be saved and the worker idle, without drawing a frame: its
  // reports pile up in the queue.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!Places(ui.db()).LocalCommune().ok() || ui.model().sync_worker()->busy()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the last report is posted
  ui.Restart();  // the model and its worker go; the queue (and what is in it) stays
  ui.Frames(3);  // drains the old reports: under ASan a delivery to the old model would fail
  CHECK(ui.model().commune().has_value());  // the enrollment itself was saved
}

}  // namespace gocua::test

namespace gocua::test {

TEST_CASE(
    "App sync: with the hub down Sync says it is connecting, drops the old band and logs the "
    "detail") {
  HubCommune c;
  app::SyncWorkerOptions slow = FastWorker();
  slow.engine.max_attempts = 4;  // tries spread over more than a second: the state is visible
  slow.engine.base_backoff_ms = 400;
  slow.engine.max_backoff_ms = 400;
  UiHarness ui(slow);
  ui.StartEnroll(c.hub.url(), c.hub.Ok({"enroll-code", "--commune", c.commune_id}));
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().last.has_value(); }));
  REQUIRE(ui.model().sync_view().last->ok());
  ui.SignInAs(c.member_id, "1234");
  ui.Click("nav.sync");
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] { return !ui.model().message().empty(); }));
  REQUIRE_FALSE(ui.model().message_is_error());  // "Đồng bộ xong…"
  c.hub.Stop();
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().running; }));
  ui.Frames(2);
  CHECK(ui.model().message().empty());  // the old green band is gone while it tries
  CHECK(ui.Visible("sync.connecting"));
  REQUIRE(ui.FramesUntil([&] { return !ui.model().sync_view().running; }));
  CHECK(ui.model().message_is_error());
  // Plain words for people; the library's text is in the log, not on screen.
  CHECK(ui.model().message().find("127.0.0.1") == std::string::npos);
  CHECK(ui.model().message().find(" — ") == std::string::npos);
  const auto log = ReadFile(ui.data_dir() + "/logs/gocua.log");
  CHECK(log.find("127.0.0.1") != std::string::npos);
}

}  // namespace gocua::test
