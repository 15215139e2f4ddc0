#include "storage/device/visits.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/core/change_log.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/topics.h"
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

// Every field of a visit, for comparing what Save returned with what Get reads.
std::string Fields(const Visit& v) {
  std::string out = v.id + "|" + v.household_id + "|" + v.visited_on + "|" +
                    std::to_string(v.minutes) + "|" + v.notes + "|" + v.followup_on + "|" +
                    v.status + "|" + v.created_by + "|";
  for (const std::string& m : v.members) out += m + ",";
  out += "|";
  for (const std::string& p : v.persons) out += p + ",";
  out += "|";
  for (const auto& [t, r] : v.topics) out += t + "=" + r + ",";
  return out;
}

TEST_CASE("Visits: Save returns the visit as stored, normalised, without reading it back") {
  VisitFixture f;
  Visits visits(*f.db);
  Visit v = f.MakeVisit();
  // Notes in NFD (stored as NFC), members repeated (stored unique), persons out of order and
  // repeated (stored sorted and unique).
  v.notes =
      "Ba\xCC\x80 ca\xCC\x82\xCC\x80n nha\xCC\x86\xCC\x81"
      "c";
  v.members = {f.member.id, f.leader.id, f.leader.id};
  v.persons = {f.son.id, f.grandma.id, f.son.id};
  auto saved = visits.Save(v);
  REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  CHECK(saved->notes != v.notes);  // normalised
  CHECK(saved->members.size() == 2);
  CHECK(saved->persons.size() == 2);
  CHECK(Fields(*saved) == Fields(*visits.Get(saved->id)));
  // An edit: created_by is not written again, and the status stays what it was.
  Visit edit = *saved;
  edit.minutes = 45;
  edit.status = "approved";  // not the form's to set
  auto edited = visits.Save(edit);
  REQUIRE_MESSAGE(edited.ok(), edited.error().message());
  CHECK(edited->status == "pending");
  CHECK(edited->created_by == f.member.id);
  CHECK(edited->minutes == 45);
  CHECK(Fields(*edited) == Fields(*visits.Get(saved->id)));
}

TEST_CASE("Visits: a person listed twice is read once and raised once") {
  VisitFixture f;
  ChangeLog log(*f.db);
  Visit v = f.MakeVisit();
  v.persons = {f.grandma.id, f.grandma.id};
  const int64_t before = *log.LastSeq();
  REQUIRE(Visits(*f.db).Save(v).ok());
  // 10 visit fields + grandma's public_services→proficient and safety→guided, once.
  CHECK(*log.LastSeq() - before == 10 + 2);
  CHECK(Persons(*f.db).Get(f.grandma.id)->skills.at("safety") == "guided");
  CHECK(Persons(*f.db).Get(f.son.id)->skills.at("safety") == "none");
}

TEST_CASE("Visits: missing or deleted records are refused in the repositories' words") {
  VisitFixture f;
  ChangeLog log(*f.db);
  Visits visits(*f.db);
  const int64_t before = *log.LastSeq();
  auto refused = [&](const Visit& v) {
    auto r = visits.Save(v);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() == ErrorCode::kNotFound);
    return r.error().message();
  };
  Visit v = f.MakeVisit();
  v.household_id = "01900000-0000-7000-8000-00000000dead";
  CHECK(refused(v) == Households(*f.db).Get(v.household_id).error().message());
  v = f.MakeVisit();
  v.members = {f.member.id, "01900000-0000-7000-8000-00000000beef"};
  CHECK(refused(v) == Members(*f.db).Get(v.members[1]).error().message());
  v = f.MakeVisit();
  v.topics = {{"no_such_topic", "done"}};
  CHECK(refused(v) == Topics(*f.db).Get("no_such_topic").error().message());
  v = f.MakeVisit();
  v.id = "01900000-0000-7000-8000-0000000000aa";  // an edit of a visit that is not there
  CHECK(refused(v) == visits.Get(v.id).error().message());
  // Deleted ones too: a removed person, then a removed household.
  REQUIRE(Persons(*f.db).Remove(f.son.id).ok());
  const int64_t after_removal = *log.LastSeq();
  v = f.MakeVisit();
  CHECK(refused(v) == Persons(*f.db).Get(f.son.id).error().message());
  v.persons = {f.grandma.id};
  REQUIRE(Households(*f.db).Remove(f.household.id).ok());
  const int64_t after_household = *log.LastSeq();
  CHECK(refused(v) == Households(*f.db).Get(f.household.id).error().message());
  // Nothing of the refused saves was written.
  CHECK(after_removal > before);
  CHECK(*log.LastSeq() == after_household);
  CHECK(visits.List({})->empty());
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

TEST_CASE(
    "Reviews: a leader reopens an approved visit, one transaction, history kept, and it syncs") {
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
