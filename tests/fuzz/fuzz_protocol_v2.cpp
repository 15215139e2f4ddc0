// libFuzzer target: the v2 decoders of sync/protocol (wire_v2.h) on untrusted text: a push
// (v1 and v2 spoken, as the hub does), a pull page, and a push reply read against a fixed push.
// A v2 push or page that decodes must encode again to the same value (v2's expansion is exact).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/protocol/messages.h"
#include "sync/protocol/wire_v2.h"

namespace {

const gocua::protocol::PushRequest& Answered() {
  static const gocua::protocol::PushRequest p = [] {
    gocua::protocol::PushRequest r;
    r.protocol = 2;
    r.device_id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    r.batch_id = "0190a1b2-c3d4-7000-8000-000000000001";
    for (int i = 1; i <= 3; ++i) {
      gocua::protocol::Op op;
      op.origin_device = r.device_id;
      op.seq = 10 + i;
      op.record_type = "household";
      op.record_id = "0190a1b2-c3d4-7111-8222-333344445555";
      op.field = "head_name";
      op.value = "Nguyễn Văn Đức";
      op.hlc = (int64_t{1720000000000} << 16) + i;
      r.ops.push_back(op);
    }
    return r;
  }();
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gocua::protocol;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const int kBoth[] = {1, 2};
  auto push = DecodePushRequest(text, kBoth);
  if (push.ok() && push->protocol == 2) {
    auto again = DecodePushRequest(EncodePushRequestV2(*push), kBoth);
    if (!again.ok() || !(*again == *push)) std::abort();
  }
  auto page = DecodePullResponseV2(text);
  if (page.ok()) {
    auto again = DecodePullResponseV2(EncodePullResponseV2(*page));
    if (!again.ok() || !(*again == *page)) std::abort();
  }
  (void)DecodePushResponseV2(text, Answered());
  return 0;
}
