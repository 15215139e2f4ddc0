#include "sync/ops/op_convert.h"

#include <utility>

namespace gocua::sync_ops {

namespace {

// Moves `op` into `r` (each field assigned, so `r`'s storage is reused), its origin_device too
// unless `keep_origin`.
void Fill(protocol::Op&& op, RemoteOp& r, bool keep_origin) {
  if (keep_origin)
    r.origin_device = op.origin_device;
  else
    r.origin_device = std::move(op.origin_device);
  r.seq = op.seq;
  r.record_type = std::move(op.record_type);
  r.record_id = std::move(op.record_id);
  r.field = std::move(op.field);
  r.value = std::move(op.value);
  r.base.hlc = op.base_hlc;
  r.base.device = std::move(op.base_device);
  r.hlc = op.hlc;
  r.author = std::move(op.author);
  r.seen.hlc = op.seen_hlc;
  r.seen.device = std::move(op.seen_device);
}

}  // namespace

RemoteOp ToRemoteOp(protocol::Op&& op) {
  RemoteOp r;
  Fill(std::move(op), r, true);  // copied: the op's identity stays readable
  return r;
}

void ToRemoteOp(protocol::Op&& op, RemoteOp& r) {
  Fill(std::move(op), r, true);  // copied: the op's identity stays readable
}

void AppendRemoteOp(protocol::Op&& op, std::vector<RemoteOp>& out) {
  Fill(std::move(op), out.emplace_back(), false);
}

protocol::Op ToWireOp(RemoteOp&& r) {
  protocol::Op op;
  op.origin_device = r.origin_device;  // copied: the op's identity stays readable
  op.seq = r.seq;
  op.record_type = std::move(r.record_type);
  op.record_id = std::move(r.record_id);
  op.field = std::move(r.field);
  op.value = std::move(r.value);
  op.base_hlc = r.base.hlc;
  op.base_device = std::move(r.base.device);
  op.hlc = r.hlc;
  op.author = std::move(r.author);
  op.seen_hlc = r.seen.hlc;
  op.seen_device = std::move(r.seen.device);
  return op;
}

protocol::Op ToWireOp(ChangeEntry&& e, const std::string& origin_device) {
  protocol::Op op;
  op.origin_device = origin_device;
  op.seq = e.seq;
  op.record_type = std::move(e.record_type);
  op.record_id = std::move(e.record_id);
  op.field = std::move(e.field);
  op.value = std::move(e.value);
  op.base_hlc = e.base_hlc;
  op.base_device = std::move(e.base_device);
  op.hlc = e.hlc;
  op.author = std::move(e.author);
  op.seen_hlc = e.seen_hlc;
  op.seen_device = std::move(e.seen_device);
  return op;
}

}  // namespace gocua::sync_ops
