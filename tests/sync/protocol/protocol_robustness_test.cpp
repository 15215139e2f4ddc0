// Protocol v1: encoding never throws, and no decoder throws on any prefix or corruption of a
// valid body.
#include "tests/sync/protocol/protocol_fixtures.h"

namespace gocua::protocol {
namespace {

using namespace protocol_fixtures;

TEST_CASE("Protocol: encoding never throws, even on strings that are not UTF-8") {
  PushRequest p = MakePush(1);
  p.ops[0].value = std::string("bad \xff\xfe bytes");
  std::string text;
  CHECK_NOTHROW(text = Encode(p));
  PushRequest back = MustDecode(DecodePushRequest(text));
  CHECK(back.ops[0].value == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");  // U+FFFD each
}

TEST_CASE("Protocol: no decoder throws on any prefix or corruption of a valid body") {
  using Decoder = bool (*)(std::string_view);
  struct Body {
    std::string text;
    Decoder decode;
  };
  const std::vector<Body> bodies = {
      {Encode(MakePush(2)), [](std::string_view t) { return DecodePushRequest(t).ok(); }},
      {Encode(MakePull()), [](std::string_view t) { return DecodePullResponse(t).ok(); }},
      {Encode(PushResponse{{{11, Outcome::kConflict, "c"}}, 11, kNow}),
       [](std::string_view t) { return DecodePushResponse(t).ok(); }},
      {Encode(EnrollRequest{1, "ABCD-1234", kDevA, "Máy tính"}),
       [](std::string_view t) { return DecodeEnrollRequest(t).ok(); }},
      {Encode(EnrollResponse{kDevA, std::string(20, 'k'), "c1", kNow}),
       [](std::string_view t) { return DecodeEnrollResponse(t).ok(); }},
      {Encode(ErrorBody{"seq_gap", "m", 4, kDevA, {1}}),
       [](std::string_view t) { return DecodeErrorBody(t).ok(); }},
      {Encode(HealthResponse{{1}, kNow}),
       [](std::string_view t) { return DecodeHealthResponse(t).ok(); }},
  };
  const char kJunk[] = {'"', '}', '1', '\xc3'};
  int decoded = 0, variants = 0, threw = 0;
  for (const Body& b : bodies) {
    for (size_t i = 0; i <= b.text.size(); ++i) {
      std::vector<std::string> cases = {b.text.substr(0, i)};
      if (i < b.text.size())
        for (char junk : kJunk) cases.push_back(b.text.substr(0, i) + junk + b.text.substr(i + 1));
      for (const std::string& v : cases) {
        ++variants;
        try {
          decoded += b.decode(v);
        } catch (...) {
          ++threw;
        }
      }
    }
  }
  CHECK(threw == 0);
  CHECK(decoded >= static_cast<int>(bodies.size()));  // the untouched bodies, at least
  CHECK(decoded < variants);
}

}  // namespace
}  // namespace gocua::protocol
