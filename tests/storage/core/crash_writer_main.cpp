// gocua_crash_writer DBPATH — the child process of tests/storage/core/crash_test.cpp.
//
// Opens DBPATH, makes sure it holds a commune, a village, a member and a household with one
// person (looking each up first: an earlier run may have been killed half-way through setting
// up), then writes forever, alternating a visit and a new household. After each write has
// committed it prints one line to stdout:
//
//   committed <kind> <id> <last_seq>
//
// where <last_seq> is ChangeLog::LastSeq() right after that commit. Each line goes out with a
// single write(2), so a line the test reads names a transaction that had already returned.
// The test SIGKILLs this process at a random moment; it never exits by itself unless something
// fails, and then it prints what failed to stderr and exits 1.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/places.h"
#include "storage/device/visits.h"

namespace gocua {
namespace {

constexpr const char* kVillageName = "Thôn Thử Nghiệm";
constexpr const char* kMemberName = "Lê Văn Ghi";
constexpr const char* kSetupHead = "Trần Thị Gốc";  // the household visits go to

[[noreturn]] void Fail(const std::string& what, const Status& st) {
  std::fprintf(stderr, "gocua_crash_writer: %s: %s\n", what.c_str(), st.message().c_str());
  std::exit(1);
}

// Writes all of `line` to stdout with write(2), bypassing stdio buffers.
void WriteLine(const std::string& line) {
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(STDOUT_FILENO, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) Fail("write stdout", {ErrorCode::kIo, std::to_string(errno)});
    done += static_cast<size_t>(n);
  }
}

void Report(Database& db, const char* kind, const std::string& id) {
  auto seq = ChangeLog(db).LastSeq();
  if (!seq) Fail("last seq", seq.error());
  WriteLine(std::string("committed ") + kind + " " + id + " " + std::to_string(*seq) + "\n");
}

// The records every write needs, found or created.
struct Setup {
  Village village;
  Member member;
  Household household;
  Person person;
};

Setup FindOrCreate(Database& db) {
  Setup s;
  Places places(db);
  auto commune = places.LocalCommune();
  if (!commune && commune.error().code() == ErrorCode::kNotFound) {
    commune = places.SetUpCommune("Tỉnh Thử", "Xã Thử");
    if (commune) Report(db, "commune", commune->id);
  }
  if (!commune) Fail("commune", commune.error());

  auto village = places.FindVillage(kVillageName);
  if (!village && village.error().code() == ErrorCode::kNotFound) {
    village = places.AddVillage(kVillageName);
    if (village) Report(db, "village", village->id);
  }
  if (!village) Fail("village", village.error());
  s.village = *village;

  Members members(db);
  auto list = members.List();
  if (!list) Fail("members", list.error());
  if (list->empty()) {
    auto m = members.Add(kMemberName, Role::kMember, "2468");
    if (!m) Fail("add member", m.error());
    Report(db, "member", m->id);
    s.member = *m;
  } else {
    s.member = list->front();
  }

  Households households(db);
  auto found = households.Search(kSetupHead, 10);
  if (!found) Fail("find household", found.error());
  if (found->empty()) {
    Household h;
    h.village_id = s.village.id;
    h.address = "Số 1";
    h.head_name = kSetupHead;
    h.members_count = 1;
    auto added = households.Add(h);
    if (!added) Fail("add household", added.error());
    Report(db, "household", added->id);
    found->push_back(*added);
  }
  s.household = found->front();

  Persons persons(db);
  auto people = persons.OfHousehold(s.household.id);
  if (!people) Fail("persons", people.error());
  if (people->empty()) {
    Person p;
    p.household_id = s.household.id;
    p.name = kSetupHead;
    p.birth_year = 1962;
    p.sex = "female";
    auto added = persons.Add(p);
    if (!added) Fail("add person", added.error());
    Report(db, "person", added->id);
    people->push_back(*added);
  }
  s.person = people->front();
  return s;
}

int Run(const std::string& path) {
  SystemClock clock;
  auto db = Database::Open(path, clock);
  if (!db) Fail("open " + path, db.error());
  const Setup s = FindOrCreate(**db);

  Visits visits(**db);
  Households households(**db);
  for (long i = 0;; ++i) {
    const std::string n = std::to_string(i);
    if (i % 2 == 0) {
      Visit v;
      v.household_id = s.household.id;
      v.visited_on = LocalDate(clock.NowMs());
      v.minutes = 10 + static_cast<int>(i % 50);
      v.members = {s.member.id};
      v.persons = {s.person.id};
      v.topics = {{"vneid", "done"}, {"safety", "guided"}};
      v.notes = "Lượt thăm thử " + n;
      auto saved = visits.Save(v);
      if (!saved) Fail("save visit", saved.error());
      Report(**db, "visit", saved->id);
    } else {
      Household h;
      h.village_id = s.village.id;
      h.address = "Ngõ " + n;
      h.head_name = "Nguyễn Văn Hộ " + n;
      h.phone = "0912 345 678";
      h.members_count = 4;
      h.working_age_count = 2;
      h.smartphones = 1;
      h.home_internet = true;
      auto added = households.Add(h);
      if (!added) Fail("add household", added.error());
      Report(**db, "household", added->id);
    }
  }
}

}  // namespace
}  // namespace gocua

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: gocua_crash_writer DBPATH\n");
    return 2;
  }
  return gocua::Run(argv[1]);
}
