#include "storage/device/visits.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/change_log.h"
#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

struct VisitFixture : test::CommuneFixture {
  Household household;
  Person grandma, son;

  VisitFixture() {
    Household h;
    h.village_id = village.id;
    h.head_name = "Nguyễn Văn Đức";
    h.members_count = 3;
    h.working_age_count = 1;
    household = *Households(*db).Add(h);
    Person p;
    p.household_id = household.id;
    p.name = "Lê Thị Na";
    p.birth_year = 1950;
    p.sex = "female";
    grandma = *Persons(*db).Add(p);
    p.name = "Nguyễn Văn Tú";
    p.birth_year = 1990;
    p.sex = "male";
    son = *Persons(*db).Add(p);
  }

  Visit MakeVisit() const {
    Visit v;
    v.household_id = household.id;
    v.visited_on = "2026-03-14";
    v.minutes = 30;
    v.members = {member.id};
    v.persons = {grandma.id, son.id};
    v.topics = {{"vneid", "done"}, {"safety", "needs_followup"}};
    v.notes = "Bà cần con cháu nhắc lại bước quét mã QR.";
    v.followup_on = "2026-03-21";
    return v;
  }
};

TEST_CASE("Visits: saving writes the visit, its change log and raises skills in one go") {
  VisitFixture f;
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  auto v = Visits(*f.db).Save(f.MakeVisit());
  REQUIRE_MESSAGE(v.ok(), v.error().message());
  CHECK(v->status == "pending");
  CHECK(v->created_by == f.member.id);
  CHECK(v->topics.at("vneid") == "done");
  // 10 visit fields + for each of 2 persons: public_services→proficient, safety→guided.
  CHECK(*log.LastSeq() - before == 10 + 2 * 2);
  auto entries = log.Pending(before, 100);
  REQUIRE(entries->size() == 14);
  for (size_t i = 0; i < entries->size(); ++i)
    CHECK((*entries)[i].seq == before + 1 + static_cast<int64_t>(i));  // dense
  auto g = Persons(*f.db).Get(f.grandma.id);
  CHECK(g->skills.at("public_services") == "proficient");
  CHECK(g->skills.at("safety") == "guided");
  CHECK(g->skills.at("payment") == "none");

  // A later "guided" never lowers "proficient".
  Visit again = f.MakeVisit();
  again.visited_on = "2026-03-15";
  again.topics = {{"dvc", "guided"}};
  REQUIRE(Visits(*f.db).Save(again).ok());
  CHECK(Persons(*f.db).Get(f.grandma.id)->skills.at("public_services") == "proficient");
}

// Rows of the search index's segment table, read through a second connection.
int64_t SearchSegmentRows(const std::string& path) {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* q = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM search_data", -1, &q, nullptr) ==
          SQLITE_OK);
  REQUIRE(sqlite3_step(q) == SQLITE_ROW);
  const int64_t n = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(raw);
  return n;
}

TEST_CASE("Visits: raising persons' skills leaves the search index alone") {
  // A skill feeds no search row: the save must not rewrite the persons' search rows, which
  // made FTS5 write a new index segment at every statement of the save.
  VisitFixture f;
  const std::string path = f.dir.File("gocua.db");
  const int64_t before = SearchSegmentRows(path);
  REQUIRE(Visits(*f.db).Save(f.MakeVisit()).ok());
  CHECK(Persons(*f.db).Get(f.grandma.id)->skills.at("safety") == "guided");
  CHECK(SearchSegmentRows(path) == before);
  // A name does feed it: the index follows the edit.
  Person renamed = *Persons(*f.db).Get(f.son.id);
  renamed.name = "Nguyễn Văn Tùng";
  REQUIRE(Persons(*f.db).Update(renamed).ok());
  CHECK(SearchSegmentRows(path) > before);
}

