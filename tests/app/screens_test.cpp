// Headless UI tests (tests/app/ui_harness.h): a member's day driven through the real screens,
// checked in the database the screens wrote to.
#include <doctest/doctest.h>

#include <filesystem>

#include "app/core/visit_draft.h"
#include "storage/core/change_log.h"
#include "storage/dashboard/indicators.h"
#include "storage/device/review_queue.h"
#include "storage/device/today.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

// Records a visit to Đức's household through the form: two persons, two topics (one result
// changed to "done"), 30 minutes, a follow-up in three days.
void RecordVisit(UiHarness& ui, const Seeded& s) {
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.person." + s.duc_self.id);
  ui.Click("visit.person." + s.lan.id);
  ui.Click("visit.topic.vneid");
  ui.Click("visit.topic.safety");
  ui.Click("visit.result.vneid.1");  // kTopicResults[1] = "done"
  ui.Type("visit.minutes", "30");
  ui.Type("visit.notes", "Đã kích hoạt VNeID mức 2.");
  ui.Type("visit.followup", "18/03/2026");
  ui.Key(kKeyS, /*ctrl=*/true);  // Ctrl+S saves
}

}  // namespace

TEST_CASE("App UI: first run on a new laptop sets up the commune and signs the leader in") {
  UiHarness ui;
  ui.Frames(2);
  CHECK(ui.Visible("first_run.create"));
  ui.Type("first_run.province", "Quảng Ngãi");
  ui.Type("first_run.commune", "Xã Tịnh Sơn");
  ui.Type("first_run.villages", "Thôn Đông, Thôn Tây");
  ui.Type("first_run.leader", "Lê Văn Hùng");
  ui.Type("first_run.pin", "5678");
  ui.Type("first_run.pin_again", "5679");
  ui.Click("first_run.create");
  CHECK_FALSE(ui.model().commune().has_value());  // PINs differ: nothing written
  ui.Type("first_run.pin_again", "5678");
  ui.Click("first_run.create");
  REQUIRE(ui.model().commune().has_value());
  CHECK(ui.model().commune()->name == "Xã Tịnh Sơn");
  CHECK(ui.model().places().Villages()->size() == 2);
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->role == Role::kLeader);
  CHECK(ui.Visible("nav.today"));
}

TEST_CASE("App UI: sign in needs the right PIN and the app locks itself when idle") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "0000");
  CHECK_FALSE(ui.model().member().has_value());
  ui.SignInAs(s.member.id, "1234");
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.model().member()->id == s.member.id);
  ui.clock().Advance(9 * 60000);
  ui.Frames(2);
  CHECK(ui.model().member().has_value());  // 9 of 10 idle minutes
  ui.clock().Advance(2 * 60000);
  ui.Frames(2);
  CHECK_FALSE(ui.model().member().has_value());
  CHECK(ui.Visible("signin.member." + s.member.id));
}

TEST_CASE("App UI: add a household through the form") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.add");
  ui.Type("household_form.head", "Phạm Thị Ngọc");
  ui.Click("household_form.save");
  CHECK(ui.Visible("household_form.save"));  // no village chosen: still on the form
  CHECK(*ui.model().households().Count() == 2);
  ui.Choose("household_form.village", 1);  // Thôn Tây
  ui.Type("household_form.address", "Số 12, xóm 1");
  ui.Type("household_form.phone", "0987654321");
  ui.Type("household_form.members", "4");
  ui.Click("household_form.save");
  CHECK(*ui.model().households().Count() == 3);
  auto found = ui.model().households().Search("pham thi ngoc");
  REQUIRE(found->size() == 1);
  const Household& h = found->front();
  CHECK(h.village_id == s.tay.id);
  CHECK(h.address == "Số 12, xóm 1");
  CHECK(h.phone == "0987654321");
  CHECK(h.members_count == 4);
  CHECK(ui.model().route().screen == app::Screen::kHousehold);
  CHECK(ui.model().route().id == h.id);
}

TEST_CASE("App UI: record a visit with two topics and two persons") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  RecordVisit(ui, s);
  auto visits = ui.model().visits().List({.household_id = s.duc.id});
  REQUIRE(visits->size() == 1);
  const Visit& v = visits->front();
  CHECK(v.visited_on == "2026-03-15");
  CHECK(v.minutes == 30);
  CHECK(v.members == std::vector<std::string>{s.member.id});
  CHECK(v.persons.size() == 2);
  CHECK(v.topics == std::map<std::string, std::string>{{"vneid", "done"}, {"safety", "guided"}});
  CHECK(v.notes == "Đã kích hoạt VNeID mức 2.");
  CHECK(v.followup_on == "2026-03-18");
  CHECK(v.created_by == s.member.id);
  // Every change the form wrote is signed by the member signed in (the hub checks authors).
  auto entries = ChangeLog(ui.db()).Pending(0, 10000);
  REQUIRE(entries.ok());
  int visit_entries = 0;
  for (const ChangeEntry& e : *entries) {
    if (e.record_type != "visit") continue;
    ++visit_entries;
    CHECK(e.author == s.member.id);
  }
  CHECK(visit_entries > 5);
  // The skills of both persons moved: VNeID done → public services proficient.
  CHECK(ui.model().persons().Get(s.lan.id)->skills.at("public_services") == "proficient");
  CHECK(ui.model().persons().Get(s.lan.id)->skills.at("safety") == "guided");
  CHECK_FALSE(app::HasDraft(ui.data_dir()));  // saved: the draft is gone
  CHECK(ui.model().route().screen == app::Screen::kHousehold);
  CHECK(ui.Visible("household.visit." + v.id));
}

