// An op as views (sync/protocol/op_view.h).
#include "sync/protocol/op_view.h"

namespace gocua::protocol {

OpView ViewOf(const Op& op) {
  OpView v;
  v.origin_device = op.origin_device;
  v.seq = op.seq;
  v.record_type = op.record_type;
  v.record_id = op.record_id;
  v.field = op.field;
  v.value = &op.value;
  v.base_hlc = op.base_hlc;
  v.base_device = op.base_device;
  v.hlc = op.hlc;
  v.author = op.author;
  v.seen_hlc = op.seen_hlc;
  v.seen_device = op.seen_device;
  return v;
}

Op OpOf(const OpView& v) {
  Op op;
  op.origin_device = v.origin_device;
  op.seq = v.seq;
  op.record_type = v.record_type;
  op.record_id = v.record_id;
  op.field = v.field;
  op.value = v.value ? *v.value : nlohmann::json::parse(v.value_text, nullptr, false);
  op.base_hlc = v.base_hlc;
  op.base_device = v.base_device;
  op.hlc = v.hlc;
  op.author = v.author;
  op.seen_hlc = v.seen_hlc;
  op.seen_device = v.seen_device;
  return op;
}

}  // namespace gocua::protocol
