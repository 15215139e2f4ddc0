// Headless UI tests for issue 16 (field usability), obs. 3, 10 and 11: reopening an approved
// visit (a leader's, not a member's), the review history's wording, removing a person listed by
// mistake. Driven through the real screens over a real database.
#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/app/seed.h"

namespace gocua::test {
namespace {

// An approved visit to Đức's household, written through the repositories as sync would.
Visit ApprovedVisit(UiHarness& ui, const Seeded& s) {
  Visit v = SavedVisit(ui, s);
  REQUIRE(ui.model().reviews().Decide(v.id, s.leader.id, kStatusApproved, "").ok());
  ui.model().Touch();
  return v;
}

}  // namespace

TEST_CASE("App UI leader: an approved visit can be reopened by a leader, and then edited") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v = ApprovedVisit(ui, s);
  ui.SignInAs(s.leader.id, "5678");
  ui.model().Go({app::Screen::kVisitForm, s.duc.id, v.id});
  ui.Frames(3);
  CHECK(ui.Visible("visit.approved_note"));
  CHECK_FALSE(ui.Visible("visit.save"));
  const int64_t before = *ChangeLog(ui.db()).LastSeq();
  ui.clock().Advance(1000);  // decisions are ordered by time
  ui.Click("visit.reopen");
  auto after = ui.model().visits().Get(v.id);
  CHECK(after->status == kStatusPending);
  // The history is kept: the approval, then the reopening, both by the leader.
  auto history = ui.model().reviews().OfVisit(v.id);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].decision == kStatusApproved);
  CHECK((*history)[1].decision == kStatusPending);
  // Two ops to sync (the review record's fields and the visit's status), authored by the leader.
  auto ops = ChangeLog(ui.db()).Pending(before, 1000);
  REQUIRE(ops.ok());
  bool status_op = false;
  for (const ChangeEntry& e : *ops) {
    CHECK(e.author == s.leader.id);
    if (e.record_type == "visit" && e.field == "status") status_op = e.value == kStatusPending;
  }
  CHECK(status_op);
  // The form is editable again at once.
  CHECK_FALSE(ui.Visible("visit.approved_note"));
  REQUIRE(ui.Visible("visit.save"));
  ui.Type("visit.notes", "Sửa sau khi mở lại");
  ui.Click("visit.save");
  CHECK(ui.model().visits().Get(v.id)->notes == "Sửa sau khi mở lại");
}

TEST_CASE("App UI leader: a member sees an approved visit read-only with no Reopen") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v = ApprovedVisit(ui, s);
  ui.SignInAs(s.member.id, "1234");
  ui.model().Go({app::Screen::kVisitForm, s.duc.id, v.id});
  ui.Frames(3);
  CHECK(ui.Visible("visit.approved_note"));
  CHECK_FALSE(ui.Visible("visit.reopen"));
  CHECK_FALSE(ui.Visible("visit.save"));
  // Nor can the member reopen it through storage.
  CHECK(ui.model().reviews().Reopen(v.id, s.member.id).error().code() == ErrorCode::kInvalidInput);
  CHECK(ui.model().visits().Get(v.id)->status == kStatusApproved);
}

TEST_CASE("App UI leader: the review history reads as sentences, the comment set apart") {
  UiHarness ui;
  Seeded s = Seed(ui);
  Visit v = ApprovedVisit(ui, s);
  ui.clock().Advance(1000);  // decisions are ordered by time
  REQUIRE(ui.model().reviews().Reopen(v.id, s.leader.id).ok());
  ui.clock().Advance(1000);
  REQUIRE(ui.model()
              .reviews()
              .Decide(v.id, s.leader.id, kStatusReturned, "Ghi rõ số điện thoại đã cài VNeID.")
              .ok());
  ui.model().Touch();
  ui.SignInAs(s.leader.id, "5678");
  ui.Click("nav.review");
  ui.Choose("review.status", 1);  // returned
  ui.Click("review.open." + v.id);
  // Approved, reopened, returned: oldest first, each a sentence.
  REQUIRE(ui.Visible("review.history.3"));
  const std::string line = app::probe::TextOf("review.history.3");
  INFO("history: ", app::probe::TextOf("review.history.2"), " / ", line);
  CHECK(line.find("Lê Văn Hùng trả lại. Lời nhắn: «Ghi rõ số điện thoại") != std::string::npos);
  CHECK(app::probe::TextOf("review.history.2").find("Lê Văn Hùng mở lại") != std::string::npos);
  CHECK(app::probe::TextOf("review.history.1").find("Lê Văn Hùng đã duyệt.") != std::string::npos);
}

TEST_CASE("App UI household: a person is removed only after a confirmation, and leaves the lists") {
  UiHarness ui;
  Seeded s = Seed(ui);
  ui.SignInAs(s.member.id, "1234");
  ui.Click("nav.households");
  ui.Click("households.row." + s.duc.id);
  ui.Click("household.person." + s.lan.id);
  ui.Click("household.person_remove");
  CHECK(ui.model().persons().Get(s.lan.id).ok());  // one click: nothing removed yet
  REQUIRE(ui.Visible("household.person_remove_ask"));
  ui.Click("household.person_remove_no");
  CHECK_FALSE(ui.Visible("household.person_remove_ask"));
  CHECK(ui.model().persons().Get(s.lan.id).ok());
  ui.Click("household.person_remove");
  ui.Click("household.person_remove_yes");
  CHECK(ui.model().persons().Get(s.lan.id).error().code() == ErrorCode::kNotFound);
  CHECK(ui.model().persons().OfHousehold(s.duc.id)->size() == 1);
  CHECK_FALSE(ui.Visible("household.person." + s.lan.id));  // gone from the table
  CHECK(ui.Visible("household.person." + s.duc_self.id));
  // A tombstone that syncs: the person's "deleted" field is in the change log.
  bool tombstone = false;
  auto log = ChangeLog(ui.db()).Pending(0, 100000);
  REQUIRE(log.ok());
  for (const ChangeEntry& e : *log)
    tombstone |= e.record_id == s.lan.id && e.field == "deleted" && e.value == 1;
  CHECK(tombstone);
  // The visit form lists only the persons still there.
  ui.Click("household.record_visit");
  CHECK_FALSE(ui.Visible("visit.person." + s.lan.id));
  CHECK(ui.Visible("visit.person." + s.duc_self.id));
}

}  // namespace gocua::test
