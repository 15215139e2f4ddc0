// The visit's field list is written once (storage/core/visit_values.h): every field of the
// schema's "visit" record is in VisitValues, and a visit survives the round trip.
#include "storage/core/visit_values.h"

#include <doctest/doctest.h>

#include "storage/core/schema.h"

namespace gocua {
namespace {

TEST_CASE("Visit values: every schema field, and nothing else, round trip") {
  Visit v;
  v.id = "v1";
  v.household_id = "h1";
  v.visited_on = "2026-03-15";
  v.minutes = 45;
  v.members = {"m1", "m2"};
  v.persons = {"p1"};
  v.topics = {{"vneid", "done"}, {"dvc", "guided"}};
  v.notes = "ghi chú";
  v.followup_on = "2026-04-01";
  v.status = kStatusApproved;
  v.created_by = "m1";
  const nlohmann::json values = VisitValues(v);
  const RecordDef* def = FindRecordDef("visit");
  REQUIRE(def);
  CHECK(values.size() == def->fields.size());
  for (const FieldDef& f : def->fields) {
    CAPTURE(std::string(f.name));
    CHECK(values.contains(f.name));
  }
  const Visit back = VisitFromValues("v1", values);
  CHECK(VisitValues(back) == values);
  CHECK(back.id == "v1");
  CHECK(back.topics == v.topics);
}

}  // namespace
}  // namespace gocua
