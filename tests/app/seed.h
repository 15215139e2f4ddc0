// A commune for the UI tests, written through the storage repositories (as sync or the first
// run would): villages, a leader and a member, and households with persons.
#pragma once

#include <doctest/doctest.h>

#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/device/visits.h"
#include "tests/app/ui_harness.h"

namespace gocua::test {

struct Seeded {
  Village dong, tay;
  Member member, leader;
  Household duc, hoa;  // Nguyễn Văn Đức (Thôn Đông, two persons), Trần Thị Hoa (Thôn Tây)
  Person duc_self, lan;
};

inline Seeded Seed(UiHarness& ui) {
  Database& db = ui.db();
  Seeded s;
  Places places(db);
  REQUIRE(places.SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
  s.dong = places.AddVillage("Thôn Đông").value();
  s.tay = places.AddVillage("Thôn Tây").value();
  s.member = Members(db).Add("Trần Thị Mai", Role::kMember, "1234").value();
  s.leader = Members(db).Add("Lê Văn Hùng", Role::kLeader, "5678").value();
  Household h;
  h.village_id = s.dong.id;
  h.head_name = "Nguyễn Văn Đức";
  h.address = "Số 5, xóm 2";
  h.phone = "0912345678";
  h.members_count = 2;
  h.working_age_count = 2;
  s.duc = Households(db).Add(h).value();
  h.village_id = s.tay.id;
  h.head_name = "Trần Thị Hoa";
  h.address = "Tổ 3";
  h.phone = "0905111222";
  s.hoa = Households(db).Add(h).value();
  Person p;
  p.household_id = s.duc.id;
  p.name = "Nguyễn Văn Đức";
  p.birth_year = 1968;
  p.sex = "male";
  s.duc_self = Persons(db).Add(p).value();
  p.name = "Võ Thị Lan";
  p.birth_year = 1972;
  p.sex = "female";
  s.lan = Persons(db).Add(p).value();
  ui.model().ReloadCommune();
  ui.model().Touch();
  return s;
}

// From anywhere in the app: Households → the household → Record a visit.
// A visit to Đức's household written straight through the repository, as sync would.
inline Visit SavedVisit(UiHarness& ui, const Seeded& s) {
  Visit v;
  v.household_id = s.duc.id;
  v.visited_on = "2026-03-15";
  v.minutes = 20;
  v.members = {s.member.id};
  v.topics = {{"vneid", "guided"}};
  v.notes = "Lần đầu.";
  auto saved = ui.model().visits().Save(v);
  REQUIRE(saved.ok());
  ui.model().Touch();
  return *saved;
}

inline void OpenNewVisit(UiHarness& ui, const std::string& household_id) {
  ui.Click("nav.households");
  ui.Click("households.row." + household_id);
  ui.Click("household.record_visit");
}

// Locks the laptop and signs another member in, as when the laptop changes hands.
inline void SwitchMember(UiHarness& ui, const std::string& member_id, const std::string& pin) {
  ui.Click("nav.lock");
  ui.SignInAs(member_id, pin);
}

}  // namespace gocua::test
