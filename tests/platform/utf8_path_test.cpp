// The one UTF-8 <-> path helper (platform/utf8_path.h) with a real folder whose name has
// Vietnamese letters: the name on disk (read back by listing the parent) must be the letters
// themselves, not the ANSI code page's reading of their UTF-8 bytes (what a plain
// std::filesystem::path(std::string) gives with mingw).
#include "platform/utf8_path.h"

#include <doctest/doctest.h>

#include <fstream>
#ifdef _WIN32
#include <windows.h>
#endif

#include "tests/support/fixture.h"

namespace gocua::test {

TEST_CASE("UTF-8 paths: a folder named with Vietnamese letters is created under that very name") {
  TempDir base;
  const std::string root = PathToUtf8(base.path());
  const std::string dir = JoinPathUtf8(root, "Nguyễn Thị Hoà/Dữ liệu");
  REQUIRE(std::filesystem::create_directories(PathFromUtf8(dir)));
  std::vector<std::filesystem::path> names;
  for (const auto& e : std::filesystem::directory_iterator(base.path()))
    names.push_back(e.path().filename());
  REQUIRE(names.size() == 1);
  CHECK(names[0] == std::filesystem::path(u8"Nguyễn Thị Hoà"));
  CHECK(PathToUtf8(names[0]) == "Nguyễn Thị Hoà");

  // A file written through the path is read back through the UTF-8 text.
  const std::string file = JoinPathUtf8(dir, "ghi chú.txt");
  std::ofstream(PathFromUtf8(file)) << "xin chào";
  std::ifstream in(PathFromUtf8(file));
  std::string text;
  std::getline(in, text);
  CHECK(text == "xin chào");
  CHECK(std::filesystem::is_regular_file(
      std::filesystem::path(base.path()) / std::filesystem::path(u8"Nguyễn Thị Hoà") /
      std::filesystem::path(u8"Dữ liệu") / std::filesystem::path(u8"ghi chú.txt")));
}

TEST_CASE("UTF-8 paths: joins use the platform's separator and round-trip the text") {
  const std::filesystem::path::value_type sep = std::filesystem::path::preferred_separator;
  const std::string s(1, static_cast<char>(sep));
  CHECK(JoinPathUtf8("dữ liệu", "logs/gocua.log") == "dữ liệu" + s + "logs" + s + "gocua.log");
  CHECK(PathToUtf8(PathFromUtf8("Đồng Tháp")) == "Đồng Tháp");
  CHECK(PathFromUtf8("Đồng Tháp") == std::filesystem::path(u8"Đồng Tháp"));
}

#ifdef _WIN32
TEST_CASE("UTF-8 paths: the manifest makes UTF-8 this Windows program's ANSI code page") {
  // platform/windows/gocua.manifest (activeCodePage), linked into every executable with
  // gocua_platform: narrow APIs (fopen in libxlsxwriter and minizip, argv) then take UTF-8.
  CHECK(GetACP() == CP_UTF8);
}
#endif

}  // namespace gocua::test
