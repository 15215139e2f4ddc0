#pragma once
// An op (messages.h) as views of texts someone else owns: what the hub's pull reads from its log
// rows and writes straight into a page (wire_v2.h PullBodyV2), checked (validate.h) without
// copying its strings or building its value. Pure functions; any thread.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "sync/protocol/messages.h"

namespace gocua::protocol {

// The parts of an Op. REQUIRES: whatever the views point at outlives the view.
struct OpView {
  std::string_view origin_device;
  int64_t seq = 0;
  std::string_view record_type, record_id, field;
  // The value: `*value`, or when `value` is null, `value_text`: its compact JSON text exactly as
  // json_text::AppendValueText writes it (so written as it is, without a json tree).
  const nlohmann::json* value = nullptr;
  std::string_view value_text;
  int64_t base_hlc = 0;
  std::string_view base_device;
  int64_t hlc = 0;
  std::string_view author;
  int64_t seen_hlc = 0;
  std::string_view seen_device;
};

// A view of `op` (its value by pointer).
OpView ViewOf(const Op& op);
// The op `v` shows, its strings copied (a value_text parsed).
Op OpOf(const OpView& v);

}  // namespace gocua::protocol
