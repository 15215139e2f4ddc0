// doctest, nlohmann/json and cpp-httplib (header-only) from the prefix: a doctest suite that runs
// under Wine through CMAKE_CROSSCOMPILING_EMULATOR (test discovery too).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

TEST_CASE("json round-trips Vietnamese text") {
  nlohmann::json j = nlohmann::json::parse(R"({"xa": "Yên Bình", "n": 3})");
  CHECK(j["xa"] == "Yên Bình");
  CHECK(nlohmann::json::parse(j.dump()) == j);
}

TEST_CASE("httplib compiles and builds a client") {
  httplib::Client cli("http://127.0.0.1:9");
  cli.set_connection_timeout(1, 0);
  CHECK(cli.is_valid());
}
