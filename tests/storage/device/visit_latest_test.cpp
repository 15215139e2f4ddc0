// Migration v3's table of each household's latest visit (storage/core/migrations.cpp), through the
// overdue follow-ups it feeds (storage/dashboard/indicators.h): kept by triggers whoever writes the visit.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "storage/device/conflicts.h"
#include "storage/core/ids.h"
#include "storage/dashboard/indicators.h"
#include "storage/core/merge.h"
#include "storage/device/replica.h"
#include "tests/storage/core/v12_derived.h"
#include "tests/support/leader_fixture.h"

namespace gocua {
namespace {

int64_t Overdue(Database& db) {
  auto d = ComputeDashboard(db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
  REQUIRE_MESSAGE(d.ok(), d.error().message());
  return d->overdue_followups;
}

// A pulled op from another device on `field` of visit `id`.
RemoteOp Pulled(int64_t seq, const std::string& id, const std::string& field,
                const nlohmann::json& value) {
  RemoteOp op;
  op.origin_device = "01a00000-0000-7000-8000-0000000000aa";
  op.seq = seq;
  op.record_type = "visit";
  op.record_id = id;
  op.field = field;
  op.value = value;
  op.hlc = MakeHlc(test::kTestNowMs + 3600000, static_cast<int>(seq));
  return op;
}

TEST_CASE("Migrations: v3 latest visit per household follows pulled edits and deletes") {
  test::LeaderFixture f;
  CHECK(Overdue(*f.db) == 2);  // V3 (H2) and V7 (H3)
  // A household deleted from the register has no follow-up to make; restored, it has again.
  REQUIRE(Households(*f.db).Remove(f.h["H2"].id).ok());
  CHECK(Overdue(*f.db) == 1);
  auto d0 = ComputeDashboard(*f.db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
  CHECK(d0->commune.households_five_skills == 1);  // P3's household left the register
  Status restored = Replica(*f.db).ApplyPulled({[&] {
                                                 RemoteOp op;
                                                 op.origin_device =
                                                     "01a00000-0000-7000-8000-0000000000cc";
                                                 op.seq = 1;
                                                 op.record_type = "household";
                                                 op.record_id = f.h["H2"].id;
                                                 op.field = "deleted";
                                                 op.value = 0;
                                                 op.hlc = MakeHlc(test::kTestNowMs + 3600000, 0);
                                                 return op;
                                               }()},
                                               "c0");
  REQUIRE(restored.ok());
  CHECK(Overdue(*f.db) == 2);
  CHECK(ComputeDashboard(*f.db, {"2026-03-01", "2026-03-31", "2026-03-15", false})
            ->commune.households_five_skills == 2);
  Replica replica(*f.db);
  // Another device moves V3's follow-up to 03-20: no longer overdue.
  REQUIRE(replica.ApplyPulled({Pulled(1, f.v["V3"].id, "followup_on", "2026-03-20")}, "c1").ok());
  CHECK(Overdue(*f.db) == 1);
  // The other device deletes V7: H3's latest is V4 again, which has no follow-up.
  REQUIRE(replica.ApplyPulled({Pulled(2, f.v["V7"].id, "deleted", 1)}, "c2").ok());
  CHECK(Overdue(*f.db) == 0);
  // ... and restores it.
  REQUIRE(replica.ApplyPulled({Pulled(3, f.v["V7"].id, "deleted", 0)}, "c3").ok());
  CHECK(Overdue(*f.db) == 1);
  // A visit moved to another household: V7 to H4, which then has an overdue follow-up, and H3's
  // latest is V4 again.
  REQUIRE(replica.ApplyPulled({Pulled(4, f.v["V7"].id, "household_id", f.h["H4"].id)}, "c4").ok());
  CHECK(Overdue(*f.db) == 1);
  REQUIRE(replica.ApplyPulled({Pulled(5, f.v["V7"].id, "visited_on", "2026-03-01")}, "c5").ok());
  CHECK(Overdue(*f.db) == 1);  // still H4's only visit
  // A new visit pulled field by field, later than V4: H3's latest, follow-up overdue.
  const std::string fresh = "01a00000-0000-7000-8000-0000000000bb";
  REQUIRE(replica
              .ApplyPulled({Pulled(6, fresh, "household_id", f.h["H3"].id),
                            Pulled(7, fresh, "visited_on", "2026-03-13"),
                            Pulled(8, fresh, "followup_on", "2026-03-14"),
                            Pulled(9, fresh, "members", nlohmann::json::array({f.binh.id})),
                            Pulled(10, fresh, "topics", {{"dvc", "guided"}}),
                            Pulled(11, fresh, "status", "pending")},
                           "c6")
              .ok());
  auto d = ComputeDashboard(*f.db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
  CHECK(d->overdue_followups == 2);
  CHECK(d->commune.working_age_online == 2);
  CHECK(d->commune.households_five_skills == 2);
  for (const MemberIndicators& m : d->members)
    if (m.member_id == f.binh.id) CHECK(m.overdue_followups == 2);  // V7 and the new one
  // H3 moves to Đông (a pulled edit): P4, proficient and of working age, moves with it.
  RemoteOp move = Pulled(12, f.h["H3"].id, "village_id", f.village.id);
  move.record_type = "household";
  REQUIRE(replica.ApplyPulled({move}, "c7").ok());
  d = ComputeDashboard(*f.db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
  for (const VillageIndicators& r : d->villages)
    CHECK(r.working_age_online == (r.village_id == f.village.id ? 2 : 0));
}

TEST_CASE("Migrations: v3 onwards fill their tables and columns in a database written before them") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  const std::string path = dir.File("old.db");
  {
    test::LeaderFixture f;
    // Copy the fixture's database, then take it back to schema v2 by hand.
    f.db.reset();
    std::filesystem::copy_file(f.dir.File("gocua.db"), path);
  }
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &raw) == SQLITE_OK);
  test::BackToV12Derived(raw);  // the derived visit tables as before v13
  const char* back_to_v2 =
      "DROP TRIGGER span_visit_insert; DROP TRIGGER span_visit_update; "
      "DROP TRIGGER span_visit_delete; DROP TRIGGER span_visit_persons_insert; "
      "DROP TRIGGER span_visit_persons_delete; DROP TRIGGER span_household_insert; "
      "DROP TRIGGER span_household_update; DROP TRIGGER span_household_delete; "
      "DROP TABLE household_span; DROP TABLE person_span; "
      "DROP TRIGGER topic_day_insert; DROP TRIGGER topic_day_delete; DROP TRIGGER topic_day_visit; "
      "DROP TRIGGER member_day_insert; DROP TRIGGER member_day_delete; "
      "DROP TRIGGER member_day_visit; DROP TABLE topic_day; DROP TABLE member_day; "
      "DROP TRIGGER households_latest_update; DROP TRIGGER households_latest_insert; "
      "DROP TABLE visit_latest_members; DROP INDEX visits_review; DROP TABLE person_online; "
      "DROP TRIGGER person_online_insert; DROP TRIGGER person_online_update; "
      "DROP TRIGGER person_online_household_insert; DROP TRIGGER person_online_household_update; "
      "DROP TRIGGER visit_latest_insert; DROP TRIGGER visit_latest_update; "
      "DROP TRIGGER visit_latest_delete; DROP TABLE visit_latest; DROP INDEX households_by_id; "
      "DROP INDEX households_register; DROP INDEX visits_period; "
      "ALTER TABLE conflicts DROP COLUMN value_base; ALTER TABLE conflicts DROP COLUMN author_a; "
      "ALTER TABLE conflicts DROP COLUMN author_b; DROP TABLE household_order; "
      "PRAGMA user_version = 2;";
  CHECK(sqlite3_exec(raw, back_to_v2, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  auto db = test::OpenOrDie(path, clock);
  CHECK(db->SchemaVersion() == kSchemaVersion);
  CHECK(Conflicts(*db).ListOpen().ok());  // reads v6's columns
  auto d = ComputeDashboard(*db, {"2026-03-01", "2026-03-31", "2026-03-15", false});
  REQUIRE(d.ok());
  CHECK(d->overdue_followups == 2);
  CHECK(d->commune.working_age_online == 2);
  CHECK(d->commune.households_five_skills == 2);
  for (const MemberIndicators& m : d->members) {
    CHECK(m.overdue_followups == (m.name == "Phạm Văn Bình" ? 2 : 0));
    CHECK(m.visits_period == (m.name == "Trần Thị Mai" ? 3 : m.name == "Phạm Văn Bình" ? 2 : 0));
  }
  for (const TopicIndicators& t : d->topics)
    if (t.topic_id == "dvc") CHECK(t.done == 3);
}

}  // namespace
}  // namespace gocua
