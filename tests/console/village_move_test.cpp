// A village moving to another commune after a merger, done in the console, with real laptops of
// both communes syncing through the real hub before and after, on both stores
// (sync/hub/store/village_move.h): the new commune's laptops, existing and fresh, get every
// record of the village exactly once; the old commune's get the village's new commune and
// nothing after it, and their pushes to it are quarantined; coverage follows.
#include <doctest/doctest.h>

#include <random>

#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "tests/console/console_http.h"
#include "tests/console/coverage_rows.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"

namespace gocua::console_test {
namespace {

// The one integer `sql` selects from laptop `d`'s database.
int64_t DeviceInt(test::SyncDevice& d, const std::string& sql) {
  Database::Impl& db = d.db().impl();
  Status st;
  auto q = db.Prepare(sql, &st);
  REQUIRE_MESSAGE(q, st.message());
  REQUIRE(q->Step() == SQLITE_ROW);
  return q->Int(0);
}

// What a laptop holds of village `v`: households, their persons, their visits.
std::string Held(test::SyncDevice& d, const std::string& v) {
  const std::string hh = "(SELECT id FROM households WHERE village_id = '" + v + "')";
  return std::to_string(
             DeviceInt(d, "SELECT count(*) FROM households WHERE village_id = '" + v + "'")) +
         "/" +
         std::to_string(DeviceInt(d, "SELECT count(*) FROM persons WHERE household_id IN " + hh)) +
         "/" +
         std::to_string(DeviceInt(d, "SELECT count(*) FROM visits WHERE household_id IN " + hh));
}

}  // namespace

TEST_CASE_TEMPLATE(
    "Console: a village moved to another commune takes its records to the new commune's laptops",
    Store, GOCUA_HUB_PROCESS_STORES) {
  std::mt19937_64 rng(test::TestSeed("village-move"));
  test::SyncFixture f(Store::Make());  // commune A with village V (f.village_id)
  ConsoleClient console(f.hub);
  REQUIRE(console.AddAdmin(kAdmin, kPassword).exit_code == 0);
  const std::string a = f.commune_id, v = f.village_id;
  const std::string v2 = f.hub.Ok({"village", "add", "--commune", a, "Thôn", "Tây"});
  const std::string b =
      f.hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Bắc"})
          .value("id", "");
  REQUIRE_FALSE(b.empty());
  f.hub.Start();

  // A's laptop records three households of V (persons, visits) and one of V2.
  test::SyncDevice& a1 = f.AddDevice();
  std::vector<std::string> moved_households;
  for (int i = 0; i < 3; ++i) {
    Household h;
    h.village_id = v;
    h.head_name = "Hộ Đông " + std::to_string(i);
    h.members_count = 4;
    h.working_age_count = 2;
    auto added = Households(a1.db()).Add(h);
    REQUIRE_MESSAGE(added.ok(), added.error().message());
    moved_households.push_back(added->id);
    Person p;
    p.household_id = added->id;
    p.name = "Người " + std::to_string(i);
    p.birth_year = 1990;
    p.sex = "female";
    p.skills["public_services"] = "proficient";
    REQUIRE(Persons(a1.db()).Add(p).ok());
    Visit vi;
    vi.household_id = added->id;
    vi.visited_on = "2026-01-1" + std::to_string(i);
    vi.minutes = 20;
    vi.members = {f.member_id};
    vi.topics["vneid"] = "guided";
    auto saved = Visits(a1.db()).Save(vi);
    REQUIRE_MESSAGE(saved.ok(), saved.error().message());
  }
  Household stays;
  stays.village_id = v2;
  stays.head_name = "Hộ Tây";
  REQUIRE(Households(a1.db()).Add(stays).ok());
  REQUIRE(a1.Sync().ok());

  // B's laptop, enrolled before the move, holds nothing of V.
  auto b1p = std::make_unique<test::SyncDevice>("laptop-b1", f.device_dir);
  b1p->Enroll(f.hub, b);
  test::SyncDevice& b1 = *b1p;
  f.devices.push_back(std::move(b1p));
  REQUIRE(b1.Sync().ok());
  CHECK(Held(b1, v) == "0/0/0");
  test::HubDbReader hub_db(f.hub);
  const int64_t before = hub_db.Int("SELECT coalesce(max(server_seq), 0) FROM hub_ops");

  // The move, from the console (the form's CSRF token, as a browser sends it).
  const std::string session = console.SignIn();
  const std::string csrf = console.Csrf(session);
  Reply page = console.Get("/console/communes", session);
  CHECK(page.body.find("village-move") != std::string::npos);
  CHECK(console.Post("/console/communes/village-move", session, "id=" + v + "&to=" + b).status ==
        403);  // no CSRF token: nothing moves
  CHECK(hub_db.Int("SELECT count(*) FROM hub_scope WHERE record_id = '" + v +
                   "' AND commune_id = '" + b + "'") == 0);
  Reply moved = console.Post("/console/communes/village-move", session,
                             "csrf=" + csrf + "&id=" + v + "&to=" + b);
  REQUIRE(moved.status == 303);
  Reply audit = console.Get("/console/audit", session);
  CHECK(audit.body.find("communes.village-move") != std::string::npos);
  CHECK(audit.body.find("10 records") !=
        std::string::npos);  // V, 3 households, 3 persons, 3 visits
  // Moving it again where it is says so and changes nothing.
  CHECK(
      console
          .Post("/console/communes/village-move", session, "csrf=" + csrf + "&id=" + v + "&to=" + b)
          .status == 400);

  // Each (record, field) of V is offered to B once, above every cursor.
  const int64_t offered = hub_db.Int("SELECT count(*) FROM hub_ops WHERE server_seq > " +
                                     std::to_string(before) + " AND commune_id = '" + b + "'");
  CHECK(offered > 30);
  CHECK(hub_db.Int("SELECT count(*) FROM (SELECT record_type, record_id, field FROM hub_ops "
                   "WHERE commune_id = '" +
                   b + "' GROUP BY record_type, record_id, field HAVING count(*) > 1) x") == 0);

  // B's existing laptop pulls exactly the re-offered ops, and holds V's records.
  client::SyncResult r = b1.Sync();
  INFO(client::FailureName(r.failure), " ", r.error.message());
  REQUIRE(r.ok());
  CHECK(r.pulled == offered);
  CHECK(Held(b1, v) == "3/3/3");
  CHECK(DeviceInt(b1, "SELECT count(*) FROM villages WHERE id = '" + v + "' AND commune_id = '" +
                          b + "'") == 1);
  // A fresh laptop of B gets the same, once.
  test::SyncDevice& b2 =
      *f.devices.emplace_back(std::make_unique<test::SyncDevice>("laptop-b2", f.device_dir));
  b2.Enroll(f.hub, b);
  CHECK(Held(b2, v) == "3/3/3");
  CHECK(b2.Export() == b1.Export());

  // Edits A's laptop made before it heard of the move (its app refuses them afterwards) reach
  // the hub after it: an edit of a moved household and a new household in V, both quarantined
  // with a reason. Then it pulls the village's new commune (and that commune's record, which
  // its foreign keys need) and nothing else of the village.
  auto h1 = Households(a1.db()).Get(moved_households[1]);
  REQUIRE(h1.ok());
  h1->head_name = "Sửa từ xã cũ";
  REQUIRE(Households(a1.db()).Update(*h1).ok());
  Household late;
  late.village_id = v;
  late.head_name = "Hộ mới của xã cũ";
  REQUIRE(Households(a1.db()).Add(late).ok());
  const int64_t for_a = hub_db.Int("SELECT count(*) FROM hub_ops WHERE server_seq > " +
                                   std::to_string(before) + " AND commune_id = '" + a + "'");
  CHECK(for_a == 3);  // the village's commune_id; commune B's province_id and name
  r = a1.Sync();
  REQUIRE(r.ok());
  CHECK(r.pulled == for_a);
  CHECK(DeviceInt(a1, "SELECT count(*) FROM villages WHERE id = '" + v + "' AND commune_id = '" +
                          b + "'") == 1);
  CHECK(hub_db.Int("SELECT count(*) FROM hub_ops WHERE NOT served AND reason = "
                   "'the record belongs to another commune'") >= 1);
  CHECK(hub_db.Int("SELECT count(*) FROM hub_ops WHERE NOT served AND reason = "
                   "'reference to a village of another commune'") == 1);
  // B edits a moved household: accepted, and A's laptop does not receive it.
  auto h0 = Households(b2.db()).Get(moved_households[0]);
  REQUIRE(h0.ok());
  h0->head_name = "Hộ Đông (xã mới)";
  REQUIRE(Households(b2.db()).Update(*h0).ok());
  REQUIRE(b2.Sync().ok());
  r = a1.Sync();
  REQUIRE(r.ok());
  CHECK(r.pulled == 0);
  r = b1.Sync();
  REQUIRE(r.ok());
  CHECK(r.pulled == 1);

  Reply quarantine = console.Get("/console/quarantine", session);
  CHECK(quarantine.body.find("the record belongs to another commune") != std::string::npos);
  r = b1.Sync();
  REQUIRE(r.ok());
  CHECK(r.pulled == 0);  // nothing of A's late edits reaches B
  CHECK(Held(b1, v) == "3/3/3");

  // Coverage follows the village: B has V's 3 households (3 visited), A keeps V2's one.
  Reply coverage = console.Get("/console/coverage", session);
  REQUIRE(coverage.status == 200);
  CHECK(CoverageRow(coverage.body, b) == std::vector<std::string>{"3", "3", "6", "3"});
  CHECK(CoverageRow(coverage.body, a) == std::vector<std::string>{"1", "0", "0", "0"});
  (void)rng;
}

}  // namespace gocua::console_test
