// The leader's member list (issue 16 obs. 10): a new PIN, deactivate and reactivate, each after
// a step that says what it does; a deactivated member cannot sign in (told why, in Vietnamese),
// is not offered for new visits, and keeps their name on past visits. Through the real hub: a
// leader's laptop's changes reach the others, a member's laptop's are refused and the app says
// so plainly.
#include "storage/device/members.h"

#include <doctest/doctest.h>

#include "app/ui/ui_probe.h"
#include "storage/core/change_log.h"
#include "tests/app/seed.h"
#include "tests/support/sync_fixture.h"

namespace gocua::test {
namespace {

// The change-log entries written since `after`.
std::vector<ChangeEntry> OpsSince(Database& db, int64_t after) {
  auto ops = ChangeLog(db).Pending(after, 1000);
  REQUIRE(ops.ok());
  return *ops;
}

}  // namespace

TEST_CASE("App members: a leader sets a new PIN, deactivates and reactivates a member") {
  UiHarness ui;
  Seeded s = Seed(ui);
  const Visit past = SavedVisit(ui, s);  // Mai went to Đức's household
  ui.SignInAs(s.leader.id, "5678");
  ui.Click("nav.members");
  REQUIRE(ui.Visible("members.row." + s.member.id));
  REQUIRE(ui.Visible("members.row." + s.leader.id));
  CHECK(ui.Visible("members.deactivate." + s.member.id));
  CHECK_FALSE(ui.Visible("members.deactivate." + s.leader.id));  // not oneself

  // A new PIN: a bad one is refused in plain words, a good one is one op by the leader.
  ui.Click("members.pin." + s.member.id);
  ui.Type("members.new_pin", "12");
  ui.Click("members.pin_save");
  REQUIRE(ui.Visible("members.error"));
  CHECK(app::probe::TextOf("members.error").find("4 đến 8 chữ số") != std::string::npos);
  int64_t before = *ChangeLog(ui.db()).LastSeq();
  ui.Type("members.new_pin", "4321");
  ui.Click("members.pin_save");
  CHECK(ui.model().message().find("Đã đổi mã PIN của Trần Thị Mai") != std::string::npos);
  auto ops = OpsSince(ui.db(), before);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].field == "pin_hash");
  CHECK(ops[0].author == s.leader.id);
  CHECK(*ui.model().members().CheckPin(s.member.id, "4321"));
  CHECK_FALSE(*ui.model().members().CheckPin(s.member.id, "1234"));

  // Deactivate: asked first, then one op (the tombstone).
  ui.Click("members.deactivate." + s.member.id);
  REQUIRE(ui.Visible("members.ask"));
  CHECK(app::probe::TextOf("members.ask").find("Các lượt thăm cũ vẫn giữ nguyên") !=
        std::string::npos);
  CHECK(*ui.model().members().IsDeactivated(s.member.id) == false);  // not before the yes
  before = *ChangeLog(ui.db()).LastSeq();
  ui.Click("members.yes");
  CHECK(*ui.model().members().IsDeactivated(s.member.id));
  ops = OpsSince(ui.db(), before);
  REQUIRE(ops.size() == 1);
  CHECK(ops[0].field == "deleted");
  CHECK(ops[0].value == 1);
  CHECK(ui.Visible("members.reactivate." + s.member.id));

  // Not offered for a new visit; still named, not tickable, on the past one.
  OpenNewVisit(ui, s.duc.id);
  REQUIRE(ui.Visible("visit.member." + s.leader.id));
  CHECK_FALSE(ui.Visible("visit.member." + s.member.id));
  ui.model().Go({app::Screen::kVisitForm, s.duc.id, past.id});
  ui.Frames(3);
  CHECK(ui.Visible("visit.member." + s.member.id));
  CHECK(ui.model().visits().Get(past.id)->members == std::vector<std::string>{s.member.id});

  // Cannot sign in: the name is marked, picking it says why, and there is no PIN field.
  ui.Click("nav.lock");
  ui.Frames(2);
  REQUIRE(ui.Visible("signin.member." + s.member.id));
  ui.Click("signin.member." + s.member.id);
  CHECK_FALSE(ui.Visible("signin.pin"));
  REQUIRE(ui.Visible("signin.error"));
  CHECK(app::probe::TextOf("signin.error").find("đã bị tổ trưởng tạm ngừng") != std::string::npos);
  Status st = ui.model().SignIn(s.member.id, "4321");  // nor through the model
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("tạm ngừng") != std::string::npos);
  CHECK_FALSE(ui.model().member().has_value());

  // Reactivated, the member signs in with the PIN the leader set.
  ui.SignInAs(s.leader.id, "5678");
  ui.Click("nav.members");
  ui.Click("members.reactivate." + s.member.id);
  REQUIRE(ui.Visible("members.ask"));
  ui.Click("members.yes");
  CHECK_FALSE(*ui.model().members().IsDeactivated(s.member.id));
  SwitchMember(ui, s.member.id, "4321");
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->id == s.member.id);
  CHECK_FALSE(ui.Visible("nav.members"));  // a member has no member list
}

