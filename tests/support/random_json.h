#pragma once
// Random JSON values for the codec tests: short texts with escapes, controls, invalid UTF-8 and
// Vietnamese, integers at int64's and uint64's edges, doubles, literals, nested arrays/objects.
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace gocua::protocol::testing {

inline std::string RandomText(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "a",    "Nguyễn", "Đức", " ",    "\"",   "\\",           "/", "\n",
      "\x01", "\x7f",   "😀",   "\xff", "\xc3", "\xed\xa0\x80", "0", "ế"};
  std::string s;
  for (int i = static_cast<int>(rng() % 4); i > 0; --i) s += pieces[rng() % pieces.size()];
  return s;
}

inline nlohmann::json RandomValue(std::mt19937& rng, int depth = 0) {
  using nlohmann::json;
  switch (rng() % (depth < 12 ? 10 : 8)) {
    case 0:
    case 1:
      return RandomText(rng);
    case 2:
      return static_cast<int64_t>(rng() % 2000) - 1000;
    case 3:
      return static_cast<uint64_t>(rng()) * 4294967296ULL + rng();
    case 4:
      return std::numeric_limits<int64_t>::min() + static_cast<int64_t>(rng() % 2);
    case 5: {
      const double d[] = {0.5, -0.0, 1e300, 0.1, 3.0};
      return d[rng() % 5];
    }
    case 6:
      return rng() % 2 == 0;
    case 7:
      return nullptr;
    case 8: {
      json a = json::array();
      for (int i = static_cast<int>(rng() % 3); i > 0; --i)
        a.push_back(RandomValue(rng, depth + 1));
      return a;
    }
    default: {
      json o = json::object();
      for (int i = static_cast<int>(rng() % 3); i > 0; --i)
        o["k" + std::to_string(rng() % 5)] = RandomValue(rng, depth + 1);
      return o;
    }
  }
}

}  // namespace gocua::protocol::testing
