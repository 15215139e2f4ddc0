#include "storage/io/export.h"

#include <doctest/doctest.h>

#include "storage/io/csv.h"
#include "storage/device/households.h"
#include "storage/core/record_store.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::kTestNowMs;
using test::OpenOrDie;
using test::TempDir;

// Writes records with fixed ids straight through the record layer, in the given order.
void WriteAll(Database& db, const std::vector<std::pair<std::string, json>>& records) {
  Database::Impl& d = db.impl();
  REQUIRE(d.Transact([&]() -> Status {
             for (const auto& [key, fields] : records) {
               const std::string type = key.substr(0, key.find(':'));
               auto w = WriteLocal(d, *FindRecordDef(type), key.substr(key.find(':') + 1), fields);
               if (!w) return w.error();
             }
             return Status::Ok();
           }).ok());
}

TEST_CASE("Export: two databases holding the same records export byte-identical JSON") {
  TempDir dir;
  ManualClock clock_a(kTestNowMs), clock_b(kTestNowMs + 123456);
  auto a = OpenOrDie(dir.File("a.db"), clock_a);
  auto b = OpenOrDie(dir.File("b.db"), clock_b);
  const std::string p = "01900000-0000-7000-8000-000000000001";
  const std::string c = "01900000-0000-7000-8000-000000000002";
  const std::string v = "01900000-0000-7000-8000-000000000003";
  const std::string h1 = "01900000-0000-7000-8000-000000000004";
  const std::string h2 = "01900000-0000-7000-8000-000000000005";
  std::vector<std::pair<std::string, json>> recs = {
      {"province:" + p, {{"name", "Quảng Ngãi"}}},
      {"commune:" + c, {{"province_id", p}, {"name", "Xã Tịnh Sơn"}}},
      {"village:" + v, {{"commune_id", c}, {"name", "Thôn 1"}}},
      {"household:" + h1, {{"village_id", v}, {"head_name", "Nguyễn Văn Đức"}, {"smartphones", 2}}},
      {"household:" + h2, {{"village_id", v}, {"head_name", "Bùi Thị Xuân"}}},
  };
  WriteAll(*a, recs);
  // B gets them in another order, one field at a time, the name spelled in NFD.
  std::vector<std::pair<std::string, json>> reordered = {
      {"province:" + p, {{"name", "Quảng Ngãi"}}},
      {"commune:" + c, {{"province_id", p}, {"name", "Xã Tịnh Sơn"}}},
      {"village:" + v, {{"commune_id", c}, {"name", "Thôn 1"}}},
      {"household:" + h2, {{"village_id", v}, {"head_name", "Bùi Thị Xuân"}}},
      {"household:" + h1, {{"smartphones", 2}}},
      {"household:" + h1, {{"village_id", v}}},
      {"household:" + h1,
       {{"head_name",
         "Nguye\xCC\x82\xCC\x83n Va\xCC\x86n \xC4\x90u\xCC\x9B\xCC\x81"
         "c"}}},
  };
  WriteAll(*b, reordered);
  auto ea = ExportCanonicalJson(*a);
  auto eb = ExportCanonicalJson(*b);
  REQUIRE(ea.ok());
  REQUIRE(eb.ok());
  CHECK(*ea == *eb);
  // It parses, and holds what we wrote.
  json parsed = json::parse(*ea);
  CHECK(parsed["records"]["household"].size() == 2);
  CHECK(parsed["records"]["household"][0]["head_name"] == "Nguyễn Văn Đức");
  CHECK(parsed["records"]["topic"].size() == 9);

  // A differing value shows.
  WriteAll(*b, {{"household:" + h2, {{"smartphones", 1}}}});
  CHECK(*ExportCanonicalJson(*b) != *ea);
}

TEST_CASE("Export: households CSV uses the importer's columns and Vietnamese headers") {
  test::CommuneFixture f;
  Household h;
  h.village_id = f.village.id;
  h.head_name = "Trịnh Văn \"Sáu\"";
  h.address = "Ngõ 5; số 7";
  h.members_count = 2;
  h.home_internet = true;
  REQUIRE(Households(*f.db).Add(h).ok());
  auto csv = ExportCsv(*f.db, "households");
  REQUIRE(csv.ok());
  auto table = ParseCsv(*csv);
  REQUIRE(table.ok());
  CHECK(table->header[0] == "Thôn");
  CHECK(table->header[2] == "Chủ hộ");
  REQUIRE(table->rows.size() == 1);
  CHECK(table->rows[0].cells[0] == "Thôn Đông");
  CHECK(table->rows[0].cells[1] == "Ngõ 5; số 7");
  CHECK(table->rows[0].cells[2] == "Trịnh Văn \"Sáu\"");
  CHECK(table->rows[0].cells[7] == "Có");
  CHECK(ExportCsv(*f.db, "nope").error().code() == ErrorCode::kInvalidInput);
}

TEST_CASE("Database: a transaction that fails after writing rolls back rows, log and seq") {
  test::CommuneFixture f;
  Database::Impl& d = f.db->impl();
  const std::string seq_before = d.GetMeta("last_seq");
  const std::string hlc_before = d.GetMeta("hlc");
  const std::string id = "01900000-0000-7000-8000-0000000000aa";
  Status st = d.Transact([&]() -> Status {
    auto w = WriteLocal(d, *FindRecordDef("household"), id,
                        {{"village_id", f.village.id}, {"head_name", "Sẽ biến mất"}});
    REQUIRE(w.ok());
    CHECK(*w == 2);
    return InvalidInput("something later failed");
  });
  CHECK_FALSE(st.ok());
  CHECK(d.GetMeta("last_seq") == seq_before);
  CHECK(d.GetMeta("hlc") == hlc_before);
  CHECK(Households(*f.db).Get(id).error().code() == ErrorCode::kNotFound);
  CHECK(Households(*f.db).Search("se bien mat")->empty());
  // The next write continues the seq without a gap.
  REQUIRE(Households(*f.db).Add({.village_id = f.village.id, .head_name = "Còn lại"}).ok());
  CHECK(std::stoll(d.GetMeta("last_seq")) == std::stoll(seq_before) + 8);
}

}  // namespace
}  // namespace gocua
