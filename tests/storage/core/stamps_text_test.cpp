// storage/core/stamps_text.h: the stamps column read and written without a json object, checked
// against what ReadRow/PutRow did with nlohmann::json (parse, dump, FieldStamp).
#include "storage/core/stamps_text.h"

#include <doctest/doctest.h>

#include <random>

#include "storage/core/record_store.h"

namespace gocua {
namespace {

using json = nlohmann::json;

// What ReadRow made of the column: a JSON object, or no stamps.
json OldParse(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

void CheckSame(const RecordDef& def, const std::string& text) {
  CAPTURE(text);
  RowStamps s;
  ParseStamps(def, text, s);
  const json old = OldParse(text);
  CHECK(StampsJson(def, s) == old);
  CHECK(StampsText(def, s) == old.dump());
  StoredRow row;
  row.stamps = old;
  for (size_t i = 0; i <= def.fields.size(); ++i)
    CHECK(StampAt(def, s, i) == FieldStamp(row, FieldName(def, i)));
}

TEST_CASE("Stamps text: the common shapes read and write as json did") {
  const RecordDef& visit = *FindRecordDef("visit");
  for (const char* t : {R"({})",
                        R"({"notes":[1,"a"]})",
                        R"({"deleted":[0,""],"notes":[123456789012345678,"dev-1"]})",
                        R"({"status":[5,"x"],"notes":[7,"y"]})",    // unsorted: written sorted
                        R"({"notes":[1,"a"],"notes":[2,"b"]})",     // duplicate key: the last wins
                        R"({ "notes" : [1, "a"] })",                // spaces
                        R"({"notes":[01,"a"]})",                    // not JSON
                        R"({"notes":[-5,"a"]})",                    // negative
                        R"({"notes":[1234567890123456789,"a"]})",   // 19 digits
                        R"({"notes":[18446744073709551615,"a"]})",  // beyond int64
                        R"({"notes":[1.5,"a"]})",
                        R"({"notes":[1,2]})",
                        R"({"notes":[1,"a",3]})",
                        R"({"notes":"x"})",
                        R"({"unknown":[1,"a"],"notes":[2,"b"]})",
                        R"({"notes":[1,"a\"b"]})",
                        R"({"notes":[1,"Đông"]})",
                        R"({"notes":[1,"a\u0001"]})",
                        R"({"not\u0065s":[1,"a"]})",
                        R"([1,2])",
                        R"("x")",
                        "",
                        "{",
                        R"({"notes":[1,"a"]} x)",
                        R"({"notes":[1,"a"],})",
                        "null"})
    CheckSame(visit, t);
}

TEST_CASE("Stamps text: random stamps and garbage read and write as json did") {
  std::mt19937 rng(20261123);
  const auto& defs = RecordDefs();
  const std::vector<std::string> devices = {
      "", "dev-a", "0190a1b2-c3d4-7e5f-8a9b-00000000000b", "q\"uote", "Đà", "tab\t", "back\\slash"};
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  for (int round = 0; round < 3000; ++round) {
    const RecordDef& def = defs[pick(defs.size())];
    json stamps = json::object();
    const size_t n = pick(def.fields.size() + 3);
    for (size_t k = 0; k < n; ++k) {
      const size_t i = pick(def.fields.size() + 2);
      const std::string name = i <= def.fields.size() ? FieldName(def, i) : "stray";
      switch (pick(8)) {
        case 0:
          stamps[name] = json::array({-static_cast<int64_t>(rng()), "d"});
          break;
        case 1:
          stamps[name] = "not a stamp";
          break;
        case 2:
          stamps[name] = json::array({static_cast<uint64_t>(-1) - rng(), "d"});
          break;
        default:
          stamps[name] = json::array({static_cast<int64_t>(rng()) * (pick(2) ? 1 : 1000003),
                                      devices[pick(devices.size())]});
      }
    }
    std::string text = stamps.dump();
    if (pick(10) == 0 && !text.empty()) text.erase(pick(text.size()), 1);  // damaged
    CheckSame(def, text);
    // And after setting a field, as MergeBatch does: the same as json's assignment.
    RowStamps s;
    ParseStamps(def, text, s);
    json old = OldParse(text);
    const size_t i = pick(def.fields.size() + 1);
    const std::string device = devices[pick(devices.size())];
    s.Set(def, i, 42 + round, device);
    old[FieldName(def, i)] = json::array({42 + round, device});
    CHECK(StampsJson(def, s) == old);
    CHECK(StampsText(def, s) == old.dump());
  }
}

TEST_CASE("Stamps text: a device id that is not UTF-8 fails as dump() did") {
  const RecordDef& visit = *FindRecordDef("visit");
  RowStamps s;
  s.Reset(visit);
  s.Set(visit, 0, 1, std::string("\xff"));
  CHECK_THROWS_AS(StampsText(visit, s), json::type_error);
}

TEST_CASE("Stamps text: field indexes") {
  const RecordDef& person = *FindRecordDef("person");
  CHECK(FieldIndex(person, "household_id") == 0);
  CHECK(FieldIndex(person, "deleted") == person.fields.size());
  CHECK(FieldIndex(person, "nope") == kNoField);
  // RecordDef::Field compares byte by byte from the first: prefixes, extensions and the names
  // of fields that share a first byte or more are other names.
  CHECK(FieldIndex(person, "household") == kNoField);
  CHECK(FieldIndex(person, "household_idx") == kNoField);
  CHECK(FieldIndex(person, "skill_s") == kNoField);
  CHECK(FieldIndex(person, "") == kNoField);
  CHECK(FieldIndex(person, std::string_view("name\0", 5)) == kNoField);
  CHECK(FieldIndex(person, std::string_view("\0", 1)) == kNoField);
  for (const RecordDef& def : RecordDefs())
    for (size_t i = 0; i < def.fields.size(); ++i) {
      CHECK(FieldIndex(def, def.fields[i].name) == i);
      CHECK(def.Field(def.fields[i].name) == &def.fields[i]);
    }
  CHECK(std::string(FieldName(person, person.fields.size())) == "deleted");
  for (const RecordDef& def : RecordDefs()) CHECK(def.fields.size() < 63);  // bit masks
}

}  // namespace
}  // namespace gocua
