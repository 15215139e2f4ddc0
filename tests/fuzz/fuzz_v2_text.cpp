// libFuzzer target: the v2 text reader (sync/protocol/wire_v2_text.h), which reads a push body
// or a pull page straight from its text. Its contract is checked on every input: it answers
// nullopt, or exactly what the json-tree decoder answers for the same text. A difference aborts.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sync/protocol/wire_v2_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gocua::protocol;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const int kBoth[] = {1, 2};
  if (auto fast = ReadPushRequestV2Text(text, kBoth)) {
    auto tree = DecodePushRequestTree(text, kBoth);
    if (!tree.ok() || !(*tree == *fast)) std::abort();
  }
  if (auto fast = ReadPullResponseV2Text(text)) {
    auto tree = DecodePullResponseV2Tree(text);
    if (!tree.ok() || !(*tree == *fast)) std::abort();
  }
  return 0;
}
