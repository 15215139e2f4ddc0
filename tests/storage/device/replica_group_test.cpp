// Replica::ApplyPulled over a group of pages (storage/device/replica.h): consecutive pulled pages
// applied in one transaction with the last one's cursor must leave exactly what applying them
// page by page leaves, and a group that fails anywhere must leave nothing of any of its pages
// and the cursor where it was.
#include <doctest/doctest.h>

#include <random>
#include <span>
#include <string>
#include <vector>

#include "storage/io/export.h"
#include "storage/device/replica.h"
#include "tests/support/derived_history.h"

namespace gocua {
namespace {

using nlohmann::json;
using test::CheckSame;
using test::History;
using test::kRemote;
using test::Snapshot;

std::string Export(Database& db) {
  auto e = ExportCanonicalJson(db);
  REQUIRE_MESSAGE(e.ok(), e.error().message());
  return *e;
}

std::string Cursor(Database& db) { return Replica(db).State()->cursor; }

// A random history cut into pages of 1 to `max_groups` of its groups (a group never straddles
// two pages: see History).
std::vector<std::vector<RemoteOp>> Pages(uint32_t seed, int steps, int growth, int max_groups) {
  const auto groups = History(seed).Generate(steps, growth);
  std::mt19937 rng(seed);
  std::vector<std::vector<RemoteOp>> pages;
  for (size_t next = 0; next < groups.size();) {
    std::vector<RemoteOp>& page = pages.emplace_back();
    const size_t n = std::uniform_int_distribution<size_t>(1, max_groups)(rng);
    for (size_t i = 0; i < n && next < groups.size(); ++i, ++next)
      page.insert(page.end(), groups[next].begin(), groups[next].end());
  }
  return pages;
}

std::vector<CheckedPage> Checked(const std::vector<std::vector<RemoteOp>>& pages, size_t from,
                                 size_t to) {
  std::vector<CheckedPage> out;
  for (size_t i = from; i < to; ++i) out.push_back(CheckPulled(pages[i]));
  return out;
}

RemoteOp Bad(const std::string& device, int64_t seq, const std::string& id) {
  RemoteOp op;
  op.origin_device = device;
  op.seq = seq;
  op.record_type = "visit";
  op.record_id = id;
  op.field = "bogus";  // not in this build's schema
  op.value = 1;
  op.hlc = MakeHlc(test::kTestNowMs + 10'000'000, 0);
  return op;
}

TEST_CASE("Replica: a group of pages leaves what its pages applied one by one leave") {
  for (uint32_t seed : {11u, 12u, 13u}) {
    CAPTURE(seed);
    test::TempDir dir;
    ManualClock clock(test::kTestNowMs);
    auto by_page = test::OpenOrDie(dir.File("by_page.db"), clock);
    auto grouped = test::OpenOrDie(dir.File("grouped.db"), clock);
    const auto pages = Pages(seed, 400, 300, 30);
    REQUIRE(pages.size() > 30);
    std::mt19937 rng(seed * 7);
    int groups = 0;
    for (size_t next = 0; next < pages.size(); ++groups) {
      // 1 to 12 pages; now and then all that is left.
      size_t n = std::uniform_int_distribution<size_t>(1, 12)(rng);
      if (groups % 7 == 6) n = pages.size();
      const size_t end = std::min(pages.size(), next + n);
      const std::string cursor = "c" + std::to_string(end);
      for (size_t i = next; i < end; ++i) {
        Status st = Replica(*by_page).ApplyPulled(pages[i], "c" + std::to_string(i + 1));
        REQUIRE_MESSAGE(st.ok(), st.message());
      }
      std::vector<CheckedPage> group = Checked(pages, next, end);
      Status st = Replica(*grouped).ApplyPulled(std::span<CheckedPage>(group), cursor);
      REQUIRE_MESSAGE(st.ok(), st.message());
      CHECK(Cursor(*grouped) == cursor);
      CHECK(Cursor(*by_page) == cursor);
      CheckSame(Snapshot(*grouped), Snapshot(*by_page), "group " + std::to_string(groups));
      next = end;
    }
    CHECK(groups > 5);
    CHECK(Export(*grouped) == Export(*by_page));
  }
}

TEST_CASE("Replica: a group that fails in any page applies nothing of it and keeps the cursor") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  auto db = test::OpenOrDie(dir.File("gocua.db"), clock);
  const std::string me = db->device_id();
  auto pages = Pages(5, 200, 100, 10);
  REQUIRE(pages.size() > 12);
  for (size_t i = 0; i < 4; ++i)
    REQUIRE(Replica(*db).ApplyPulled(pages[i], "c" + std::to_string(i + 1)).ok());
  const auto before = Snapshot(*db);
  const std::string export_before = Export(*db);
  REQUIRE(Cursor(*db) == "c4");