TEST_CASE("App UI: a bad date is shown under its field and nothing is written") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.topic.vneid");
  ui.Type("visit.followup", "31/02/2026");
  ui.Click("visit.save");
  CHECK(ui.model().visits().List({})->empty());
  CHECK(ui.model().route().screen == app::Screen::kVisitForm);
  ui.Type("visit.followup", "");
  ui.Click("visit.topic.vneid");  // untick: no topic left
  ui.Click("visit.save");
  CHECK(ui.model().visits().List({})->empty());
}

TEST_CASE("App UI: search without diacritics finds the household") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  CHECK(ui.Visible("households.row." + s.duc.id));
  CHECK(ui.Visible("households.row." + s.hoa.id));
  ui.Type("households.search", "nguyen van duc");
  CHECK(ui.Visible("households.row." + s.duc.id));
  CHECK_FALSE(ui.Visible("households.row." + s.hoa.id));
  ui.Type("households.search", "TRAN THI");
  CHECK(ui.Visible("households.row." + s.hoa.id));
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
  ui.Type("households.search", "");
  ui.Choose("households.village", 2);  // Thôn Tây (0 = all villages)
  CHECK(ui.Visible("households.row." + s.hoa.id));
  CHECK_FALSE(ui.Visible("households.row." + s.duc.id));
}

TEST_CASE("App UI: the saved visit is on Today and its follow-up is due") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Frames(2);
  CHECK(ui.Visible("today.household." + s.duc.id));  // not visited yet
  RecordVisit(ui, s);
  const Visit v = ui.model().visits().List({})->front();
  ui.Click("nav.today");
  CHECK(ui.Visible("today.visit." + v.id));
  CHECK(ui.Visible("today.followup." + v.id));
  CHECK_FALSE(ui.Visible("today.household." + s.duc.id));  // visited now
  // "My villages" are where I have visited: Thôn Tây is someone else's round now.
  CHECK_FALSE(ui.Visible("today.household." + s.hoa.id));
  ui.Click("today.followup." + v.id);
  CHECK(ui.model().route().id == s.duc.id);
  // Going back the next day closes the follow-up.
  ui.clock().Advance(24 * 3600 * 1000);
  ui.model().NoteInput();  // the member is at the laptop: no idle lock
  Visit again;
  again.household_id = s.duc.id;
  again.visited_on = "2026-03-16";
  again.minutes = 10;
  again.members = {s.member.id};
  again.topics = {{"safety", "done"}};
  REQUIRE(ui.model().visits().Save(again).ok());
  ui.model().Touch();
  ui.Click("nav.today");
  REQUIRE(ui.model().member().has_value());
  CHECK(ui.Visible("today.visit." + v.id));  // on Today, signed in
  CHECK_FALSE(ui.Visible("today.followup." + v.id));
}

TEST_CASE("App UI: fix a returned visit and resubmit it") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  RecordVisit(ui, s);
  const std::string visit_id = ui.model().visits().List({})->front().id;
  // The leader's decision (as a sync would bring it).
  auto decided =
      Reviews(ui.db()).Decide(visit_id, s.leader.id, "returned", "Ghi rõ số điện thoại đã cài VNeID.");
  INFO((decided.ok() ? std::string() : decided.error().message()));
  REQUIRE(decided.ok());
  ui.model().Touch();
  ui.Click("nav.today");
  ui.Click("today.open_returned");
  CHECK(ui.model().route().screen == app::Screen::kReturned);
  ui.Click("returned.fix." + visit_id);
  CHECK(ui.model().route().screen == app::Screen::kVisitForm);
  CHECK(ui.Visible("visit.returned_comment"));  // the leader's comment is shown above the form
  ui.Type("visit.notes", "Đã cài VNeID trên số 0912345678.");
  ui.Click("visit.save");
  const Visit v = *ui.model().visits().Get(visit_id);
  CHECK(v.status == kStatusPending);
  CHECK(v.notes == "Đã cài VNeID trên số 0912345678.");
  CHECK(ui.model().visits().List({})->size() == 1);  // edited, not doubled
  ui.Click("nav.returned");
  CHECK_FALSE(ui.AnyVisible("returned.fix."));
}