TEST_CASE("Visits: bad input is refused and nothing is written") {
  VisitFixture f;
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  Visits visits(*f.db);
  auto bad = [&](Visit v) {
    auto r = visits.Save(v);
    CHECK_FALSE(r.ok());
    return r.ok() ? std::string() : r.error().message();
  };
  Visit v = f.MakeVisit();
  v.visited_on = "2026-02-30";
  CHECK(bad(v).find("Ngày thăm") != std::string::npos);
  v = f.MakeVisit();
  v.visited_on = "2027-01-01";
  CHECK(bad(v).find("tương lai") != std::string::npos);
  v = f.MakeVisit();
  v.followup_on = "2026-03-01";
  CHECK(bad(v).find("hẹn") != std::string::npos);
  v = f.MakeVisit();
  v.topics = {{"vneid", "maybe"}};
  CHECK(bad(v).find("Kết quả") != std::string::npos);
  v = f.MakeVisit();
  v.topics = {{"no_such_topic", "done"}};
  bad(v);
  v = f.MakeVisit();
  v.topics.clear();
  bad(v);
  v = f.MakeVisit();
  v.members.clear();
  bad(v);
  v = f.MakeVisit();
  v.minutes = 0;
  bad(v);
  v = f.MakeVisit();
  v.notes = "\xF0\x9F";  // truncated UTF-8
  CHECK(bad(v).find("UTF-8") != std::string::npos);
  v = f.MakeVisit();
  v.notes = std::string(2001, 'x');
  CHECK(bad(v).find("2000") != std::string::npos);
  CHECK(*log.LastSeq() == before);
  CHECK(visits.List({})->empty());
  // Skills untouched.
  CHECK(Persons(*f.db).Get(f.grandma.id)->skills.at("public_services") == "none");
}

TEST_CASE("Reviews: return with a comment, fix and resubmit, approve, history kept") {
  VisitFixture f;
  Visits visits(*f.db);
  Reviews reviews(*f.db);
  auto v = visits.Save(f.MakeVisit());
  REQUIRE(v.ok());
  // Only a leader reviews, and a return needs a comment.
  CHECK(reviews.Decide(v->id, f.member.id, "approved", "").error().code() ==
        ErrorCode::kInvalidInput);
  CHECK(reviews.Decide(v->id, f.leader.id, "returned", " ").error().code() ==
        ErrorCode::kInvalidInput);
  auto r1 = reviews.Decide(v->id, f.leader.id, "returned", "Thiếu số phút thực tế");
  REQUIRE_MESSAGE(r1.ok(), r1.error().message());
  CHECK(visits.Get(v->id)->status == "returned");
  CHECK(visits.List({.status = "returned"})->size() == 1);

  Visit fixed = *visits.Get(v->id);
  fixed.minutes = 45;
  auto resubmitted = visits.Save(fixed);
  REQUIRE(resubmitted.ok());
  CHECK(resubmitted->status == "pending");
  f.clock.Advance(60000);
  REQUIRE(reviews.Decide(v->id, f.leader.id, "approved", "").ok());
  CHECK(visits.Get(v->id)->status == "approved");
  auto history = reviews.OfVisit(v->id);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].decision == "returned");
  CHECK((*history)[0].comment == "Thiếu số phút thực tế");
  CHECK((*history)[1].decision == "approved");
}

