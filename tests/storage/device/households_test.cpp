#include "storage/device/households.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <filesystem>

#include "storage/core/change_log.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/device/today.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

Household MakeHousehold(const std::string& village_id, const std::string& head) {
  Household h;
  h.village_id = village_id;
  h.head_name = head;
  h.address = "Số 12, ngõ 3";
  h.phone = "0912 345 678";
  h.members_count = 4;
  h.working_age_count = 2;
  h.smartphones = 2;
  h.home_internet = true;
  return h;
}

TEST_CASE("Households: add, get, update and remove, each with its change-log entries") {
  test::CommuneFixture f;
  Households hs(*f.db);
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  auto h = hs.Add(MakeHousehold(f.village.id, "Nguyễn Văn Đức"));
  REQUIRE_MESSAGE(h.ok(), h.error().message());
  CHECK(h->phone == "0912345678");  // normalised
  CHECK(h->head_name == "Nguyễn Văn Đức");
  // A new record logs every field given.
  CHECK(*log.LastSeq() - before == 8);

  Household edit = *h;
  edit.smartphones = 3;
  edit.address = "Số 14, ngõ 3";
  auto updated = hs.Update(edit);
  REQUIRE(updated.ok());
  CHECK(updated->smartphones == 3);
  // Only the two changed fields are logged.
  CHECK(*log.LastSeq() - before == 10);
  auto entries = log.Pending(before + 8, 100);
  REQUIRE(entries->size() == 2);
  for (const ChangeEntry& e : *entries) {
    CHECK(e.record_type == "household");
    CHECK(e.record_id == h->id);
    CHECK(e.base_device == f.db->device_id());  // the base is the stamp of the first write
    CHECK(e.base_hlc < e.hlc);
  }

  REQUIRE(hs.Remove(h->id).ok());
  CHECK(hs.Get(h->id).error().code() == ErrorCode::kNotFound);
  CHECK(*hs.Count() == 0);
}

TEST_CASE("Households: bad input gives a clear error and writes nothing") {
  test::CommuneFixture f;
  Households hs(*f.db);
  ChangeLog log(*f.db);
  const int64_t before = *log.LastSeq();
  auto expect_bad = [&](Household h, const char* needle) {
    auto r = hs.Add(h);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code() != ErrorCode::kOk);
    CHECK_MESSAGE(r.error().message().find(needle) != std::string::npos, r.error().message());
  };
  Household ok = MakeHousehold(f.village.id, "Phạm Thị Lan");
  Household h = ok;
  h.head_name = "  ";
  expect_bad(h, "chủ hộ");
  h = ok;
  h.head_name = "Ph\xE1m";  // broken UTF-8
  expect_bad(h, "UTF-8");
  h = ok;
  h.head_name = std::string(101, 'a');
  expect_bad(h, "100");
  h = ok;
  h.phone = "09x1234567";
  expect_bad(h, "điện thoại");
  h = ok;
  h.working_age_count = 9;  // more than the 4 members
  expect_bad(h, "lao động");
  h = ok;
  h.village_id = "no-such-village";
  expect_bad(h, "thôn");
  CHECK(*log.LastSeq() == before);
  CHECK(*hs.Count() == 0);
}

TEST_CASE("Households: search ignores case and diacritics, including đ/Đ and NFD input") {
  test::CommuneFixture f;
  Households hs(*f.db);
  auto duc = hs.Add(MakeHousehold(f.village.id, "Nguyễn Văn Đức"));
  auto lan = hs.Add(MakeHousehold(f.village.id, "Phạm Thị Lan"));
  REQUIRE(duc.ok());
  REQUIRE(lan.ok());
  Household third = MakeHousehold(f.village.id, "Hoàng Văn Nam");
  third.phone = "0387001122";
  third.address = "Xóm Đình";
  auto nam = hs.Add(third);
  REQUIRE(nam.ok());
  // A person in Lan's household.
  Person p;
  p.household_id = lan->id;
  p.name = "Đỗ Thị Hồng";
  p.birth_year = 1960;
  p.sex = "female";
  REQUIRE(Persons(*f.db).Add(p).ok());

  auto ids = [&](const std::string& q) {
    std::vector<std::string> out;
    auto r = hs.Search(q);
    REQUIRE_MESSAGE(r.ok(), r.error().message());
    for (const Household& h : *r) out.push_back(h.id);
    return out;
  };
  CHECK(ids("nguyen van duc") == std::vector<std::string>{duc->id});
  CHECK(ids("DUC") == std::vector<std::string>{duc->id});
  CHECK(ids("Đức") == std::vector<std::string>{duc->id});
  CHECK(ids("Nguye\xCC\x82\xCC\x83n") == std::vector<std::string>{duc->id});  // NFD "Nguyễn"
  CHECK(ids("do thi hong") == std::vector<std::string>{lan->id});             // a member's name
  CHECK(ids("0387") == std::vector<std::string>{nam->id});                    // phone prefix
  CHECK(ids("xom dinh") == std::vector<std::string>{nam->id});                // address
  CHECK(ids("van").size() == 2);
  CHECK(ids("zzz").empty());
  CHECK(ids("\"*(").size() == 3);  // FTS syntax in the box folds away to a plain list

  // Renaming re-indexes; removing takes it out of results.
  Household renamed = *duc;
  renamed.head_name = "Nguyễn Văn Đạt";
  REQUIRE(hs.Update(renamed).ok());
  CHECK(ids("duc").empty());
  CHECK(ids("dat") == std::vector<std::string>{duc->id});
  REQUIRE(hs.Remove(nam->id).ok());
  CHECK(ids("0387").empty());
}

