// ResetDeviceIdentity (storage/device/device_reset.h): a new device id, the unsent change log
// renumbered from 1 and re-stamped as the new device's, acknowledged stamps left alone, the
// token forgotten.
#include "storage/device/device_reset.h"

#include <doctest/doctest.h>

#include "storage/core/change_log.h"
#include "storage/core/record_store.h"
#include "storage/core/schema.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

Stamp StampOf(Database& db, const char* type, const std::string& id, const std::string& field) {
  auto row = ReadRow(db.impl(), *FindRecordDef(type), id);
  REQUIRE(row.ok());
  return FieldStamp(*row, field);
}

TEST_CASE(
    "Device reset: a new id, unsent changes renumbered from 1 and re-stamped, the rest kept") {
  test::CommuneFixture f;
  ChangeLog log(*f.db);
  auto acked = log.LastSeq();
  REQUIRE(acked.ok());
  REQUIRE(*acked > 0);
  REQUIRE(log.Acknowledge(*acked).ok());  // the commune's setup reached the hub
  REQUIRE(Replica(*f.db)
              .SaveEnrollment("http://127.0.0.1:1", "tok-1", Places(*f.db).LocalCommune()->id)
              .ok());
  const std::string old_id = f.db->device_id();
  const Stamp village_stamp = StampOf(*f.db, "village", f.village.id, "name");
  REQUIRE(village_stamp.device == old_id);

  Household h;
  h.village_id = f.village.id;
  h.head_name = "Nguyễn Văn Đức";
  auto added = Households(*f.db).Add(h);
  REQUIRE(added.ok());
  Household edited = *added;
  edited.head_name = "Nguyễn Văn Đức Anh";  // its base is the unsent add
  REQUIRE(Households(*f.db).Update(edited).ok());
  auto before = log.Pending(0, 1000);
  REQUIRE(before.ok());
  REQUIRE(before->size() > 2);

  auto reset = ResetDeviceIdentity(*f.db);
  REQUIRE_MESSAGE(reset.ok(), reset.error().message());
  const std::string new_id = reset->new_device_id;
  CHECK(reset->old_device_id == old_id);
  CHECK(new_id != old_id);
  CHECK(new_id.size() == 36);
  CHECK(f.db->device_id() == new_id);
  CHECK(reset->kept_changes == static_cast<int64_t>(before->size()));

  auto after = log.Pending(0, 1000);
  REQUIRE(after.ok());
  REQUIRE(after->size() == before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    const ChangeEntry& a = (*after)[i];
    const ChangeEntry& b = (*before)[i];
    CHECK(a.seq == static_cast<int64_t>(i) + 1);  // dense from 1, same order
    CHECK(a.record_id == b.record_id);
    CHECK(a.field == b.field);
    CHECK(a.hlc == b.hlc);
    CHECK(a.value == b.value);
  }
  // The edit's base named the unsent add: it follows it to the new id.
  const ChangeEntry& edit = after->back();
  CHECK(edit.field == "head_name");
  CHECK(edit.base_device == new_id);
  CHECK(StampOf(*f.db, "household", added->id, "head_name") == Stamp{edit.hlc, new_id});
  // What the hub acknowledged keeps the id the hub knows.
  CHECK(StampOf(*f.db, "village", f.village.id, "name") == village_stamp);
  auto last = log.LastSeq();
  REQUIRE(last.ok());
  CHECK(*last == reset->kept_changes);
  auto state = Replica(*f.db).State();
  REQUIRE(state.ok());
  CHECK(state->token.empty());
  CHECK(state->hub_url == "http://127.0.0.1:1");

  // The next change follows on, and the new id is what the file says when opened again.
  Household other;
  other.village_id = f.village.id;
  other.head_name = "Phạm Thị Mai";
  REQUIRE(Households(*f.db).Add(other).ok());
  auto pending = log.Pending(reset->kept_changes, 1000);
  REQUIRE(pending.ok());
  REQUIRE_FALSE(pending->empty());
  CHECK(pending->front().seq == reset->kept_changes + 1);
  const std::string path = f.dir.File("gocua.db");
  f.db.reset();
  auto again = test::OpenOrDie(path, f.clock);
  CHECK(again->device_id() == new_id);
}

}  // namespace
}  // namespace gocua