TEST_CASE("Reviews: a leader reopens an approved visit, one transaction, history kept, and it syncs") {
  VisitFixture f;
  Visits visits(*f.db);
  Reviews reviews(*f.db);
  auto v = visits.Save(f.MakeVisit());
  REQUIRE(v.ok());
  // Only an approved visit is reopened, and only by a leader.
  CHECK(reviews.Reopen(v->id, f.leader.id).error().code() == ErrorCode::kConflict);
  REQUIRE(reviews.Decide(v->id, f.leader.id, "approved", "").ok());
  CHECK(reviews.Reopen(v->id, f.member.id).error().code() == ErrorCode::kInvalidInput);
  CHECK(visits.Get(v->id)->status == "approved");

  const int64_t before = *ChangeLog(*f.db).LastSeq();
  f.clock.Advance(60000);
  auto r = reviews.Reopen(v->id, f.leader.id, "Cần ghi thêm số phút");
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  CHECK(visits.Get(v->id)->status == "pending");
  auto history = reviews.OfVisit(v->id);
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].decision == "approved");
  CHECK((*history)[1].decision == "pending");
  CHECK((*history)[1].comment == "Cần ghi thêm số phút");

  // The ops: the review's fields and the visit's status, every one by the leader — the same
  // shape as an approval, so the hub checks it the same way.
  auto ops = ChangeLog(*f.db).Pending(before, 1000);
  REQUIRE(ops.ok());
  bool status_op = false;
  for (const ChangeEntry& e : *ops) {
    CHECK(e.author == f.leader.id);
    CHECK((e.record_type == "review" || (e.record_type == "visit" && e.field == "status")));
    if (e.record_type == "visit") status_op = e.value == "pending";
  }
  CHECK(status_op);

  // A member edits the reopened visit; it stays pending (back in the queue).
  Visit edit = *visits.Get(v->id);
  edit.minutes = 40;
  CHECK(visits.Save(edit)->status == "pending");
}

TEST_CASE("Visits: list filters by household, member and date range, newest first") {
  VisitFixture f;
  Visits visits(*f.db);
  for (const char* day : {"2026-03-01", "2026-03-10", "2026-03-12"}) {
    Visit v = f.MakeVisit();
    v.visited_on = day;
    v.followup_on = "";
    if (std::string(day) == "2026-03-12") v.members = {f.leader.id, f.member.id};
    REQUIRE(visits.Save(v).ok());
  }
  auto all = visits.List({.household_id = f.household.id});
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].visited_on == "2026-03-12");
  CHECK(visits.List({.from = "2026-03-05", .to = "2026-03-11"})->size() == 1);
  CHECK(visits.List({.member_id = f.leader.id})->size() == 1);
  CHECK(visits.List({.member_id = f.member.id})->size() == 3);
  CHECK(visits.List({.limit = 2})->size() == 2);
}

TEST_CASE("ChangeLog: acknowledged entries leave, seq keeps counting densely") {
  VisitFixture f;
  ChangeLog log(*f.db);
  const int64_t last = *log.LastSeq();
  REQUIRE(last > 0);
  CHECK(*log.PendingCount() == last);
  REQUIRE(log.Acknowledge(last - 3).ok());
  REQUIRE(log.Acknowledge(last - 3).ok());  // idempotent
  CHECK(*log.PendingCount() == 3);
  CHECK(log.Pending(0, 10)->front().seq == last - 2);
  REQUIRE(Visits(*f.db).Save(f.MakeVisit()).ok());
  CHECK(log.Pending(0, 100)->at(3).seq == last + 1);
}

TEST_CASE("ChangeLog: a write that fails half-way leaves no entries and no row") {
  VisitFixture f;
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  // The second person is of another household: validation stops before anything is written.
  Household other;
  other.village_id = f.village.id;
  other.head_name = "Hộ khác";
  auto oh = Households(*f.db).Add(other);
  REQUIRE(oh.ok());
  const int64_t after_household = *log.LastSeq();
  CHECK(after_household > before);
  Person stranger;
  stranger.household_id = oh->id;
  stranger.name = "Người lạ";
  stranger.birth_year = 1970;
  stranger.sex = "male";
  auto s = Persons(*f.db).Add(stranger);
  REQUIRE(s.ok());
  const int64_t mark = *log.LastSeq();
  Visit v = f.MakeVisit();
  v.persons.push_back(s->id);
  CHECK_FALSE(Visits(*f.db).Save(v).ok());
  CHECK(*log.LastSeq() == mark);
  CHECK(Visits(*f.db).List({})->empty());
}

}  // namespace
}  // namespace gocua