TEST_CASE("Households: a removed household does not shorten a page of search results") {
  test::CommuneFixture f;
  Households hs(*f.db);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    auto h = hs.Add(MakeHousehold(f.village.id, "Hộ số " + std::to_string(i)));
    REQUIRE(h.ok());
    Person p;
    p.household_id = h->id;
    p.name = "Trần Thanh Bình";
    p.birth_year = 1980;
    p.sex = "male";
    REQUIRE(Persons(*f.db).Add(p).ok());
    ids.push_back(h->id);
  }
  REQUIRE(hs.Remove(ids[0]).ok());
  REQUIRE(hs.Remove(ids[1]).ok());
  CHECK(hs.Search("binh", 2)->size() == 2);
  CHECK(hs.Search("binh", 10)->size() == 2);
}

std::vector<std::string> Heads(const Result<std::vector<Household>>& page) {
  REQUIRE_MESSAGE(page.ok(), page.error().message());
  std::vector<std::string> out;
  for (const Household& h : *page) out.push_back(h.head_name);
  return out;
}

TEST_CASE("Households: a village lists by head name as read, Đ with D, through every writer") {
  test::CommuneFixture f;
  Households hs(*f.db);
  auto other = Places(*f.db).AddVillage("Thôn Tây");
  REQUIRE(other.ok());
  for (const char* head : {"Võ Văn Ân", "Đỗ Thị Bình", "Nguyễn Văn Cường", "Dương Minh Đức",
                           "an Thị Hoa", "Đinh Văn Em"})
    REQUIRE(hs.Add(MakeHousehold(f.village.id, head)).ok());
  // Case and marks are ignored first (Đ as D), as villages sort; then the name as written.
  const std::vector<std::string> expected = {"an Thị Hoa",     "Đinh Văn Em",      "Đỗ Thị Bình",
                                             "Dương Minh Đức", "Nguyễn Văn Cường", "Võ Văn Ân"};
  CHECK(Heads(hs.List({f.village.id, 100, 0})) == expected);
  // Pages walk the same order.
  CHECK(Heads(hs.List({f.village.id, 2, 2})) ==
        std::vector<std::string>{"Đỗ Thị Bình", "Dương Minh Đức"});
  CHECK(Heads(hs.List({other->id, 100, 0})).empty());

  // A renamed head moves; a household moved to another village leaves this list; a removed
  // one is gone.
  auto all = hs.List({f.village.id, 100, 0});
  Household vo = all->back(), dinh = (*all)[1], an = all->front();
  vo.head_name = "Bùi Văn Ân";
  REQUIRE(hs.Update(vo).ok());
  dinh.village_id = other->id;
  REQUIRE(hs.Update(dinh).ok());
  REQUIRE(hs.Remove(an.id).ok());
  CHECK(Heads(hs.List({f.village.id, 100, 0})) ==
        std::vector<std::string>{"Bùi Văn Ân", "Đỗ Thị Bình", "Dương Minh Đức", "Nguyễn Văn Cường"});
  CHECK(Heads(hs.List({other->id, 100, 0})) == std::vector<std::string>{"Đinh Văn Em"});
  CHECK(hs.List({"", 100, 0})->size() == 5);

  // Another laptop that receives these households by sync lists them the same way.
  auto pending = ChangeLog(*f.db).Pending(0, 100000);
  REQUIRE(pending.ok());
  std::vector<RemoteOp> ops;
  for (const ChangeEntry& e : *pending)
    ops.push_back({f.db->device_id(), e.seq, e.record_type, e.record_id, e.field, e.value,
                   Stamp{e.base_hlc, e.base_device}, e.hlc, e.author,
                   Stamp{e.seen_hlc, e.seen_device}});
  auto b = test::OpenOrDie(f.dir.File("b.db"), f.clock);
  REQUIRE(Replica(*b).ApplyPulled(ops, "c1").ok());
  CHECK(Heads(Households(*b).List({f.village.id, 100, 0})) ==
        Heads(hs.List({f.village.id, 100, 0})));
  CHECK(Heads(Households(*b).List({other->id, 100, 0})) == std::vector<std::string>{"Đinh Văn Em"});
}

