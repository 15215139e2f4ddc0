// The leader's "Máy của xã" screen against the real gocua-hub on loopback (issue 19, point 1):
// a laptop the hub enrolled as a leader's issues a member code from the screen, a member's
// laptop enrolls with it through the real sync engine, the list shows both, a rename reaches
// the hub, a revocation makes the revoked laptop's next sync refused. A member's laptop has no
// such screen and the hub refuses its calls anyway; the hub down, the leader hub's limit on
// codes, each said in Vietnamese with what to do next.
#include <doctest/doctest.h>

#include <cctype>

#include "app/core/laptop_words.h"
#include "app/core/laptops_task.h"
#include "storage/device/members.h"
#include "storage/device/replica.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tests/app/ui_harness.h"
#include "tests/support/hub_process.h"

namespace gocua::test {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

app::SyncWorkerOptions QuietWorker() {
  app::SyncWorkerOptions o;
  o.auto_every_s = 0;  // only when asked
  o.connect_timeout_s = 2;
  o.engine.max_attempts = 2;
  o.engine.base_backoff_ms = 50;
  o.engine.max_backoff_ms = 100;
  return o;
}

// A commune on the real hub with a leader and a member (PINs 1111 and 1234).
struct HubCommune {
  HubProcess hub;
  std::string commune_id, leader_id, member_id;
  HubCommune() {
    commune_id =
        hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"})
            .value("id", "");
    hub.Ok({"village", "add", "--commune", commune_id, "Thôn Đông"});
    leader_id = hub.Ok({"member", "add", "--commune", commune_id, "--name", "Lê Văn Tâm", "--role",
                        "leader", "--pin", "1111"});
    member_id = hub.Ok({"member", "add", "--commune", commune_id, "--name", "Trần Thị Mai",
                        "--role", "member", "--pin", "1234"});
    hub.Start();
  }
  std::string Code(const std::string& role) {
    return hub.Ok({"enroll-code", "--commune", commune_id, "--role", role});
  }
  // The hub's own record of `device_id` (gocua-hub devices --json).
  nlohmann::json Device(const std::string& device_id) {
    for (const nlohmann::json& d : hub.Json({"devices"}))
      if (d.value("device_id", "") == device_id) return d;
    return {};
  }
};

// A laptop outside the UI (a second laptop of the commune): its own database, libcurl and the
// sync engine, as the app's sync thread uses them.
struct OtherLaptop {
  TempDir dir;
  ManualClock clock{kTestNowMs};
  std::unique_ptr<Database> db;
  client::CurlTransport transport{client::CurlOptions{}};
  std::unique_ptr<client::SyncEngine> engine;
  OtherLaptop() {
    auto opened = Database::Open((dir.path() / "gocua.db").string(), clock);
    REQUIRE(opened.ok());
    db = std::move(*opened);
    client::SyncOptions o;
    o.max_attempts = 1;
    engine = std::make_unique<client::SyncEngine>(*db, transport, clock, o);
  }
};

// The app enrolled with `code` and signed in as `member_id`.
void EnrollAndSignIn(UiHarness& ui, HubCommune& c, const std::string& code, const std::string& name,
                     const std::string& member_id, const std::string& pin) {
  ui.StartEnroll(c.hub.url(), code, name);
  REQUIRE(ui.FramesUntil([&] { return ui.model().sync_view().last.has_value(); }));
  INFO(ui.model().message());
  REQUIRE(ui.model().sync_view().last->ok());
  ui.SignInAs(member_id, pin);
  REQUIRE(ui.model().member().has_value());
}

// Waits for the screen's call in flight to be answered (the main queue wakes the loop).
void WaitAnswer(UiHarness& ui) {
  REQUIRE(ui.FramesUntil([&] { return !ui.Visible("laptops.busy"); }, 30));
  ui.Frames(2);
}

}  // namespace

