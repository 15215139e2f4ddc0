// The hub's limit on codes from leaders' laptops (sync/hub/laptops_limit.h), with its own clock:
// live codes per commune, codes per hour, used codes freeing their place, communes apart.
// The same limit through the real hub and the app's screen: laptops_test.cpp.
#include <doctest/doctest.h>

#ifdef GOCUA_HUB_LIB
#include "sync/hub/laptops_limit.h"

namespace gocua::test {

using hub::LaptopCodeLimit;
constexpr int64_t kMin = 60 * 1000;

TEST_CASE("Laptop code limit: live codes per commune, freed when used or expired") {
  LaptopCodeLimit limit;
  const int64_t t0 = 1'000'000'000;
  for (int i = 0; i < LaptopCodeLimit::kMaxLive; ++i) {
    REQUIRE(limit.Wait("xa1", t0 + i) == 0);
    limit.Issued("xa1", "CODE" + std::to_string(i), t0 + i, t0 + i + 60 * kMin);
  }
  // Full: the wait is until the first code expires.
  CHECK(limit.Wait("xa1", t0 + 100) == 60 * kMin - 100);
  CHECK(limit.Wait("xa2", t0 + 100) == 0);  // another commune is not slowed
  limit.Used("co-de 3");                    // as typed: dashes, spaces and case do not matter
  CHECK(limit.Wait("xa1", t0 + 100) == 0);
  limit.Used("NOT-ISSUED-HERE");  // an admin's code: ignored
  limit.Issued("xa1", "CODE10", t0 + 200, t0 + 200 + 60 * kMin);
  CHECK(limit.Wait("xa1", t0 + 300) > 0);
  CHECK(limit.Wait("xa1", t0 + 60 * kMin) == 0);  // CODE0 expired
}

TEST_CASE("Laptop code limit: codes per hour, even when each is used at once") {
  LaptopCodeLimit limit;
  const int64_t t0 = 1'000'000'000;
  for (int i = 0; i < LaptopCodeLimit::kMaxPerHour; ++i) {
    REQUIRE(limit.Wait("xa1", t0 + i * kMin / 2) == 0);
    const std::string code = "C" + std::to_string(i);
    limit.Issued("xa1", code, t0 + i * kMin / 2, t0 + i * kMin / 2 + 7 * 24 * 60 * kMin);
    limit.Used(code);
  }
  const int64_t now = t0 + 20 * kMin;
  CHECK(limit.Wait("xa1", now) == t0 + LaptopCodeLimit::kHourMs - now);
  CHECK(limit.Wait("xa1", t0 + LaptopCodeLimit::kHourMs) == 0);
}

}  // namespace gocua::test
#endif