TEST_CASE("Households: Today lists households not yet visited in the same reading order") {
  test::CommuneFixture f;
  Households hs(*f.db);
  for (const char* head : {"Võ Văn Ân", "Đỗ Thị Bình", "Dương Minh Đức", "an Thị Hoa"})
    REQUIRE(hs.Add(MakeHousehold(f.village.id, head)).ok());
  auto today = LoadToday(*f.db, {"2026-03-15", f.member.id, 7, 20});
  REQUIRE_MESSAGE(today.ok(), today.error().message());
  std::vector<std::string> heads;
  for (const Household& h : today->not_visited) heads.push_back(h.head_name);
  CHECK(heads == std::vector<std::string>{"an Thị Hoa", "Đỗ Thị Bình", "Dương Minh Đức",
                                          "Võ Văn Ân"});
  CHECK(heads == Heads(hs.List({f.village.id, 100, 0})));
}

TEST_CASE("Migrations: v8 fills the list order of a register written before it") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("old.db");
  std::string village_id;
  {
    test::CommuneFixture f;
    village_id = f.village.id;
    for (const char* head : {"Võ Văn Ân", "Đỗ Thị Bình", "Bùi Văn Cường"})
      REQUIRE(Households(*f.db).Add(MakeHousehold(f.village.id, head)).ok());
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  CHECK(sqlite3_exec(raw, "DROP TABLE household_order; PRAGMA user_version = 7;", nullptr, nullptr,
                     nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Heads(Households(*db).List({village_id, 100, 0})) ==
        std::vector<std::string>{"Bùi Văn Cường", "Đỗ Thị Bình", "Võ Văn Ân"});
}

TEST_CASE("Persons: add with a default skills profile, bad years and sexes are refused") {
  test::CommuneFixture f;
  auto h = Households(*f.db).Add(MakeHousehold(f.village.id, "Võ Văn Tám"));
  REQUIRE(h.ok());
  Persons persons(*f.db);
  Person p;
  p.household_id = h->id;
  p.name = "Võ Thị Bé";
  p.birth_year = 1985;
  p.sex = "female";
  auto added = persons.Add(p);
  REQUIRE_MESSAGE(added.ok(), added.error().message());
  CHECK(added->skills.at("public_services") == "none");
  CHECK(persons.OfHousehold(h->id)->size() == 1);
  Person bad = p;
  bad.birth_year = 2090;
  CHECK(persons.Add(bad).error().code() == ErrorCode::kInvalidInput);
  bad = p;
  bad.sex = "x";
  CHECK(persons.Add(bad).error().code() == ErrorCode::kInvalidInput);
  bad = p;
  bad.household_id = "nope";
  CHECK(persons.Add(bad).error().code() == ErrorCode::kNotFound);
}

TEST_CASE("Members: PINs are stored hashed and checked, a short PIN is refused") {
  test::CommuneFixture f;
  Members members(*f.db);
  CHECK(f.member.pin_hash.find("1234") == std::string::npos);
  CHECK(f.member.pin_hash.rfind("pbkdf2-sha256$", 0) == 0);
  CHECK(*members.CheckPin(f.member.id, "1234"));
  CHECK_FALSE(*members.CheckPin(f.member.id, "1235"));
  CHECK(members.Add("Ai Đó", Role::kMember, "12").error().code() == ErrorCode::kInvalidInput);
  CHECK(members.List()->size() == 2);
}

TEST_CASE("Places: villages are unique by folded name within the commune") {
  test::CommuneFixture f;
  Places places(*f.db);
  CHECK(places.AddVillage("thon dong").error().code() == ErrorCode::kConflict);
  REQUIRE(places.AddVillage("Thôn Tây").ok());
  CHECK(places.Villages()->size() == 2);
  CHECK(places.FindVillage("THON TAY")->name == "Thôn Tây");
  CHECK(places.SetUpCommune("A", "B").error().code() == ErrorCode::kConflict);
}

}  // namespace
}  // namespace gocua
