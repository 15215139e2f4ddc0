// The binary stamps column (storage/core/stamps_text.h, StampsColumn; schema v10): whatever
// ParseStamps holds, written with StampsColumn and read back, is the same stamps; a damaged
// column reads as no stamps; a field appended to a RecordDef does not move another's stamp.
#include <doctest/doctest.h>

#include <random>

#include "storage/core/record_store.h"
#include "storage/core/stamps_text.h"

namespace gocua {
namespace {

using json = nlohmann::json;

// Reads `text` (either form), writes the column, reads it back: the same stamps.
void CheckRoundTrip(const RecordDef& def, const std::string& text) {
  CAPTURE(text);
  RowStamps s, back;
  ParseStamps(def, text, s);
  const std::string column = StampsColumn(def, s);
  ParseStamps(def, column, back);
  CHECK(StampsJson(def, back) == StampsJson(def, s));
  for (size_t i = 0; i <= def.fields.size(); ++i)
    CHECK(StampAt(def, back, i) == StampAt(def, s, i));
  // Binary unless entries of another shape must be kept (then the JSON text, as before).
  const bool other = s.other.is_object() && !s.other.empty();
  CHECK((static_cast<unsigned char>(column.at(0)) == kBinaryStamps) == !other);
}

TEST_CASE("Stamps column: the common shapes round-trip through the binary form") {
  const RecordDef& visit = *FindRecordDef("visit");
  for (const char* t : {R"({})", R"({"notes":[1,"a"]})",
                        R"({"deleted":[0,""],"notes":[123456789012345678,"dev-1"]})",
                        R"({"status":[5,"x"],"notes":[7,"y"]})", R"({"notes":[-5,"a"]})",
                        R"({"notes":[1234567890123456789,"a"],"minutes":[-9,"b"]})",
                        R"({"notes":[18446744073709551615,"a"]})", R"({"notes":[1.5,"a"]})",
                        R"({"unknown":[1,"a"],"notes":[2,"b"]})", R"({"notes":[1,"Đông"]})",
                        R"({"notes":[1,"a\u0001"]})", "", "{", "null"})
    CheckRoundTrip(visit, t);
}

TEST_CASE("Stamps column: random stamps round-trip, also after a field is set") {
  std::mt19937 rng(20261206);
  const auto& defs = RecordDefs();
  std::vector<std::string> devices = {"", "dev-a", "0190a1b2-c3d4-7e5f-8a9b-00000000000b", "Đà",
                                      std::string("\xff\x01", 2)};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 3000; ++round) {
    const RecordDef& def = defs[pick(defs.size())];
    RowStamps s;
    s.Reset(def);
    const size_t n = pick(def.fields.size() + 2);
    for (size_t k = 0; k < n; ++k) {
      int64_t hlc = static_cast<int64_t>(static_cast<uint64_t>(rng()) << pick(40));
      if (pick(5) == 0) hlc = -hlc;
      if (pick(20) == 0) hlc = pick(2) ? INT64_MAX : INT64_MIN;
      s.Set(def, pick(def.fields.size() + 1), hlc, devices[pick(devices.size())]);
    }
    RowStamps back;
    ParseStamps(def, StampsColumn(def, s), back);
    CHECK(back.present == s.present);
    for (size_t i = 0; i <= def.fields.size(); ++i)
      CHECK(StampAt(def, back, i) == StampAt(def, s, i));
  }
}

TEST_CASE("Stamps column: a damaged binary column reads as no stamps") {
  const RecordDef& visit = *FindRecordDef("visit");
  RowStamps s;
  s.Reset(visit);
  for (size_t i = 0; i <= visit.fields.size(); ++i)
    s.Set(visit, i, 1700000000000LL << 16 | static_cast<int64_t>(i),
          "dev-" + std::to_string(i % 3));
  const std::string column = StampsColumn(visit, s);
  for (size_t cut = 1; cut < column.size(); ++cut) {  // every truncation
    RowStamps back;
    ParseStamps(visit, column.substr(0, cut), back);
    CHECK(back.present == 0);
    CHECK(StampsJson(visit, back) == json::object());
  }
  RowStamps back;
  ParseStamps(visit, column + "x", back);  // trailing bytes
  CHECK(back.present == 0);
  ParseStamps(visit, column, back);
  CHECK(back.present == s.present);
}

TEST_CASE("Stamps column: one device's visit takes a tenth of its JSON") {
  const RecordDef& visit = *FindRecordDef("visit");
  RowStamps s;
  s.Reset(visit);
  const int64_t hlc = 1733450000000LL << 16;
  for (size_t i = 0; i <= visit.fields.size(); ++i)
    s.Set(visit, i, hlc + static_cast<int64_t>(i), "0190a1b2-c3d4-7e5f-8a9b-00000000000b");
  const size_t binary = StampsColumn(visit, s).size(), text = StampsText(visit, s).size();
  CAPTURE(binary);
  CAPTURE(text);
  CHECK(binary <= 70);
  CHECK(text >= 600);
}

TEST_CASE("Stamps column: a field appended to a record type moves no stamp") {
  const RecordDef& household = *FindRecordDef("household");
  RecordDef longer = household;
  longer.fields.push_back({"removed_reason", FieldKind::kText, 200});
  RowStamps s;
  s.Reset(household);
  s.Set(household, 0, 10, "a");                        // village_id
  s.Set(household, household.fields.size(), 20, "b");  // deleted
  RowStamps back;
  ParseStamps(longer, StampsColumn(household, s), back);
  CHECK(StampAt(longer, back, 0) == Stamp{10, "a"});
  CHECK(StampAt(longer, back, longer.fields.size()) == Stamp{20, "b"});  // still "deleted"
  CHECK(StampAt(longer, back, household.fields.size()) == Stamp{});      // the new field: none
}

}  // namespace
}  // namespace gocua
