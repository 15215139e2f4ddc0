#pragma once
// Test fixture: a real database file in a fresh temp folder, a manual clock, and a commune
// with one village and one member already set up.
#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <string>

#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/device/members.h"
#include "storage/device/places.h"

namespace gocua::test {

// 2026-03-15 09:00 UTC.
inline constexpr int64_t kTestNowMs = 1773565200000;

// A folder removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("gocua-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::unique_ptr<Database> OpenOrDie(const std::string& path, const Clock& clock) {
  auto db = Database::Open(path, clock);
  REQUIRE_MESSAGE(db.ok(), db.error().message());
  return std::move(db).value();
}

struct CommuneFixture {
  TempDir dir;
  ManualClock clock{kTestNowMs};
  std::unique_ptr<Database> db = OpenOrDie(dir.File("gocua.db"), clock);
  Village village;
  Member member;
  Member leader;

  CommuneFixture() {
    Places places(*db);
    REQUIRE(places.SetUpCommune("Quảng Ngãi", "Xã Tịnh Sơn").ok());
    auto v = places.AddVillage("Thôn Đông");
    REQUIRE_MESSAGE(v.ok(), v.error().message());
    village = *v;
    auto m = Members(*db).Add("Trần Thị Mai", Role::kMember, "1234");
    REQUIRE_MESSAGE(m.ok(), m.error().message());
    member = *m;
    auto l = Members(*db).Add("Lê Văn Hùng", Role::kLeader, "5678");
    REQUIRE(l.ok());
    leader = *l;
  }
};

}  // namespace gocua::test
