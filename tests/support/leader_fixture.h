#pragma once
// A small commune whose indicators are computed by hand (below), for the indicator, report and
// review-queue tests. Today is 2026-03-15 (a Sunday); the period is March 2026.
//
// Villages: Đông (the fixture's), Tây. Members: Mai (member), Hùng (leader), Bình (member).
//   H1 Đông, working age 2: P1 An (1980), P2 Bà Tư (1950)
//   H2 Đông, working age 0 (an elderly household): P3 Ông Sáu (1948)
//   H3 Tây,  working age 2: P4 Hà (1995), P5 Bé Na (2012, 14 years old)
//   H4 Tây,  working age 1: no persons, never visited
// Visits:
//   V1 H1 03-02 Mai        P1      all five skills "done"            approved
//   V2 H1 03-10 Mai, Bình  P1, P2  vneid guided, follow-up 03-20     pending  (P1 guided twice)
//   V3 H2 03-05 Bình       P3      all five skills "done", f-u 03-08  pending  (overdue)
//   V4 H3 03-12 Mai        P4      dvc done                          returned, fixed, approved
//   V5 H3 02-20 Mai        P5      safety needs_followup, f-u 02-27   pending  (before the period)
//   V6 H1 03-14 Mai        P1      vneid done                        deleted
//   V7 H3 03-13 Bình       -       health guided, follow-up 03-14     returned (overdue)
//
// Hand-computed, period 2026-03-01..2026-03-31, counted visits V1 V2 V3 V4:
//   Đông: households 2, working age 2, working-age online 1 (P1; P3 is 78), five skills 2
//         (H1 by P1, H2 by P3), visits 3, households visited 2, persons guided 3, sessions 4
//   Tây:  households 2, working age 3, working-age online 1 (P4), five skills 0, visits 1,
//         households visited 1, persons guided 1, sessions 1
//   Topics: dvc done 3; cashless, ecommerce, safety, smartphone done 2; vneid guided 1.
//   Mai: week (03-09..03-15) 2, month 3, period 3, overdue 0.
//   Bình: week 1, month 2, period 2, overdue 2 (V3, V7).   Hùng: all 0.
//   Overdue 2; pending reviews 3 (V2, V3, V5); returned 1 (V7).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/support/fixture.h"

namespace gocua::test {

struct LeaderFixture : CommuneFixture {
  Village tay;
  Member binh;
  std::map<std::string, Household> h;  // "H1".."H4"
  std::map<std::string, Person> p;     // "P1".."P5"
  std::map<std::string, Visit> v;      // "V1".."V7"

  // `return_v4_only`: stop with V4 returned (not yet fixed and approved).
  explicit LeaderFixture(bool return_v4_only = false) {
    tay = *Places(*db).AddVillage("Thôn Tây");
    binh = *Members(*db).Add("Phạm Văn Bình", Role::kMember, "1111");
    AddHousehold("H1", village.id, "Nguyễn Văn An", 4, 2);
    AddHousehold("H2", village.id, "Trần Văn Sáu", 2, 0);
    AddHousehold("H3", tay.id, "Lê Thị Hà", 3, 2);
    AddHousehold("H4", tay.id, "Đỗ Văn Tư", 1, 1);
    AddPerson("P1", "H1", "Nguyễn Văn An", 1980);
    AddPerson("P2", "H1", "Lê Thị Tư", 1950);
    AddPerson("P3", "H2", "Trần Văn Sáu", 1948);
    AddPerson("P4", "H3", "Lê Thị Hà", 1995);
    AddPerson("P5", "H3", "Lê Thị Na", 2012);
    const std::map<std::string, std::string> five = {{"dvc", "done"},
                                                     {"cashless", "done"},
                                                     {"ecommerce", "done"},
                                                     {"safety", "done"},
                                                     {"smartphone", "done"}};
    AddVisit("V1", "H1", "2026-03-02", {member.id}, {"P1"}, five, "");
    AddVisit("V2", "H1", "2026-03-10", {member.id, binh.id}, {"P1", "P2"}, {{"vneid", "guided"}},
             "2026-03-20");
    AddVisit("V3", "H2", "2026-03-05", {binh.id}, {"P3"}, five, "2026-03-08");
    AddVisit("V4", "H3", "2026-03-12", {member.id}, {"P4"}, {{"dvc", "done"}}, "");
    AddVisit("V5", "H3", "2026-02-20", {member.id}, {"P5"}, {{"safety", "needs_followup"}},
             "2026-02-27");
    AddVisit("V6", "H1", "2026-03-14", {member.id}, {"P1"}, {{"vneid", "done"}}, "");
    AddVisit("V7", "H3", "2026-03-13", {binh.id}, {}, {{"health", "guided"}}, "2026-03-14");
    Status removed = Visits(*db).Remove(v["V6"].id);
    REQUIRE_MESSAGE(removed.ok(), removed.message());
    Decide("V1", "approved", "");
    Decide("V7", "returned", "Thiếu người được hướng dẫn");
    Decide("V4", "returned", "Ghi sai số phút");
    if (return_v4_only) return;
    FixAndResubmitV4();
    Decide("V4", "approved", "");
  }

  void FixAndResubmitV4() {
    Visit fixed = *Visits(*db).Get(v["V4"].id);
    fixed.minutes = 40;
    auto r = Visits(*db).Save(fixed);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    REQUIRE(r->status == kStatusPending);
    v["V4"] = *r;
  }

  void Decide(const std::string& key, const std::string& decision, const std::string& comment) {
    clock.Advance(1000);
    auto r = Reviews(*db).Decide(v[key].id, leader.id, decision, comment);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
  }

 private:
  void AddHousehold(const std::string& key, const std::string& village_id, const std::string& head,
                    int members, int working_age) {
    Household x;
    x.village_id = village_id;
    x.head_name = head;
    x.address = key;
    x.members_count = members;
    x.working_age_count = working_age;
    auto r = Households(*db).Add(x);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    h[key] = *r;
  }

  void AddPerson(const std::string& key, const std::string& household, const std::string& name,
                 int birth_year) {
    Person x;
    x.household_id = h[household].id;
    x.name = name;
    x.birth_year = birth_year;
    x.sex = "female";
    auto r = Persons(*db).Add(x);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    p[key] = *r;
  }

  void AddVisit(const std::string& key, const std::string& household, const std::string& day,
                std::vector<std::string> members, const std::vector<std::string>& persons,
                const std::map<std::string, std::string>& topics, const std::string& followup) {
    Visit x;
    x.household_id = h[household].id;
    x.visited_on = day;
    x.minutes = 30;
    x.members = std::move(members);
    for (const std::string& k : persons) x.persons.push_back(p[k].id);
    x.topics = topics;
    x.followup_on = followup;
    clock.Advance(1000);
    auto r = Visits(*db).Save(x);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    v[key] = *r;
  }
};

}  // namespace gocua::test
