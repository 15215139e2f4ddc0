// Households::AddAll, the bulk path of an import (derived tables once per batch, new rows not
// read back, values not checked twice), against the per-row path: the same random households
// added one Add at a time into a second database, with the triggers on. Both files must end
// with the same rows, stamps, change log, search index and derived tables, ids aside (each
// database mints its own): ids are compared by their order of insertion.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "storage/core/change_log.h"
#include "storage/core/sqlite_db.h"
#include "storage/device/households.h"
#include "tests/support/derived_history.h"
#include "tests/support/fixture.h"

namespace gocua {
namespace {

using test::Rows;

// The change log's household entries, as ChangeLog reads them.
std::vector<ChangeEntry> HouseholdEntries(Database& db) {
  auto all = ChangeLog(db).Pending(0, -1);
  REQUIRE_MESSAGE(all.ok(), all.error().message());
  std::vector<ChangeEntry> out;
  for (ChangeEntry& e : *all)
    if (e.record_type == "household") out.push_back(std::move(e));
  return out;
}

// What the household tables hold, ids replaced by "h<n>" (insertion order), the village by
// "V" and the device by "DEV", so two databases that minted different ids compare.
std::map<std::string, std::vector<std::string>> Tables(test::CommuneFixture& f) {
  std::vector<std::pair<std::string, std::string>> names;  // id → its stand-in
  for (const std::string& row : Rows(*f.db, "SELECT id FROM households ORDER BY rowid"))
    names.emplace_back(row.substr(0, row.size() - 1), "h" + std::to_string(names.size()));
  names.emplace_back(f.village.id, "V");
  names.emplace_back(f.db->device_id(), "DEV");
  auto plain = [&](std::string s) {
    for (const auto& [id, stand_in] : names)
      for (size_t at = s.find(id); at != std::string::npos; at = s.find(id, at))
        s.replace(at, id.size(), stand_in);
    return s;
  };
  const std::vector<std::pair<std::string, std::string>> tables = {
      {"households",
       "SELECT rowid, id, village_id, address, head_name, phone, members_count, "
       "working_age_count, smartphones, home_internet, deleted, stamps FROM households "
       "ORDER BY rowid"},
      {"search", "SELECT rowid, body, household_id FROM search ORDER BY rowid"},
      {"household_order", "SELECT * FROM household_order ORDER BY sort_key, household_id"},
      {"household_span", "SELECT * FROM household_span ORDER BY household_id"},
      {"visit_latest", "SELECT * FROM visit_latest ORDER BY household_id"},
      {"person_online", "SELECT * FROM person_online ORDER BY 1"},
      {"meta", "SELECT key, value FROM meta WHERE key IN ('hlc', 'last_seq') ORDER BY key"},
  };
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, sql] : tables) {
    std::vector<std::string> rows;
    for (std::string row : Rows(*f.db, sql)) rows.push_back(plain(std::move(row)));
    std::sort(rows.begin(), rows.end());  // ties in the SQL order fall on ids, which differ
    out[name] = std::move(rows);
  }
  // The change log as read (ChangeLog expands the stored runs), the household entries.
  std::vector<std::string> log;
  for (const ChangeEntry& e : HouseholdEntries(*f.db))
    log.push_back(plain(std::to_string(e.seq) + "|" + e.record_type + "|" + e.record_id + "|" +
                        e.field + "|" + e.value.dump() + "|" + std::to_string(e.base_hlc) + "|" +
                        e.base_device + "|" + std::to_string(e.hlc) + "|" + e.author + "|" +
                        std::to_string(e.seen_hlc) + "|" + e.seen_device + "|"));
  std::sort(log.begin(), log.end());
  out["outbox"] = std::move(log);
  return out;
}

Household RandomHousehold(std::mt19937& rng, const std::string& village_id) {
  static const char* kSurnames[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Đỗ", "Võ", "Bùi"};
  static const char* kGiven[] = {"Văn Đức", "Thị Mai", "Hữu Nghĩa", "Thị Ánh", "Quang"};
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  Household h;
  h.village_id = village_id;
  h.head_name =
      std::string(kSurnames[pick(7)]) + " " + kGiven[pick(5)] + " " + std::to_string(pick(1000));
  if (pick(4) == 0) h.head_name = "Nguye\xcc\x82\xcc\x83n " + h.head_name;  // NFD: made NFC
  h.address =
      pick(3) == 0 ? "" : "Số " + std::to_string(pick(200)) + ", ngõ " + std::to_string(pick(20));
  const int phone = static_cast<int>(pick(4));
  h.phone = phone == 0   ? ""
            : phone == 1 ? "0912 345 " + std::to_string(100 + pick(900))
                         : "0987.654." + std::to_string(100 + pick(900));
  h.members_count = static_cast<int>(pick(9));
  h.working_age_count = static_cast<int>(pick(static_cast<size_t>(h.members_count) + 1));
  h.smartphones = static_cast<int>(pick(5));
  h.home_internet = pick(2) == 1;
  return h;
}

TEST_CASE("Households: a bulk add leaves the tables that adding one at a time leaves") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    test::CommuneFixture bulk, one_by_one;
    std::mt19937 rng(seed);
    std::vector<Household> hs;
    for (int i = 0; i < 300; ++i) hs.push_back(RandomHousehold(rng, bulk.village.id));

    auto ids = Households(*bulk.db).AddAll(hs);
    REQUIRE_MESSAGE(ids.ok(), ids.error().message());
    REQUIRE(ids->size() == hs.size());
    for (Household h : hs) {
      h.village_id = one_by_one.village.id;
      auto added = Households(*one_by_one.db).Add(h);
      REQUIRE_MESSAGE(added.ok(), added.error().message());
    }
    const auto a = Tables(bulk), b = Tables(one_by_one);
    test::CheckSame(a, b, "seed " + std::to_string(seed));
    // Something was compared: every household, its eight logged fields and its search row.
    CHECK(a.at("households").size() == hs.size());
    CHECK(a.at("outbox").size() == 8 * hs.size());
    CHECK(a.at("search").size() == hs.size());
    CHECK(a.at("household_order").size() == hs.size());
  }
}

TEST_CASE("Households: a bulk add checks every household before writing any") {
  test::CommuneFixture f;
  std::mt19937 rng(7);
  std::vector<Household> hs;
  for (int i = 0; i < 20; ++i) hs.push_back(RandomHousehold(rng, f.village.id));
  hs[13].phone = "12ab";  // not a phone number
  auto ids = Households(*f.db).AddAll(hs);
  REQUIRE_FALSE(ids.ok());
  CHECK(ids.error().code() == ErrorCode::kInvalidInput);
  CHECK(Rows(*f.db, "SELECT count(*) FROM households") == std::vector<std::string>{"0|"});
  CHECK(HouseholdEntries(*f.db).empty());
}

}  // namespace
}  // namespace gocua
