// The change log stored a record run a row (storage/core/outbox_runs.h) and read entry by
// entry (ChangeLog): one local write is one row, and every read — from any seq, up to any
// limit, cutting a run anywhere — gives the slice of the whole log it would have given when the
// log was a field a row; an acknowledgement anywhere keeps exactly the later entries.
#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/core/record_store.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "tests/support/derived_history.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::Rows;

std::string Line(const ChangeEntry& e) {
  return std::to_string(e.seq) + "|" + e.record_type + "|" + e.record_id + "|" + e.field + "|" +
         e.value.dump() + "|" + std::to_string(e.base_hlc) + "|" + e.base_device + "|" +
         std::to_string(e.hlc) + "|" + e.author + "|" + std::to_string(e.seen_hlc) + "|" +
         e.seen_device;
}

std::vector<std::string> Lines(const std::vector<ChangeEntry>& v) {
  std::vector<std::string> out;
  for (const ChangeEntry& e : v) out.push_back(Line(e));
  return out;
}

int64_t RunRows(Database& db) {
  return std::stoll(Rows(db, "SELECT count(*) FROM outbox_runs")[0]);
}

struct Logged : test::CommuneFixture {
  std::vector<std::string> ids;
  Logged() {
    db->SetAuthor(member.id);
    for (int i = 0; i < 3; ++i) {
      Household h;
      h.village_id = village.id;
      h.head_name = "Hộ " + std::to_string(i);
      h.address = "Số " + std::to_string(i);
      h.members_count = 3;
      ids.push_back(Households(*db).Add(h)->id);
    }
    Database::Impl& d = db->impl();
    // An edit (base stamps of this device) and a delete (a seen stamp) of the first household.
    REQUIRE(d.Transact([&]() -> Status {
               auto w = WriteLocal(d, *FindRecordDef("household"), ids[0],
                                   {{"head_name", "Hộ đổi tên"}, {"phone", "0912345678"}});
               return w ? Status::Ok() : w.error();
             }).ok());
    REQUIRE(d.Transact([&]() -> Status {
               auto w = WriteLocal(d, *FindRecordDef("household"), ids[1], {{"deleted", 1}});
               return w ? Status::Ok() : w.error();
             }).ok());
  }
};

TEST_CASE("Change log runs: one write one row, and every slice reads as the whole log's") {
  Logged f;
  ChangeLog log(*f.db);
  const auto all = log.Pending(0, -1);
  REQUIRE(all.ok());
  const int64_t writes_before = RunRows(*f.db);
  REQUIRE(all->size() > 20);
  // Dense seqs, the author on the households' (the fixture's setup ran signed out), the
  // edit's bases and the delete's seen stamp kept.
  for (size_t i = 0; i < all->size(); ++i) {
    CHECK((*all)[i].seq == (*all)[0].seq + static_cast<int64_t>(i));
    CHECK((*all)[i].author == ((*all)[i].record_type == "household" ? f.member.id : ""));
  }
  int bases = 0, seens = 0;
  for (const ChangeEntry& e : *all) {
    if (e.record_id == f.ids[0] && e.field == "head_name" && e.base_hlc != 0) {
      ++bases;
      CHECK(e.base_device == f.db->device_id());
      CHECK(e.base_hlc < e.hlc);
    }
    if (e.field == "deleted" && e.value == 1) {
      ++seens;
      CHECK(e.seen_device == f.db->device_id());
      CHECK(e.seen_hlc > 0);
    }
  }
  CHECK(bases == 1);
  CHECK(seens == 1);
  CHECK(*log.PendingCount() == static_cast<int64_t>(all->size()));
  // Each household added is one run, the edit one, the delete one (places, members: theirs).
  const auto household_runs = std::stoll(
      Rows(*f.db, "SELECT count(*) FROM outbox_runs WHERE record_type = 'household'")[0]);
  CHECK(household_runs == 5);

  const auto whole = Lines(*all);
  const int64_t first = (*all)[0].seq;
  for (int64_t after = first - 1; after <= all->back().seq; ++after)
    for (int limit : {1, 2, 5, 1000}) {
      auto part = log.Pending(after, limit);
      REQUIRE(part.ok());
      const size_t from = static_cast<size_t>(after - (first - 1));
      const size_t to = std::min(whole.size(), from + static_cast<size_t>(limit));
      CHECK_MESSAGE(
          Lines(*part) == std::vector<std::string>(whole.begin() + from, whole.begin() + to),
          "after " << after << " limit " << limit);
    }
  CHECK(RunRows(*f.db) == writes_before);  // reading changes nothing
}

TEST_CASE("Change log runs: an acknowledgement inside a run keeps exactly its later entries") {
  Logged f;
  ChangeLog log(*f.db);
  const auto all = log.Pending(0, -1);
  REQUIRE(all.ok());
  const auto whole = Lines(*all);
  // Through every seq in turn, one step at a time, the log always the tail of the whole.
  for (size_t k = 0; k < whole.size(); ++k) {
    REQUIRE(log.Acknowledge((*all)[k].seq).ok());
    auto rest = log.Pending(0, -1);
    REQUIRE(rest.ok());
    CHECK(Lines(*rest) ==
          std::vector<std::string>(whole.begin() + static_cast<long>(k) + 1, whole.end()));
    CHECK(*log.PendingCount() == static_cast<int64_t>(whole.size() - k - 1));
  }
  CHECK(RunRows(*f.db) == 0);
  REQUIRE(log.Acknowledge(all->back().seq).ok());  // idempotent
}

}  // namespace
}  // namespace gocua
