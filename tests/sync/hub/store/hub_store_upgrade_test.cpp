// A hub.db written by the hub as it was before the store seam (main 0b36743, hub schema 5 over
// the device's schema 9: fixtures/hub_schema5_sql.h) opens with this code, becomes hub schema
// 6 (its own: sqlite/hub_schema.h) and keeps every record, device, token, code, quarantined op
// and log row; its device goes on pushing from its acknowledged seq.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "sync/hub/store/sha256.h"
#include "sync/hub/store/sqlite/hub_schema.h"
#include "sync/hub/store/sqlite/sqlite_hub_store.h"
#include "tests/sync/hub/store/fixtures/hub_schema5_sql.h"
#include "tests/sync/hub/store/hub_store_fixture.h"

namespace gocua::hub_store_test {
namespace {
using hub_internal::Sha256Hex;

TEST_CASE(
    "HubStore: a hub.db of hub schema 5 upgrades to 6 and keeps its records, devices and log") {
  test::TempDir dir;
  ManualClock clock{kTestNowMs};
  const std::string file = dir.File("hub.db");
  {
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &raw) == SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(raw, test::kHubSchema5Sql, nullptr, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    sqlite3_close(raw);
    REQUIRE(rc == SQLITE_OK);
  }
  REQUIRE(Count(file, "SELECT count(*) FROM hub_log") == 11);  // runs of ops
  // Derived rows, as a hub before schema 3 kept them (schema 3 emptied the tables).
  Exec(file,
       "INSERT INTO visit_latest VALUES('h', 'v', '2024-05-02', ''); "
       "INSERT INTO topic_day(day, status, topic_id, result, n) "
       "VALUES('2024-05-02', 'pending', 'vneid', 'done', 1)");
  REQUIRE(Count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") > 0);
  auto opened = OpenSqliteHubStore(file, clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  std::unique_ptr<HubStore> hub = std::move(opened).value();

  // Hub schema 6: the hub's own objects and nothing of the device's derived data.
  CHECK(Count(file, "SELECT count(*) FROM meta WHERE key = 'hub_schema' AND value = '" +
                        std::to_string(hub_internal::kHubSchemaVersion) + "'") == 1);
  CHECK(Count(file, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") == 0);
  CHECK(Count(file,
              "SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%' OR name "
              "LIKE 'visit_latest%' OR name = 'topic_day' OR name LIKE '%_span'") == 0);
  // 21 objects of schema 6, the web console's four tables of schema 8, and the lean log of
  // schema 11 (hub_log a view over hub_runs; hub_ids; hub_runs_scope instead of hub_log_scope),
  // hub_fields of schema 12 (the binary log's field codes), and of schema 13 hub_words (the
  // binary log's words) and hub_scopes (hub_scope a view over it).
  CHECK(Count(file, "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'") == 30);
  CHECK(Count(file, "SELECT count(*) FROM hub_log") == 11);
  CHECK(Count(file, "SELECT count(*) FROM hub_codes") == 1);
  CHECK(Count(file, "SELECT count(*) FROM topics") == 9);

  auto communes = hub->Communes();
  REQUIRE(communes.ok());
  REQUIRE(communes->size() == 1);
  CHECK(communes->front().name == "Xã Tịnh Sơn");
  auto devices = hub->Devices();
  REQUIRE(devices.ok());
  REQUIRE(devices->size() == 1);
  CHECK(devices->front().device_id == test::kHubSchema5Device);
  CHECK(devices->front().acked_seq == 5);
  CHECK_FALSE(devices->front().revoked);
  auto device = hub->Authenticate(test::kHubSchema5Token);
  REQUIRE_MESSAGE(device.ok(), device.error().message());
  CHECK(device->commune_id == communes->front().id);
  auto quarantined = hub->Quarantined();
  REQUIRE(quarantined.ok());
  REQUIRE(quarantined->size() == 1);
  CHECK(quarantined->front().reason == "reference to an unknown village");
  CHECK(quarantined->front().op.seq == 5);

  // Every served op of the log, as the old hub served them: 9 of the hub's own, 4 pushed.
  auto page = hub->Pull(*device, "", 1000);
  REQUIRE(page.ok());
  CHECK_FALSE(page->has_more);
  CHECK(page->ops.size() == 13);
  CHECK(Count(file, "SELECT count(*) FROM hub_ops") == 14);
  CHECK(Count(file, "SELECT count(*) FROM households") == 1);
  const std::string exported = *hub->ExportCanonicalJson();
  CHECK(exported.find("Nguyễn Văn Đức") != std::string::npos);

  // The device goes on from seq 6; a gap is still a gap.
  const std::string village = "01a24910-10fe-7010-ae6a-c56e1de75793";
  RemoteOp op{test::kHubSchema5Device,
              7,
              "household",
              "0190f2c4-3b5a-7d6e-8f70-81a2b3c4d5e8",
              "village_id",
              village,
              {},
              MakeHlc(kTestNowMs, 1)};
  auto gap = hub->Push(*device, {op});
  REQUIRE(gap.ok());
  CHECK(gap->rejection.kind == PushRejection::Kind::kSeqGap);
  CHECK(gap->rejection.expected_seq == 6);
  op.seq = 6;
  auto pushed = hub->Push(*device, {op});
  REQUIRE_MESSAGE(pushed.ok(), pushed.error().message());
  REQUIRE(pushed->outcomes.size() == 1);
  CHECK_FALSE(pushed->outcomes[0].quarantined);
  CHECK(pushed->outcomes[0].outcome == MergeOutcome::kApplied);
  CHECK(pushed->acked_seq == 6);
  auto next = hub->Pull(*device, page->next_cursor, 1000);
  REQUIRE(next.ok());
  CHECK_FALSE(next->cursor_expired);
  CHECK(next->ops.empty());  // its own op: left out of an incremental pull
}

// A hub.db of hub schema 6 as that hub left it: made here by this code and taken back to 6
// (step 8's replaced_by and the role columns dropped, the hub secret put back), with a device
// enrolled the way hubs of schema 6 did it: token = sha256(secret | code hash | device id), its
// hash stored.
TEST_CASE("HubStore: a hub.db of hub schema 6 upgrades to 7: roles, no secret, old tokens work") {
  test::TempDir dir;
  ManualClock clock{kTestNowMs};
  const std::string file = dir.File("hub.db");
  std::string commune_id;
  {
    auto made = OpenSqliteHubStore(file, clock);
    REQUIRE(made.ok());
    commune_id = (*made)->CreateCommune("Quảng Ngãi", "Xã Tịnh Sơn")->id;
    REQUIRE((*made)->AddVillage(commune_id, "Thôn Đông").ok());
  }
  const std::string secret(64, 'a'), device = "0190f3b0-0000-7000-8000-000000000009";
  const std::string code_hash = Sha256Hex("ABCDEFGH");
  const std::string token = Sha256Hex(secret + "|" + code_hash + "|" + device);
  // A file of schema 6 had neither roles, nor the removal reason (8), nor the console (9), nor
  // replaced_by (10).
  Exec(file, ("DROP TABLE console_sessions; DROP TABLE console_audit; DROP TABLE console_admins; "
              "DROP TABLE console_settings; "
              "ALTER TABLE hub_devices DROP COLUMN replaced_by; ALTER TABLE hub_devices DROP "
              "COLUMN role; ALTER TABLE hub_codes DROP COLUMN role; "
              "ALTER TABLE households DROP COLUMN removed_reason; "
              "UPDATE meta SET value = '6' WHERE key = 'hub_schema'; "
              "INSERT INTO meta VALUES('hub_secret', '" +
              secret + "'); " + "INSERT INTO hub_codes VALUES('" + code_hash + "', '" + commune_id +
              "', " + std::to_string(kTestNowMs + 3600000) + ", '" + device + "'); " +
              "INSERT INTO hub_codes VALUES('" + Sha256Hex("JKLMNPQR") + "', '" + commune_id +
              "', " + std::to_string(kTestNowMs + 3600000) + ", ''); " +
              "INSERT INTO hub_devices(device_id, commune_id, name, token_hash, enrolled_at) "
              "VALUES('" +
              device + "', '" + commune_id + "', 'Laptop', '" + Sha256Hex(token) + "', 1)")
                 .c_str());

  auto opened = OpenSqliteHubStore(file, clock);
  REQUIRE_MESSAGE(opened.ok(), opened.error().message());
  std::unique_ptr<HubStore> hub = std::move(opened).value();
  CHECK(Count(file, "SELECT count(*) FROM meta WHERE key = 'hub_schema' AND value = '" +
                        std::to_string(hub_internal::kHubSchemaVersion) + "'") == 1);
  CHECK(Count(file, "SELECT count(*) FROM meta WHERE key = 'hub_secret'") == 0);
  // The old token still works; the device is a member's until an admin says otherwise.
  auto d = hub->Authenticate(token);
  REQUIRE_MESSAGE(d.ok(), d.error().message());
  CHECK(d->role == Role::kMember);
  REQUIRE(hub->SetDeviceRole(device, Role::kLeader).ok());
  CHECK(hub->Authenticate(token)->role == Role::kLeader);
  CHECK(hub->SetDeviceRole("0190f3b0-0000-7000-8000-00000000000f", Role::kLeader).code() ==
        ErrorCode::kNotFound);
  // An unused code of before works once, as a member's, with a random token.
  auto e = hub->Enroll("JKLM-NPQR", "0190f3b0-0000-7000-8000-00000000000a", "Laptop 2");
  REQUIRE_MESSAGE(e.ok(), e.error().message());
  CHECK(e->first.role == Role::kMember);
  CHECK(e->second != Sha256Hex(secret + "|" + Sha256Hex("JKLMNPQR") + "|" +
                               "0190f3b0-0000-7000-8000-00000000000a"));
  CHECK(hub->Authenticate(e->second).ok());
  CHECK_FALSE(hub->Enroll("JKLM-NPQR", "0190f3b0-0000-7000-8000-00000000000a", "Laptop 2").ok());
  // A leader's code makes a leader's device.
  auto code = hub->IssueEnrollmentCode(commune_id, 60000, Role::kLeader);
  REQUIRE(code.ok());
  auto l = hub->Enroll(*code, "0190f3b0-0000-7000-8000-00000000000b", "Laptop 3");
  REQUIRE(l.ok());
  CHECK(l->first.role == Role::kLeader);
  CHECK(hub->Authenticate(l->second)->role == Role::kLeader);
}

}  // namespace
}  // namespace gocua::hub_store_test
