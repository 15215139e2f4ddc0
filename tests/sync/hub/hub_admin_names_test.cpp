// gocua-hub's admin commands refuse names that are not UTF-8: the real binary
// (tests/support/hub_process.h), its exit code, its message, and a hub.db left unchanged.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/hub_process.h"

namespace gocua {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// "Quảng" with its 3-byte "ả" cut short: a lead byte followed by a plain letter.
const std::string kBadUtf8 = std::string("Qu\xe1") + "ng Ng\xc3i";

TEST_CASE("Hub: commune create with a name that is not UTF-8 exits 1 and writes nothing") {
  test::HubProcess hub;
  const std::string commune =
      hub.Ok({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"});
  const std::string before = hub.Export();
  for (const char* option : {"--province", "--commune"}) {
    CAPTURE(option);
    std::vector<std::string> args = {"commune",    "create",    "--province",
                                     "Quảng Ngãi", "--commune", "Xã Tịnh Hà"};
    args[option == std::string("--province") ? 3 : 5] = kBadUtf8;
    test::ProcessResult r = hub.Run(args);
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "UTF-8"));
    CHECK(r.out.empty());
    CHECK(hub.Export() == before);
  }
  // Villages and members too (their names were checked the same way).
  test::ProcessResult village = hub.Run({"village", "add", "--commune", commune, kBadUtf8});
  CHECK(village.exit_code == 1);
  CHECK(Contains(village.err, "UTF-8"));
  test::ProcessResult member = hub.Run({"member", "add", "--commune", commune, "--name", kBadUtf8,
                                        "--role", "member", "--pin", "1234"});
  CHECK(member.exit_code == 1);
  CHECK(Contains(member.err, "UTF-8"));
  CHECK(hub.Export() == before);
}

}  // namespace
}  // namespace gocua