TEST_CASE(
    "Leader laptops: a code from the screen enrolls a member laptop, which is listed, renamed and "
    "revoked") {
  HubCommune c;
  UiHarness ui(QuietWorker());
  EnrollAndSignIn(ui, c, c.Code("leader"), "Máy tổ trưởng", c.leader_id, "1111");
  REQUIRE(ui.model().device_is_leader());
  REQUIRE(ui.Visible("nav.laptops"));
  ui.Click("nav.laptops");
  WaitAnswer(ui);
  const std::string me = ui.db().device_id();
  REQUIRE(ui.Visible("laptops.row." + me));
  CHECK(app::probe::TextOf("laptops.row." + me) == "Máy tổ trưởng  (máy này)");
  CHECK(Contains(app::probe::TextOf("laptops.detail." + me), "Máy tổ trưởng"));
  CHECK_FALSE(ui.Visible("laptops.revoke." + me));  // the hub refuses a laptop revoking itself

  // A code, large, in groups of four, with its expiry in plain words.
  ui.Click("laptops.issue");
  WaitAnswer(ui);
  INFO(app::probe::TextOf("laptops.error"));
  REQUIRE(ui.Visible("laptops.code"));
  const std::string code = app::probe::TextOf("laptops.code");
  REQUIRE(code.size() == 9);  // "AN7D-FEQG"
  CHECK(Contains(app::probe::TextOf("laptops.code_expiry"), "Hết hạn lúc "));
  CHECK(Contains(app::probe::TextOf("laptops.code_expiry"), "hôm nay"));
  CHECK(app::GroupCode(code) == code);

  // The member's laptop enrolls with it through the real client: it is a member's.
  OtherLaptop member;
  // Typed as heard: lower case, no dash.
  std::string typed = code.substr(0, 4) + code.substr(5);
  for (char& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto enrolled = member.engine->Enroll(c.hub.url(), typed, "Laptop tổ 2");
  INFO(enrolled.sync.error.message());
  REQUIRE(enrolled.ok());
  CHECK(*DeviceRole(*member.db) == "member");
  const std::string other = member.db->device_id();
  // The same code does not work twice.
  OtherLaptop third;
  CHECK_FALSE(third.engine->Enroll(c.hub.url(), code, "Laptop thứ ba").ok());

  // The list shows both.
  ui.Click("laptops.refresh");
  WaitAnswer(ui);
  REQUIRE(ui.Visible("laptops.row." + other));
  CHECK(app::probe::TextOf("laptops.row." + other) == "Laptop tổ 2");
  const std::string detail = app::probe::TextOf("laptops.detail." + other);
  CHECK(Contains(detail, "Máy thành viên"));
  CHECK(Contains(detail, "Đồng bộ lần cuối: vừa xong"));
  CHECK(Contains(detail, "đang dùng"));

  // Rename: the hub holds the new name, and the screen shows it.
  ui.Click("laptops.rename." + other);
  ui.Type("laptops.new_name", "Laptop chị Mai");
  ui.Click("laptops.rename_save");
  WaitAnswer(ui);
  CHECK(c.Device(other).value("name", "") == "Laptop chị Mai");
  CHECK(app::probe::TextOf("laptops.row." + other) == "Laptop chị Mai");
  CHECK(Contains(ui.model().message(), "Laptop chị Mai"));

  // Revoke: the confirmation says what is lost, then the laptop's next sync is refused.
  REQUIRE(member.engine->Sync().ok());
  ui.Click("laptops.revoke." + other);
  const std::string ask = app::probe::TextOf("laptops.revoke_ask");
  CHECK(Contains(ask, "chưa gửi lên máy chủ sẽ mất"));
  CHECK(Contains(ask, "đăng ký lại"));
  ui.Click("laptops.revoke_yes");
  WaitAnswer(ui);
  CHECK(c.Device(other).value("revoked", false));
  CHECK(Contains(app::probe::TextOf("laptops.detail." + other), "đã thu hồi"));
  CHECK_FALSE(ui.Visible("laptops.revoke." + other));
  CHECK(Contains(ui.model().message(), "chưa gửi đã mất"));
  const client::SyncResult after = member.engine->Sync();
  CHECK(after.failure == client::SyncFailure::kUnauthorized);

  // 1024 wide and the largest text, with a code shown and a form open: nothing is cut off at the
  // right (tests/app/layout_test.cpp checks the other screens so; tall, so all is on screen).
  ImGui::GetIO().DisplaySize = ImVec2(1024, 2400);
  app::Settings large = ui.model().settings();
  large.text_scale = 1.45f;
  REQUIRE(ui.model().UpdateSettings(large).ok());
  ui.Click("laptops.issue");
  WaitAnswer(ui);
  REQUIRE(ui.Visible("laptops.code"));
  ui.Click("laptops.rename." + me);
  REQUIRE(ui.Visible("laptops.new_name"));
  std::string cut;
  for (const std::string& name : app::probe::ClippedSideways()) cut += name + " ";
  INFO("cut off at the right: ", cut);
  CHECK(cut.empty());
}

TEST_CASE("Leader laptops: a member laptop has no such screen and the hub refuses its calls") {
  HubCommune c;
  UiHarness ui(QuietWorker());
  EnrollAndSignIn(ui, c, c.Code("member"), "Laptop tổ 3", c.member_id, "1234");
  CHECK_FALSE(ui.model().device_is_leader());
  CHECK_FALSE(ui.AnyVisible("nav.laptops"));
  // Even a leader signed in on it (no PIN: the leader's hash is not on a member's laptop)
  // does not get the screen, routed there directly.
  Member leader;
  leader.id = c.leader_id;
  leader.name = "Lê Văn Tâm";
  leader.role = Role::kLeader;
  ui.model().SignInWithoutPin(leader);
  ui.Frames(2);
  CHECK(ui.Visible("nav.members"));  // a leader's screens, but
  CHECK_FALSE(ui.Visible("nav.laptops"));
  ui.model().Go({app::Screen::kLaptops});
  ui.Frames(3);
  CHECK_FALSE(ui.AnyVisible("laptops."));

  // The hub refuses the laptop's calls anyway, and the app says so with what to do.
  app::LaptopsTask task(ui.model());
  REQUIRE(task.IssueCode(60));
  REQUIRE(ui.FramesUntil([&] { return !task.busy(); }, 30));
  CHECK_FALSE(task.view().code.has_value());
  CHECK(Contains(task.view().error, "Máy chủ không cho phép việc này"));
  CHECK(Contains(task.view().error, "trưởng nhóm"));
  REQUIRE(task.List());
  REQUIRE(ui.FramesUntil([&] { return !task.busy(); }, 30));
  CHECK_FALSE(task.view().listed);
  CHECK(Contains(task.view().error, "Máy chủ không cho phép việc này"));
}

TEST_CASE("Leader laptops: the hub down is said plainly, with what to do") {
  HubCommune c;
  UiHarness ui(QuietWorker());
  EnrollAndSignIn(ui, c, c.Code("leader"), "Máy tổ trưởng", c.leader_id, "1111");
  ui.Click("nav.laptops");
  WaitAnswer(ui);
  REQUIRE(ui.Visible("laptops.row." + ui.db().device_id()));
  c.hub.Stop();
  ui.Click("laptops.issue");
  WaitAnswer(ui);
  CHECK_FALSE(ui.Visible("laptops.code"));
  const std::string error = app::probe::TextOf("laptops.error");
  CHECK(Contains(error, "Không kết nối được máy chủ"));
  CHECK(Contains(error, "Thử lại"));
  REQUIRE(ui.Visible("laptops.retry"));
  // Back online: "Thử lại" lists again and the message goes.
  c.hub.Start();
  REQUIRE(Replica(ui.db())
              .SaveEnrollment(c.hub.url(), Replica(ui.db()).State()->token, c.commune_id)
              .ok());
  ui.Click("laptops.retry");
  WaitAnswer(ui);
  CHECK_FALSE(ui.Visible("laptops.error"));
  CHECK(ui.Visible("laptops.row." + ui.db().device_id()));
}

TEST_CASE("Leader laptops: a leader laptop cannot mint codes in a loop") {
  HubCommune c;
  UiHarness ui(QuietWorker());
  EnrollAndSignIn(ui, c, c.Code("leader"), "Máy tổ trưởng", c.leader_id, "1111");
  ui.Click("nav.laptops");
  WaitAnswer(ui);
  std::vector<std::string> codes;
  for (int i = 0; i < 10; ++i) {  // the hub's limit on live codes per commune
    ui.Click("laptops.issue");
    WaitAnswer(ui);
    REQUIRE_MESSAGE(ui.Visible("laptops.code"), app::probe::TextOf("laptops.error"));
    codes.push_back(app::probe::TextOf("laptops.code"));
  }
  ui.Click("laptops.issue");
  WaitAnswer(ui);
  const std::string error = app::probe::TextOf("laptops.error");
  CHECK(Contains(error, "Chưa cấp thêm mã được"));
  CHECK(Contains(error, "hãy dùng các mã đã cấp, hoặc thử lại sau 60 phút"));
  // The hub's admin is not limited: its codes still come.
  CHECK(c.Code("member").size() == 9);
  // A code used (typed as read aloud) frees its place: one more may be issued.
  OtherLaptop member;
  std::string typed = codes.front();
  for (char& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  REQUIRE(member.engine->Enroll(c.hub.url(), typed, "Laptop tổ 2").ok());
  ui.Click("laptops.issue");
  WaitAnswer(ui);
  CHECK(ui.Visible("laptops.code"));
  CHECK_FALSE(ui.Visible("laptops.error"));
}

TEST_CASE("Leader laptops: times and codes in plain words") {
  REQUIRE(app::LoadLanguage(GOCUA_SOURCE_ASSETS, "vi").ok());
  const int64_t now = kTestNowMs;
  CHECK(app::AgoWords(0, now) == "chưa lần nào");
  CHECK(app::AgoWords(now - 20 * 1000, now) == "vừa xong");
  CHECK(app::AgoWords(now - 5 * 60000, now) == "5 phút trước");
  CHECK(app::AgoWords(now - 2 * 3600000 - 60000, now) == "2 giờ trước");
  CHECK(app::AgoWords(now - 3 * 86400000LL, now) == "3 ngày trước");
  CHECK(app::ExpiryWords(now + 30 * 60000, now).rfind("Hết hạn lúc ", 0) == 0);
  CHECK(app::ExpiryWords(now - 1, now) ==
        "Mã này đã hết hạn. Hãy bấm “Cấp mã cho máy mới” để có mã khác.");
  CHECK(app::ExpiryWords(now + 8 * 86400000LL, now).find(" ngày ") != std::string::npos);
  CHECK(app::GroupCode("7k2m9qxp") == "7K2M-9QXP");
  CHECK(app::GroupCode("7K2M-9QXP") == "7K2M-9QXP");
}

}  // namespace gocua::test
