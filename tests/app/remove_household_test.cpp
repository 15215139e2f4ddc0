// Removing a household from its page (issue 16 obs. 10): a reason from a short list and a
// confirmation first; then it leaves the Households list and search, and its visits stay.
#include <doctest/doctest.h>

#include "app/ui/ui_probe.h"
#include "storage/core/change_log.h"
#include "storage/device/household_removal.h"
#include "storage/device/households.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {
namespace {

TEST_CASE("App household: removing asks for a reason and a confirmation, then the household goes") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v;
  v.household_id = s.duc.id;
  v.visited_on = "2026-03-14";
  v.minutes = 20;
  v.members = {s.member.id};
  v.persons = {s.lan.id};
  v.topics = {{"vneid", "done"}};
  auto visit = ui.model().visits().Save(v);
  REQUIRE(visit.ok());
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kHousehold, s.duc.id});
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("household.remove_ask"));
  ui.Click("household.remove");
  REQUIRE(ui.Visible("household.remove_ask"));
  REQUIRE(ui.Visible("household.remove_reason.moved"));
  REQUIRE(ui.Visible("household.remove_reason.duplicate"));
  REQUIRE(ui.Visible("household.remove_reason.mistake"));
  REQUIRE(ui.Visible("household.remove_reason.other"));

  // Cancel keeps it.
  ui.Click("household.remove_no");
  CHECK_FALSE(ui.Visible("household.remove_ask"));
  // Without a reason: asked for one, nothing removed.
  ui.Click("household.remove");
  ui.Click("household.remove_yes");
  CHECK(ui.Visible("household.remove_error"));
  CHECK(ui.model().households().Get(s.duc.id).ok());

  ui.Click("household.remove_reason.moved");
  CHECK_FALSE(ui.Visible("household.remove_error"));
  const int64_t before = *ChangeLog(ui.db()).LastSeq();
  ui.Click("household.remove_yes");
  // The reason is the record's, written with the tombstone: two ops, the reason first.
  auto ops = ChangeLog(ui.db()).Pending(before, 100);
  REQUIRE(ops->size() == 2);
  CHECK((*ops)[0].field == "removed_reason");
  CHECK((*ops)[0].value == "moved");
  CHECK((*ops)[1].field == "deleted");
  auto removed = FindRemovedHousehold(ui.db(), s.duc.id);
  REQUIRE(removed.ok());
  CHECK(removed->reason == "moved");
  CHECK(ui.model().route().screen == app::Screen::kHouseholds);
  CHECK_FALSE(ui.model().households().Get(s.duc.id).ok());
  CHECK(ui.model().message().find("Đã xoá hộ Nguyễn Văn Đức") != std::string::npos);
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  CHECK(ui.Visible("households.row." + s.hoa.id));
  // Search does not find it either.
  ui.Type("households.search", "duc");
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  // Its visit stays in the history.
  auto history = ui.model().visits().List({.household_id = s.duc.id});
  REQUIRE(history.ok());
  CHECK(history->size() == 1);
  // Its page, reached from that visit (Today's recent visits), says it was removed and why.
  ui.Click("nav.today");
  REQUIRE(ui.Visible("today.visit." + visit->id));
  ui.Click("today.visit." + visit->id);
  CHECK(ui.model().route().screen == app::Screen::kHousehold);
  REQUIRE(ui.Visible("household.removed_notice"));
  CHECK(app::probe::TextOf("household.removed_notice").find("Lý do: Chuyển đi nơi khác") !=
        std::string::npos);
  CHECK(ui.Visible("household.visit." + visit->id));
  CHECK_FALSE(ui.Visible("household.record_visit"));  // no new visit to a removed household
}

TEST_CASE("App household: a removal's reason is synced through the hub to the other laptops") {
  SyncFixture f;
  f.hub.Start();
  SyncDevice& other = f.AddDevice();
  other.db().SetAuthor(f.member_id);
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Nguyễn Văn Đức";
  h.address = "Số 5, xóm 2";
  const std::string hid = Households(other.db()).Add(h)->id;
  REQUIRE(other.Sync().ok());

  app::SyncWorkerOptions worker;
  worker.auto_every_s = 0;
  worker.engine = FastSyncOptions();
  UiHarness ui(worker);
  ui.StartEnroll(f.hub.url(), f.hub.Ok({"enroll-code", "--commune", f.commune_id}));
  REQUIRE(ui.FramesUntil([&] { return ui.model().commune().has_value(); }));
  ui.SignInAs(f.member_id, "1234");
  ui.model().Go({app::Screen::kHousehold, hid});
  ui.Frames(2);
  ui.Click("household.remove");
  ui.Click("household.remove_reason.duplicate");
  ui.Click("household.remove_yes");
  REQUIRE_FALSE(ui.model().households().Get(hid).ok());
  ui.Click("nav.sync");
  const int64_t runs = ui.model().sync_view().runs_finished;
  ui.Click("sync.now");
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().runs_finished > runs; }));
  INFO(ui.model().message());
  REQUIRE(ui.model().sync_view().last->ok());
  CHECK(ui.model().sync_view().last->quarantined == 0);

  REQUIRE(other.Sync().ok());
  auto removed = FindRemovedHousehold(other.db(), hid);
  REQUIRE(removed.ok());
  CHECK(removed->reason == "duplicate");
  // Stored on the hub and exported with no code of its own: every export agrees.
  const std::string hub_export = f.hub.Export();
  CHECK(hub_export.find("\"removed_reason\":\"duplicate\"") != std::string::npos);
  CHECK(other.Export() == SyncFixture::WithoutLeaderPins(hub_export));
  CHECK(ui.model().db().device_id() != other.id());
}

}  // namespace
}  // namespace gocua::test
