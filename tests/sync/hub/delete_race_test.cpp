// "A delete racing an edit is a conflict" (DESIGN.md), against the real hub: a visit deleted on
// one laptop while another laptop edits it, both offline, gives one conflict record made by the
// hub on the field "deleted", in whichever order the two laptops sync, and the visit stays
// (undeleted, with the edit) on every replica until a leader resolves it. A delete made after
// seeing the edit, and an edit of another record, are not conflicts.
#include <doctest/doctest.h>

#include <random>

#include "storage/device/households.h"
#include "storage/device/visits.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

void SyncOk(SyncDevice& d) {
  client::SyncResult r = d.Sync();
  INFO(d.name(), ": ", client::FailureName(r.failure), " ", r.error.message());
  REQUIRE(r.ok());
}

// A commune with two laptops that both hold one visit made on the first.
struct TwoLaptops {
  SyncFixture f;
  SyncDevice* a = nullptr;  // deletes
  SyncDevice* b = nullptr;  // edits
  std::string household_id, visit_id;

  TwoLaptops() {
    f.hub.Start();
    a = &f.AddDevice();
    b = &f.AddDevice();
    Household h;
    h.village_id = f.village_id;
    h.head_name = "Phạm Văn Toàn";
    h.address = "Thôn Đông";
    h.members_count = 3;
    auto added = Households(a->db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    household_id = added->id;
    Visit v;
    v.household_id = household_id;
    v.visited_on = "2026-11-20";
    v.minutes = 30;
    v.members = {f.member_id};
    v.notes = "Cài VNeID";
    v.topics["vneid"] = "guided";
    auto saved = Visits(a->db()).Save(v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
    visit_id = saved->id;
    SyncOk(*a);
    SyncOk(*b);
    REQUIRE(Visits(b->db()).Get(visit_id).ok());
  }

  void DeleteOnA() { REQUIRE(Visits(a->db()).Remove(visit_id).ok()); }
  void EditOnB(const std::string& notes) {
    auto v = Visits(b->db()).Get(visit_id);
    REQUIRE(v.ok());
    v->notes = notes;
    auto saved = Visits(b->db()).Save(*v);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  }
  // Both sync until nothing moves, then every replica equals the hub.
  void Settle() {
    std::mt19937_64 rng(7);
    f.SyncUntilQuiet(rng);
    f.CheckAllExportsEqualHub();
  }
  nlohmann::json Conflicts() { return f.hub.Json({"conflicts"}); }
};

// The one conflict of a raced delete: on "deleted", between the two laptops, the edit kept.
void CheckRaceConflict(const nlohmann::json& c, const TwoLaptops& t, bool edit_arrived_second) {
  CHECK(c["record_type"] == "visit");
  CHECK(c["record_id"] == t.visit_id);
  CHECK(c["field"] == "deleted");
  CHECK(c["status"] == "open");
  const std::string& deleter = t.a->id();
  const std::string& editor = t.b->id();
  // a = what the hub held, b = what arrived; "1" is the delete, "0" the edit kept.
  CHECK(c["device_a"] == (edit_arrived_second ? deleter : editor));
  CHECK(c["device_b"] == (edit_arrived_second ? editor : deleter));
  CHECK(c["value_a"] == (edit_arrived_second ? "1" : "0"));
  CHECK(c["value_b"] == (edit_arrived_second ? "0" : "1"));
  CHECK(c["winner"] == (edit_arrived_second ? "b" : "a"));
}

void CheckVisitKept(TwoLaptops& t, const std::string& notes) {
  for (SyncDevice* d : {t.a, t.b}) {
    auto v = Visits(d->db()).Get(t.visit_id);
    INFO(d->name());
    REQUIRE_MESSAGE(v.ok(), "the raced visit vanished: " << v.error().message());
    CHECK(v->notes == notes);
  }
}

TEST_CASE("Sync: an edit arriving after a delete it had not seen is a conflict, the visit kept") {
  TwoLaptops t;
  t.DeleteOnA();
  t.EditOnB("Cài VNeID, hướng dẫn thêm thanh toán");
  SyncOk(*t.a);  // the delete reaches the hub first
  const int64_t before = t.b->conflicts_total();
  SyncOk(*t.b);  // then the edit that never saw it
  CHECK(t.b->conflicts_total() - before == 1);  // the edit's push was answered `conflict`
  t.Settle();
  nlohmann::json conflicts = t.Conflicts();
  REQUIRE(conflicts.size() == 1);
  CheckRaceConflict(conflicts[0], t, /*edit_arrived_second=*/true);
  CheckVisitKept(t, "Cài VNeID, hướng dẫn thêm thanh toán");
}

TEST_CASE("Sync: a delete arriving after an edit it had not seen is a conflict, the visit kept") {
  TwoLaptops t;
  t.DeleteOnA();
  t.EditOnB("Đã hẹn lần sau");
  SyncOk(*t.b);  // the edit reaches the hub first
  const int64_t before = t.a->conflicts_total();
  SyncOk(*t.a);  // then the delete that never saw it
  CHECK(t.a->conflicts_total() - before == 1);
  t.Settle();
  nlohmann::json conflicts = t.Conflicts();
  REQUIRE(conflicts.size() == 1);
  CheckRaceConflict(conflicts[0], t, /*edit_arrived_second=*/false);
  CheckVisitKept(t, "Đã hẹn lần sau");
}

TEST_CASE("Sync: a delete made after seeing the edit wins silently and the visit is gone") {
  TwoLaptops t;
  t.EditOnB("Sửa trước khi xoá");
  SyncOk(*t.b);
  SyncOk(*t.a);  // A pulls the edit, then deletes knowingly
  t.DeleteOnA();
  t.Settle();
  CHECK(t.Conflicts().empty());
  for (SyncDevice* d : {t.a, t.b}) CHECK_FALSE(Visits(d->db()).Get(t.visit_id).ok());
}

TEST_CASE("Sync: a raced delete the hub undid can be deleted again once seen, without a conflict") {
  TwoLaptops t;
  t.DeleteOnA();
  t.EditOnB("Giữ lại");
  t.Settle();  // one conflict, the visit back on A
  REQUIRE(t.Conflicts().size() == 1);
  REQUIRE(Visits(t.a->db()).Get(t.visit_id).ok());
  t.DeleteOnA();  // the deleter, having now seen the edit, deletes again
  t.Settle();
  CHECK(t.Conflicts().size() == 1);  // no new conflict
  for (SyncDevice* d : {t.a, t.b}) CHECK_FALSE(Visits(d->db()).Get(t.visit_id).ok());
}

TEST_CASE("Sync: deleting one visit while another record is edited is not a conflict") {
  TwoLaptops t;
  t.DeleteOnA();
  auto h = Households(t.b->db()).Get(t.household_id);
  REQUIRE(h.ok());
  h->phone = "0912345678";
  REQUIRE(Households(t.b->db()).Update(*h).ok());
  t.Settle();
  CHECK(t.Conflicts().empty());
  CHECK_FALSE(Visits(t.b->db()).Get(t.visit_id).ok());
}

}  // namespace
}  // namespace gocua
