// libFuzzer target: every v1 decoder of sync/protocol (messages.h) on untrusted text. They
// must never crash, hang or leak; a message one of them accepts must encode again and decode
// to the same value (the codec is exact). See tools/fuzz.sh and docs/security.md, "Fuzzing".
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"

namespace {

// A decoded message round-trips: Decode(Encode(m)) == m.
template <typename T, typename Decode>
void RoundTrips(const gocua::Result<T>& decoded, Decode decode) {
  if (!decoded.ok()) return;
  auto again = decode(gocua::protocol::Encode(*decoded));
  if (!again.ok() || !(*again == *decoded)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gocua::protocol;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const int kV1[] = {1};
  auto push = DecodePushRequest(text, kV1);
  if (push.ok()) (void)Validate(*push);
  RoundTrips(push, [](std::string_view t) { return DecodePushRequest(t, kV1); });
  RoundTrips(DecodePushResponse(text), [](std::string_view t) { return DecodePushResponse(t); });
  RoundTrips(DecodePullResponse(text), [](std::string_view t) { return DecodePullResponse(t); });
  RoundTrips(DecodeEnrollRequest(text), [](std::string_view t) { return DecodeEnrollRequest(t); });
  RoundTrips(DecodeEnrollResponse(text),
             [](std::string_view t) { return DecodeEnrollResponse(t); });
  (void)DecodeErrorBody(text);
  (void)DecodeHealthResponse(text);
  return 0;
}