TEST_CASE("App UI: an unsaved visit survives closing the app") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  OpenNewVisit(ui, s.duc.id);
  ui.Click("visit.person." + s.lan.id);
  ui.Click("visit.topic.cashless");
  ui.Type("visit.notes", "Chưa xong, mất điện.");
  REQUIRE(app::HasDraft(ui.data_dir()));

  ui.Restart();  // the app closes (or the battery dies) and opens again
  ui.SignInAs(s.member.id, "1234");
  CHECK(ui.model().visits().List({})->empty());
  ui.Click("today.continue_draft");
  ui.Frames(2);
  CHECK(ui.model().route().screen == app::Screen::kVisitForm);
  ui.Key(kKeyS, /*ctrl=*/true);
  auto visits = ui.model().visits().List({});
  REQUIRE(visits->size() == 1);
  CHECK(visits->front().notes == "Chưa xong, mất điện.");
  CHECK(visits->front().persons == std::vector<std::string>{s.lan.id});
  CHECK(visits->front().topics.count("cashless") == 1);
  CHECK_FALSE(app::HasDraft(ui.data_dir()));
}


TEST_CASE("App UI: only a leader has the dashboard, and it counts the visit just recorded") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  CHECK_FALSE(ui.Visible("nav.dashboard"));
  RecordVisit(ui, s);
  SwitchMember(ui, s.leader.id, "5678");
  REQUIRE(ui.Visible("nav.dashboard"));
  ui.Click("nav.dashboard");
  CHECK(ui.model().route().screen == app::Screen::kDashboard);
  CHECK(ui.Visible("dashboard.period"));
  auto d = ComputeDashboard(ui.db(), {.today = ui.model().Today()});
  REQUIRE(d.ok());
  CHECK(d->commune.households_visited == 1);
  CHECK(d->pending_reviews == 1);
}


TEST_CASE("App UI: the leader returns a visit with a comment and approves others at once") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  RecordVisit(ui, s);
  // A second visit, to the other household, written as the member through storage.
  Visit other;
  other.household_id = s.hoa.id;
  other.visited_on = "2026-03-14";
  other.minutes = 10;
  other.members = {s.member.id};
  other.topics = {{"cashless", "guided"}};
  const std::string other_id = ui.model().visits().Save(other)->id;
  const std::string first_id = ui.model().visits().List({.household_id = s.duc.id})->front().id;

  SwitchMember(ui, s.leader.id, "5678");
  ui.Click("nav.review");
  REQUIRE(ui.Visible("review.open." + first_id));
  REQUIRE(ui.Visible("review.open." + other_id));
  // Return the first: a comment is required.
  ui.Click("review.open." + first_id);
  ui.Click("review.return");
  CHECK(ui.model().visits().Get(first_id)->status == kStatusPending);
  ui.Type("review.comment", "Ghi rõ số điện thoại đã cài VNeID.");
  ui.Click("review.return");
  CHECK(ui.model().visits().Get(first_id)->status == kStatusReturned);
  CHECK_FALSE(ui.Visible("review.open." + first_id));  // the queue shows pending visits
  // Approve the rest by ticking.
  ui.Click("review.tick." + other_id);
  ui.Click("review.approve_ticked");
  CHECK(ui.model().visits().Get(other_id)->status == kStatusApproved);
  CHECK_FALSE(ui.Visible("review.open." + other_id));
  // Filter by status: the returned one, with its history.
  ui.Choose("review.status", 1);  // returned
  CHECK(ui.Visible("review.open." + first_id));
  auto history = ReviewQueue(ui.db()).History(first_id);
  REQUIRE(history->size() == 1);
  CHECK(history->front().review.leader_id == s.leader.id);

  // The member sees it to fix.
  SwitchMember(ui, s.member.id, "1234");
  ui.Click("nav.returned");
  CHECK(ui.Visible("returned.fix." + first_id));
}

TEST_CASE("App UI: a member has no review queue") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  CHECK_FALSE(ui.Visible("nav.review"));
  ui.model().Go({app::Screen::kReview});
  ui.Frames(2);
  CHECK_FALSE(ui.Visible("review.status"));
}


TEST_CASE("App UI: the leader exports the monthly report from the dashboard") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  RecordVisit(ui, s);
  SwitchMember(ui, s.leader.id, "5678");
  ui.Click("nav.dashboard");
  ui.Click("dashboard.export");
  INFO(ui.model().message());
  CHECK_FALSE(ui.model().message_is_error());
  const std::filesystem::path dir = std::filesystem::path(ui.data_dir()) / "reports";
  const std::filesystem::path xlsx = dir / "BaoCao_ToCNSCD_XaTinhSon_2026-03.xlsx";
  REQUIRE(std::filesystem::exists(xlsx));
  CHECK(std::filesystem::file_size(xlsx) > 2000);
  CHECK(std::filesystem::exists(dir / "BaoCao_ToCNSCD_XaTinhSon_2026-03_TheoThon.csv"));
  CHECK(ui.model().message().find(xlsx.string()) != std::string::npos);
}

}  // namespace gocua::test
