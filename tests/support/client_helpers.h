#pragma once
// Small helpers shared by the sync engine's tests (client_test.cpp, client_real_hub_test.cpp).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "storage/device/households.h"

namespace gocua::client::testing {

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Adds `n` households to the village, in one transaction.
inline void AddHouseholds(Database& db, const std::string& village_id, int n) {
  std::vector<Household> hs;
  for (int i = 0; i < n; ++i) {
    Household h;
    h.village_id = village_id;
    h.head_name = "Nguyễn Văn Đức " + std::to_string(i);
    h.address = std::to_string(i) + " ngõ 3";
    h.members_count = 4;
    h.working_age_count = 2;
    hs.push_back(h);
  }
  if (n > 0) REQUIRE(Households(db).AddAll(hs).ok());
}

}  // namespace gocua::client::testing