  // Pages 5–9 as one group. Page 5 holds a bad op of this device's own (skipped, as always);
  // page 7 a bad op of another device in its middle, page 9 another: the first one fails
  // the group.
  std::vector<CheckedPage> group = Checked(pages, 4, 9);
  auto bad_in = [&](CheckedPage& page, RemoteOp bad) {
    const size_t at = page.ops.size() / 2;
    page.ops.insert(page.ops.begin() + static_cast<std::ptrdiff_t>(at), std::move(bad));
    CheckedPage again = CheckPulled(page.ops);
    REQUIRE(again.bad.size() == 1);
    CHECK(again.bad[0].first == at);
    page = std::move(again);
  };
  bad_in(group[0], Bad(me, 1, "v-own"));
  bad_in(group[2], Bad(kRemote, 900001, "v-x"));
  bad_in(group[4], Bad(kRemote, 900002, "v-x"));
  // The other pages are whole: without the bad ones, the group would apply.
  Status st = Replica(*db).ApplyPulled(std::span<CheckedPage>(group), "c9");
  REQUIRE_FALSE(st.ok());
  CHECK(st.code() == ErrorCode::kCorrupt);
  CHECK(st.message().find("cannot apply op " + std::string(kRemote) + "/900001: ") !=
        std::string::npos);
  CheckSame(Snapshot(*db), before, "after the failed group");
  CHECK(Export(*db) == export_before);
  CHECK(Cursor(*db) == "c4");

  // A group whose last page fails at COMMIT (a visit of a household that does not exist):
  // nothing either.
  group = Checked(pages, 4, 9);
  RemoteOp orphan = Bad(kRemote, 900003, "v-orphan");
  orphan.field = "household_id";
  orphan.value = "no-such-household";
  group.back().ops.push_back(orphan);
  st = Replica(*db).ApplyPulled(std::span<CheckedPage>(group), "c9");
  REQUIRE_FALSE(st.ok());
  CheckSame(Snapshot(*db), before, "after the group that failed at commit");
  CHECK(Export(*db) == export_before);
  CHECK(Cursor(*db) == "c4");

  // The same pages, whole, apply from the saved cursor on.
  group = Checked(pages, 4, 9);
  st = Replica(*db).ApplyPulled(std::span<CheckedPage>(group), "c9");
  REQUIRE_MESSAGE(st.ok(), st.message());
  CHECK(Cursor(*db) == "c9");
  CHECK(Export(*db) != export_before);
}

// A group's transaction runs with synchronous NORMAL, statement journals in memory and a
// higher checkpoint threshold (storage/device/replica.cpp, PullSettings); every other write on the
// connection finds SQLite's settings as Database::Open left them.
TEST_CASE("Replica: a group's connection settings are put back after it, applied or failed") {
  test::TempDir dir;
  ManualClock clock(test::kTestNowMs);
  auto db = test::OpenOrDie(dir.File("gocua.db"), clock);
  auto settings = [&] {
    return test::Rows(*db, "PRAGMA synchronous")[0] + test::Rows(*db, "PRAGMA temp_store")[0] +
           test::Rows(*db, "PRAGMA wal_autocheckpoint")[0];
  };
  const std::string opened = settings();
  CHECK(opened == "2|0|1000|");  // FULL, the default temp store, SQLite's default threshold
  const auto pages = Pages(8, 100, 50, 10);
  std::vector<CheckedPage> group = Checked(pages, 0, 3);
  REQUIRE(Replica(*db).ApplyPulled(std::span<CheckedPage>(group), "c3").ok());
  CHECK(settings() == opened);
  group = Checked(pages, 3, 6);
  group[1].ops.push_back(Bad(kRemote, 900001, "v-x"));
  group[1].bad.emplace_back(group[1].ops.size() - 1, InvalidInput("bad"));
  REQUIRE_FALSE(Replica(*db).ApplyPulled(std::span<CheckedPage>(group), "c6").ok());
  CHECK(settings() == opened);
  CHECK(Cursor(*db) == "c3");
}

}  // namespace
}  // namespace gocua
