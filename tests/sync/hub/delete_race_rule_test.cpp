// FindDeleteRace (storage/core/merge.h), the rule the hub applies before merging each op: which
// delete/edit pairs were made without each other's knowledge. The real-hub cases are in
// delete_race_test.cpp.
#include <doctest/doctest.h>

#include "storage/core/merge.h"

namespace gocua {
namespace {

const std::string kA = "0190a1b2-c3d4-7e5f-8a9b-00000000000a";  // deletes
const std::string kB = "0190a1b2-c3d4-7e5f-8a9b-00000000000b";  // edits

nlohmann::json Stamps(std::initializer_list<std::pair<const char*, Stamp>> fields) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, s] : fields) j[name] = nlohmann::json::array({s.hlc, s.device});
  return j;
}

RemoteOp Op(const std::string& device, const char* field, nlohmann::json value, int64_t hlc) {
  RemoteOp op;
  op.origin_device = device;
  op.seq = 1;
  op.record_type = "visit";
  op.record_id = "v1";
  op.field = field;
  op.value = std::move(value);
  op.hlc = hlc;
  return op;
}

TEST_CASE("Merge: an edit of a record held as deleted by another device races the delete") {
  const auto stamps = Stamps({{"notes", {100, kA}}, {"deleted", {200, kA}}});
  auto race = FindDeleteRace(stamps, 1, Op(kB, "notes", "sửa", 150));
  REQUIRE(race);
  CHECK(race->edit_incoming);
  CHECK(race->delete_stamp == Stamp{200, kA});
  CHECK(race->edit_stamp == Stamp{150, kB});
  // The deleter's own later edit, an undelete, or a record that is alive: no race.
  CHECK_FALSE(FindDeleteRace(stamps, 1, Op(kA, "notes", "x", 300)));
  CHECK_FALSE(FindDeleteRace(stamps, 1, Op(kB, "deleted", 0, 300)));
  CHECK_FALSE(FindDeleteRace(stamps, 0, Op(kB, "notes", "x", 300)));
}

TEST_CASE("Merge: a delete races only the edits stamped after what its device had seen") {
  const auto stamps = Stamps({{"notes", {150, kB}}, {"minutes", {90, kA}}});
  RemoteOp del = Op(kA, "deleted", 1, 300);
  del.seen = {100, kA};  // A held nothing of B's when deleting
  auto race = FindDeleteRace(stamps, 0, del);
  REQUIRE(race);
  CHECK_FALSE(race->edit_incoming);
  CHECK(race->edit_stamp == Stamp{150, kB});
  CHECK(race->delete_stamp == Stamp{300, kA});
  del.seen = {150, kB};  // A had pulled B's edit: a deliberate delete
  CHECK_FALSE(FindDeleteRace(stamps, 0, del));
  // Without `seen` (an older client) the delete's own stamp bounds what it could have seen:
  // an edit stamped before it is not flagged, one stamped after it is.
  del.seen = {};
  CHECK_FALSE(FindDeleteRace(stamps, 0, del));
  del.hlc = 120;
  CHECK(FindDeleteRace(stamps, 0, del));
  // A record already deleted, or an undelete, is not a race.
  CHECK_FALSE(FindDeleteRace(stamps, 1, del));
  CHECK_FALSE(FindDeleteRace(stamps, 0, Op(kA, "deleted", 0, 300)));
}

}  // namespace
}  // namespace gocua
