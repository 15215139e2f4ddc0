// Font lookup (platform/fonts.h) with real files: system fonts first, then the open font
// shipped beside the executable, and the advice when none is there.
#include "platform/fonts.h"

#include <doctest/doctest.h>

#include <fstream>

#include "platform/utf8_path.h"
#include "tests/support/fixture.h"

namespace gocua::test {
namespace {

void Touch(const std::string& utf8) {
  std::filesystem::create_directories(PathFromUtf8(utf8).parent_path());
  std::ofstream(PathFromUtf8(utf8)) << "not a real font";
}

}  // namespace

TEST_CASE("Fonts: system fonts that exist come first, the bundled font last, missing ones never") {
  TempDir t;
  const std::string root = PathToUtf8(t.path());
  const std::string fonts = JoinPathUtf8(root, "Windows/Fonts");
  const std::string exe_dir = JoinPathUtf8(root, "Nguyễn Thị Hoà/GoCua");  // per-user install
  Touch(JoinPathUtf8(fonts, "arial.ttf"));
  Touch(JoinPathUtf8(exe_dir, kBundledFontRelative));
  const std::vector<std::string> found = ExistingFontFiles(
      {JoinPathUtf8(fonts, "segoeui.ttf"), JoinPathUtf8(fonts, "arial.ttf")}, exe_dir);
  REQUIRE(found.size() == 2);
  CHECK(found[0] == JoinPathUtf8(fonts, "arial.ttf"));
  CHECK(found[1] == JoinPathUtf8(exe_dir, "fonts/DejaVuSans.ttf"));
}

TEST_CASE("Fonts: without system fonts the bundled font is still found, without both nothing") {
  TempDir t;
  const std::string root = PathToUtf8(t.path());
  const std::string exe_dir = JoinPathUtf8(root, "app");
  const std::vector<std::string> none = {JoinPathUtf8(root, "Fonts/segoeui.ttf")};
  CHECK(ExistingFontFiles(none, exe_dir).empty());
  Touch(JoinPathUtf8(exe_dir, kBundledFontRelative));
  CHECK(ExistingFontFiles(none, exe_dir) ==
        std::vector<std::string>{JoinPathUtf8(exe_dir, "fonts/DejaVuSans.ttf")});
}

TEST_CASE("Fonts: the missing-font advice speaks of this OS only") {
  const std::string advice = MissingFontAdvice();
#ifdef _WIN32
  CHECK(advice.find("gocua.exe") != std::string::npos);
  CHECK(advice.find("fonts-noto-core") == std::string::npos);  // no Debian package on Windows
#else
  CHECK(advice.find("fonts-noto-core") != std::string::npos);
  CHECK(advice.find(".exe") == std::string::npos);
#endif
}

}  // namespace gocua::test
