// Per-OS folders (platform/paths.h) as the running test program sees them.
#include "platform/paths.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "platform/utf8_path.h"
#include "tests/support/fixture.h"

namespace gocua::test {

TEST_CASE("Paths: the executable's folder holds the running test program") {
  const std::string dir = ExecutableDir();
  REQUIRE_FALSE(dir.empty());
#ifdef _WIN32
  const char* self = "gocua_tests.exe";
#else
  const char* self = "gocua_tests";
#endif
  CHECK(std::filesystem::is_regular_file(PathFromUtf8(JoinPathUtf8(dir, self))));
  // No assets/ beside a test program: the app then falls back to --assets or the source tree.
  std::error_code ec;
  CHECK(AssetsDirNextToExecutable().empty() ==
        !std::filesystem::is_directory(PathFromUtf8(JoinPathUtf8(dir, "assets")), ec));
}

TEST_CASE("Paths: the default data folder is under the user's own application data") {
  const std::string data = DefaultDataDir();
#ifdef _WIN32
  // %APPDATA%\GoCua, read as UTF-16 (an account name may have diacritics).
  const char* appdata = std::getenv("APPDATA");
  REQUIRE(appdata != nullptr);
  CHECK(data.size() > 6);
  CHECK(data.substr(data.size() - 6) == "\\GoCua");
#else
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg) {
    CHECK(data == JoinPathUtf8(xdg, "gocua"));
  } else {
    CHECK(data.size() > 21);
    CHECK(data.substr(data.size() - 19) == "/.local/share/gocua");
  }
#endif
}

}  // namespace gocua::test
