// Protocol v2 pull pages (sync/protocol/wire_v2.h): origins and server seqs once per run.
#include "tests/sync/protocol/wire_v2_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace wire_v2_fixtures;

TEST_CASE("Protocol v2: a pull page names its origins and server seqs once per run") {
  PullResponse page;
  page.ops = {{1043, VisitOp(kDevB, 17, "note", "a")},
              {1044, VisitOp(kDevB, 18, "topics", {{"vneid", "done"}})},
              {1045, VisitOp(kDevA, 41, "note", "b")},
              {1050, VisitOp(kDevA, 42, "status", "submitted")}};
  page.next_cursor = "e3.1050";
  page.server_time = 1720000000530;
  const std::string text = EncodePullResponseV2(page);
  const json j = json::parse(text);
  REQUIRE(j["runs"].size() == 3);
  CHECK(j["runs"][0]["origin"] == kDevB);
  CHECK(j["runs"][0]["server_seq"] == 1043);
  CHECK(j["runs"][0]["seq"] == 17);
  CHECK(j["runs"][1]["origin"] == kDevA);
  CHECK_FALSE(j["runs"][1].contains("server_seq"));  // 1045 follows 1044
  CHECK(j["runs"][2]["server_seq"] == 1050);
  CHECK_FALSE(j["runs"][2].contains("origin"));
  CHECK_FALSE(j["runs"][2].contains("seq"));
  CHECK(MustDecode(DecodePullResponseV2(text)) == page);
  // The optional devices of the last page, as in v1.
  page.devices = {{kDevA, "Laptop tổ 3", 1720000000100}, {kDevB, "Laptop tổ 4", 0}};
  const std::string with_devices = EncodePullResponseV2(page);
  CHECK(json::parse(with_devices)["devices"] == ToJson(page)["devices"]);
  CHECK(MustDecode(DecodePullResponseV2(with_devices)) == page);
  json bad = json::parse(with_devices);
  bad["devices"][1]["last_seen"] = "never";
  ExpectError(DecodePullResponseV2(bad.dump()), kErrBadRequest,
              "devices[1].last_seen: must be an integer");
  page.devices.clear();
  page.ops.clear();
  CHECK(MustDecode(DecodePullResponseV2(EncodePullResponseV2(page))) == page);
}

}  // namespace
}  // namespace gocua::protocol
