// GzipCompress at each zlib level (the hub answers with level 1, devices push with 6): every
// level round-trips, gives the same bytes for the same input, and 6 stays the default.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "sync/protocol/gzip.h"

namespace gocua::protocol {
namespace {

TEST_CASE("Gzip: every level round-trips, is deterministic, and 6 is the default") {
  std::mt19937 rng(11);
  std::string text;
  for (int i = 0; i < 4000; ++i)
    text += "{\"seq\":" + std::to_string(i) + ",\"v\":\"Đức " + std::to_string(rng() % 97) + "\"}";
  for (const std::string& input : {std::string(), std::string("x"), text}) {
    for (int level = 1; level <= 9; ++level) {
      CAPTURE(level);
      const std::string packed = GzipCompress(input, level);
      REQUIRE(packed.size() >= 18);  // a gzip header and trailer at least
      CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
      CHECK(packed == GzipCompress(input, level));
      auto back = GzipInflate(packed, input.size());
      REQUIRE(back.ok());
      CHECK(*back == input);
    }
    CHECK(GzipCompress(input) == GzipCompress(input, 6));
  }
  CHECK(GzipCompress(text, 1).size() < text.size() / 4);
}

}  // namespace
}  // namespace gocua::protocol
