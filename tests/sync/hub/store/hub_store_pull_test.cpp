// The conformance suite, pull and devices: cursors, pages, clock correction, enrollment, a
// device's own ops. Every case runs on every store of hub_store_factories.h.
#include <doctest/doctest.h>

#include "base/json_text.h"
#include "tests/sync/hub/store/hub_store_factories.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {

TEST_CASE_TEMPLATE("HubStore: a cursor from elsewhere is expired, pages come in order", Store,
                   GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  for (int i = 0; i < 5; ++i) f.AddHousehold(*a, "Hộ " + std::to_string(i));
  f.Push(*a);
  auto p1 = f.hub->Pull(a->hub_view, "", 10);
  REQUIRE(p1.ok());
  CHECK(p1->has_more);
  CHECK(p1->ops.size() == 10);
  auto p2 = f.hub->Pull(a->hub_view, p1->next_cursor, 1000);
  CHECK(p2->ops.front().first > p1->ops.back().first);
  CHECK_FALSE(p2->has_more);
  CHECK(f.hub->Pull(a->hub_view, "deadbeef.3", 10)->cursor_expired);
  CHECK(f.hub->Pull(a->hub_view, "garbage", 10)->cursor_expired);
  CHECK(f.hub->Pull(a->hub_view, p1->next_cursor + "99999", 10)->cursor_expired);
}

TEST_CASE_TEMPLATE(
    "HubStore: a device a day ahead is corrected, its stamps do not beat later edits", Store,
    GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto ahead = f.Enroll("ahead.db", f.commune.id);
  auto behind = f.Enroll("behind.db", f.commune.id);
  auto normal = f.Enroll("normal.db", f.commune.id);
  Household h = f.AddHousehold(*normal, "Mai Văn Tư");
  f.Push(*normal);
  f.Pull(*ahead);
  f.Pull(*behind);
  ahead->clock.Advance(86400000);
  behind->clock.Advance(-86400000);
  // The ahead device edits offline with its clock a day fast; then it syncs.
  Household ea = *Households(*ahead->db).Get(h.id);
  ea.address = "Sửa từ máy chạy nhanh";
  REQUIRE(Households(*ahead->db).Update(ea).ok());
  f.clock.Advance(60000);
  REQUIRE(Replica(*ahead->db).ObserveServerTime(f.clock.NowMs()).ok());
  f.Push(*ahead);
  // Later in real time, the normal device and then the behind device edit the same field.
  // Without correction the ahead device's stamp (a day fast) would beat both for a day.
  for (Device* d : {normal.get(), behind.get()}) {
    f.clock.Advance(60000);
    normal->clock.Advance(60000);
    ahead->clock.Advance(60000);
    behind->clock.Advance(60000);
    f.Pull(*d);
    REQUIRE(Replica(*d->db).ObserveServerTime(f.clock.NowMs()).ok());
    Household e = *Households(*d->db).Get(h.id);
    e.address = d == normal.get() ? "Sửa sau, đúng giờ" : "Sửa cuối, máy chạy chậm";
    REQUIRE(Households(*d->db).Update(e).ok());
    f.Push(*d);
  }
  for (Device* d : {ahead.get(), behind.get(), normal.get()}) f.Pull(*d);
  CHECK(Households(*ahead->db).Get(h.id)->address == "Sửa cuối, máy chạy chậm");
  CHECK(*ExportCanonicalJson(*ahead->db) == *ExportCanonicalJson(*normal->db));
  CHECK(*ExportCanonicalJson(*behind->db) == *ExportCanonicalJson(*normal->db));
  CHECK(f.hub->Conflicts()->empty());  // each edit saw the one before it
  // New edits on the ahead device are stamped in hub time, not a day ahead.
  Household again = *Households(*ahead->db).Get(h.id);
  again.smartphones = 4;
  REQUIRE(Households(*ahead->db).Update(again).ok());
  auto pending = ChangeLog(*ahead->db).Pending(0, 10);
  REQUIRE(pending->size() == 1);
  CHECK(HlcMillis(pending->front().hlc) < f.clock.NowMs() + 60000);
}

