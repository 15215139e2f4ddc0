// docs/sync-protocol.md against the codec: every `<!-- example: NAME -->` block decodes as the
// message it names, and each v2 example carries exactly the ops (and answers) of its v1 twin.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sync/protocol/laptops.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::protocol {
namespace {

struct Example {
  std::string name, text;
  int line = 0;
};

// The examples of the page, in order: each marker, then the next ```json ... ``` block.
std::vector<Example> ReadExamples() {
  const std::filesystem::path doc =
      std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path() / "docs" /
      "sync-protocol.md";
  std::ifstream in(doc);
  REQUIRE_MESSAGE(in.good(), "cannot read " << doc.string());
  std::vector<Example> out;
  std::string line, pending;
  bool in_block = false;
  int n = 0;
  const std::string marker = "<!-- example: ";
  while (std::getline(in, line)) {
    ++n;
    if (in_block) {
      if (line.rfind("```", 0) == 0) {
        in_block = false;
        continue;
      }
      out.back().text += line + "\n";
    } else if (line.rfind(marker, 0) == 0) {
      pending = line.substr(marker.size(), line.find(' ', marker.size()) - marker.size());
    } else if (!pending.empty() && line.rfind("```json", 0) == 0) {
      out.push_back({pending, "", n});
      pending.clear();
      in_block = true;
    }
  }
  return out;
}

template <typename T>
T Must(const Example& e, const Result<T>& r) {
  INFO("example " << e.name << " at line " << e.line << ": "
                  << (r.ok() ? std::string() : r.error().message()));
  REQUIRE(r.ok());
  return r.value();
}

TEST_CASE("Protocol doc: every example decodes, and v2 examples match their v1 twins") {
  const std::vector<Example> examples = ReadExamples();
  std::map<std::string, int> count;
  std::map<std::string, Example> first;
  for (const Example& e : examples) {
    ++count[e.name];
    first.try_emplace(e.name, e);
  }
  for (const char* name : {"ErrorBody", "HealthResponse", "EnrollRequest", "EnrollResponse",
                           "PushRequest", "PushResponse", "PullResponse", "PushRequestV2",
                           "PushResponseV2", "PullResponseV2", "LaptopListResponse",
                           "LaptopCodeRequest", "LaptopCodeResponse", "LaptopRenameRequest",
                           "LaptopResponse"})
    CHECK_MESSAGE(count[name] > 0, "no example of " << name);

  std::vector<PushRequest> v2_pushes;  // a reply example answers the first v2 push example
  for (const Example& e : examples) {
    CAPTURE(e.name);
    CAPTURE(e.line);
    if (e.name == "ErrorBody") {
      Must(e, DecodeErrorBody(e.text));
    } else if (e.name == "HealthResponse") {
      CHECK(Must(e, DecodeHealthResponse(e.text)).supported_versions == std::vector<int>{1, 2});
    } else if (e.name == "EnrollRequest") {
      Must(e, DecodeEnrollRequest(e.text));
    } else if (e.name == "EnrollResponse") {
      Must(e, DecodeEnrollResponse(e.text));
    } else if (e.name == "PushRequest") {
      CHECK(Must(e, DecodePushRequest(e.text)).protocol == 1);
    } else if (e.name == "PushResponse") {
      Must(e, DecodePushResponse(e.text));
    } else if (e.name == "PullResponse") {
      Must(e, DecodePullResponse(e.text));
    } else if (e.name == "PushRequestV2") {
      v2_pushes.push_back(Must(e, DecodePushRequest(e.text)));
      CHECK(v2_pushes.back().protocol == 2);
    } else if (e.name == "PushResponseV2") {
      REQUIRE_MESSAGE(!v2_pushes.empty(), "a PushResponseV2 example needs a PushRequestV2 before it");
      Must(e, DecodePushResponseV2(e.text, v2_pushes.front()));
    } else if (e.name == "PullResponseV2") {
      Must(e, DecodePullResponseV2(e.text));
    } else if (e.name == "LaptopListResponse") {
      CHECK_FALSE(Must(e, DecodeLaptopListResponse(e.text)).laptops.empty());
    } else if (e.name == "LaptopCodeRequest") {
      Must(e, DecodeLaptopCodeRequest(e.text));
    } else if (e.name == "LaptopCodeResponse") {
      CHECK(Must(e, DecodeLaptopCodeResponse(e.text)).role == "member");
    } else if (e.name == "LaptopRenameRequest") {
      Must(e, DecodeLaptopRenameRequest(e.text));
    } else if (e.name == "LaptopResponse") {
      Must(e, DecodeLaptopResponse(e.text));
    } else {
      FAIL("an example of unknown message " << e.name);
    }
  }

  // The first v2 push, reply and page are the v1 ones in v2: the same ops, the same answers.
  const PushRequest v1_push = Must(first["PushRequest"], DecodePushRequest(first["PushRequest"].text));
  const PushRequest v2_push =
      Must(first["PushRequestV2"], DecodePushRequest(first["PushRequestV2"].text));
  CHECK(v2_push.device_id == v1_push.device_id);
  CHECK(v2_push.batch_id == v1_push.batch_id);
  CHECK(v2_push.ops == v1_push.ops);
  CHECK(Must(first["PushResponseV2"],
             DecodePushResponseV2(first["PushResponseV2"].text, v2_push)) ==
        Must(first["PushResponse"], DecodePushResponse(first["PushResponse"].text)));
  CHECK(Must(first["PullResponseV2"], DecodePullResponseV2(first["PullResponseV2"].text)) ==
        Must(first["PullResponse"], DecodePullResponse(first["PullResponse"].text)));
  // The v2 encoder writes what the page shows for the same ops (compact, same keys).
  CHECK(nlohmann::json::parse(Encode(v2_push)) == nlohmann::json::parse(first["PushRequestV2"].text));
}

}  // namespace
}  // namespace gocua::protocol