TEST_CASE(
    "App members: through the hub a leader's laptop's changes reach the others, a member's "
    "laptop's are refused") {
  SyncFixture f;
  const std::string nam = f.hub.Ok({"member", "add", "--commune", f.commune_id, "--name",
                                    "Phạm Văn Nam", "--role", "member", "--pin", "2222"});
  f.hub.Start();
  app::SyncWorkerOptions worker;
  worker.auto_every_s = 0;
  worker.engine = FastSyncOptions();
  const auto sync_now = [](UiHarness& ui) {
    ui.Click("nav.sync");
    const int64_t runs = ui.model().sync_view().runs_finished;
    ui.Click("sync.now");
    REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().runs_finished > runs; }));
    REQUIRE(ui.model().sync_view().last.has_value());
  };

  {  // A member's laptop: no member list; changes written anyway (an old app, a copied file)
    // reach the hub, which refuses them, and the app says what to do.
    UiHarness ui(worker);
    ui.StartEnroll(f.hub.url(), f.hub.Ok({"enroll-code", "--commune", f.commune_id}));
    REQUIRE(ui.FramesUntil([&] { return ui.model().commune().has_value(); }));
    ui.SignInAs(f.member_id, "1234");
    REQUIRE(ui.model().member().has_value());
    CHECK_FALSE(ui.Visible("nav.members"));
    REQUIRE(ui.model().members().SetPin(nam, "9999").ok());
    REQUIRE(ui.model().members().Deactivate(nam).ok());
    sync_now(ui);
    INFO(ui.model().message());
    CHECK(ui.model().sync_view().last->ok());
    CHECK(ui.model().sync_view().last->quarantined == 2);
    CHECK(ui.model().message_is_error());
    CHECK(ui.model().message().find("Máy chủ đã từ chối 2 thay đổi") != std::string::npos);
    CHECK(ui.model().message().find("trên máy của tổ trưởng") != std::string::npos);
  }
  SyncDevice& other = f.AddDevice();  // another member's laptop
  REQUIRE_FALSE(*Members(other.db()).IsDeactivated(nam));
  REQUIRE(*Members(other.db()).CheckPin(nam, "2222"));

  {  // The leader's laptop: a new PIN for Nam and Mai deactivated, from the member list.
    UiHarness ui(worker);
    ui.StartEnroll(f.hub.url(),
                   f.hub.Ok({"enroll-code", "--commune", f.commune_id, "--role", "leader"}));
    REQUIRE(ui.FramesUntil([&] { return ui.model().commune().has_value(); }));
    ui.SignInAs(f.leader_id, "5678");
    ui.Click("nav.members");
    ui.Click("members.pin." + nam);
    ui.Type("members.new_pin", "4321");
    ui.Click("members.pin_save");
    ui.Click("members.deactivate." + f.member_id);
    ui.Click("members.yes");
    sync_now(ui);
    INFO(ui.model().message());
    REQUIRE(ui.model().sync_view().last->ok());
    CHECK(ui.model().sync_view().last->quarantined == 0);
    CHECK_FALSE(ui.model().message_is_error());
  }
  REQUIRE(other.Sync().ok());
  CHECK(*Members(other.db()).CheckPin(nam, "4321"));
  CHECK_FALSE(*Members(other.db()).CheckPin(nam, "9999"));  // the member laptop's never arrived
  CHECK(*Members(other.db()).IsDeactivated(f.member_id));
  CHECK_FALSE(*Members(other.db()).IsDeactivated(nam));
  CHECK(other.Export() == SyncFixture::WithoutLeaderPins(f.hub.Export()));
}

}  // namespace gocua::test