TEST_CASE_TEMPLATE("HubStore: a code works once, replays too, and a revoked device can come back",
                   Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  test::TempDir dir;
  ManualClock clock(kTestNowMs);
  auto db = OpenOrDie(dir.File("d.db"), clock);
  const std::string id = db->device_id();
  auto code = f.hub->IssueEnrollmentCode(f.commune.id, 3600000);
  auto first = f.hub->Enroll(*code, id, "Laptop");
  REQUIRE(first.ok());
  // Issue 15: a replay of the same code, even by the same device, gives no token again (it
  // could undo a revocation); the first token keeps working. A lost reply means a new code.
  CHECK(f.hub->Enroll(*code, id, "Laptop").error().code() == ErrorCode::kNotFound);
  auto again = first;
  CHECK(f.hub->Authenticate(again->second).ok());
  // Another device cannot use that code, and an active device cannot enroll twice.
  CHECK(f.hub->Enroll(*code, NewUuidV7(kTestNowMs), "Khác").error().code() == ErrorCode::kNotFound);
  auto code2 = f.hub->IssueEnrollmentCode(f.commune.id, 3600000);
  CHECK(f.hub->Enroll(*code2, id, "Laptop").error().code() == ErrorCode::kConflict);
  // Revoked, it comes back with a fresh code and keeps its id (and its seqs).
  REQUIRE(f.hub->RevokeDevice(id).ok());
  CHECK_FALSE(f.hub->Authenticate(again->second).ok());
  auto back = f.hub->Enroll(*code2, id, "Laptop");
  REQUIRE_MESSAGE(back.ok(), back.error().message());
  CHECK(back->second != again->second);
  CHECK(f.hub->Authenticate(back->second)->device_id == id);
  // A code of another commune does not move it.
  REQUIRE(f.hub->RevokeDevice(id).ok());
  auto other = f.hub->IssueEnrollmentCode(f.other.id, 3600000);
  CHECK(f.hub->Enroll(*other, id, "Laptop").error().code() == ErrorCode::kConflict);
}

TEST_CASE_TEMPLATE(
    "HubStore: an incremental pull leaves out the device's own ops, a full one has them", Store,
    GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  const std::string cursor = Replica(*a->db).State()->cursor;
  f.AddHousehold(*a, "Lò Văn Pẩu");
  f.Push(*a);
  auto incremental = f.hub->Pull(a->hub_view, cursor, 1000);
  REQUIRE(incremental.ok());
  CHECK(incremental->ops.empty());
  auto full = f.hub->Pull(a->hub_view, "", 1000);
  int own = 0;
  for (const auto& [seq, op] : full->ops) own += op.origin_device == a->db->device_id();
  CHECK(own == 8);
}

// A page handed to a PullSink, one line per op, and its end.
struct Lines final : PullSink {
  std::vector<std::string> ops;
  void Add(const PulledOpView& v) override {
    std::string value;
    if (v.value)
      json_text::AppendValueText(value, *v.value);
    else
      value = v.value_text;
    ops.push_back(std::to_string(v.server_seq) + "|" + std::string(v.origin_device) + "|" +
                  std::to_string(v.seq) + "|" + std::string(v.record_id) + "|" +
                  std::string(v.field) + "|" + value + "|" + std::to_string(v.value_bytes) +
                  "|" + std::to_string(v.hlc) + "|" + std::string(v.author));
  }
};

TEST_CASE_TEMPLATE(
    "HubStore: a page cut by its size is the page of the store's ops cut there, read once",
    Store, GOCUA_HUB_STORES) {
  HubFixture f(&Store::Open);
  auto a = f.Enroll("a.db", f.commune.id);
  auto b = f.Enroll("b.db", f.commune.id);
  for (int i = 0; i < 6; ++i) {
    Household h = f.AddHousehold(*a, "Hộ " + std::to_string(i));
    Visit v = MakeVisit(f, h);
    v.notes = std::string(static_cast<size_t>(300 * i), 'n');
    REQUIRE(Visits(*a->db).Save(v).ok());
  }
  f.Push(*a);
  // The store's own PullInto (one pass) against HubStore's (Pull, and Pull again when cut).
  for (int limit : {1, 7, 1000})
    for (size_t max_bytes : {size_t{1}, size_t{900}, size_t{2500}, size_t{1} << 20}) {
      std::string cursor;
      for (int page = 0; page < 200; ++page) {
        INFO("limit ", limit, ", max_bytes ", max_bytes, ", page ", page);
        Lines once, twice;
        auto got = f.hub->PullInto(b->hub_view, cursor, limit, max_bytes, once);
        auto want = f.hub->HubStore::PullInto(b->hub_view, cursor, limit, max_bytes, twice);
        REQUIRE(got.ok());
        REQUIRE(want.ok());
        CHECK(once.ops == twice.ops);
        CHECK(got->next_cursor == want->next_cursor);
        CHECK(got->has_more == want->has_more);
        CHECK_FALSE(once.ops.empty());
        if (!got->has_more) break;
        cursor = got->next_cursor;
      }
    }
}

}  // namespace
}  // namespace gocua::hub_store_test
