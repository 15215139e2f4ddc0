// A pull reply's body (sync/hub/pull_body.h).
#include "sync/hub/pull_body.h"

#include <utility>

#include "sync/protocol/errors.h"

namespace gocua::hub {

namespace p = gocua::protocol;

void PullBody::Add(const PulledOpView& v) {
  p::OpView op;
  op.origin_device = v.origin_device;
  op.seq = v.seq;
  op.record_type = v.record_type;
  op.record_id = v.record_id;
  op.field = v.field;
  op.value = v.value;
  op.value_text = v.value_text;
  op.base_hlc = v.base_hlc;
  op.base_device = v.base_device;
  op.hlc = v.hlc;
  op.author = v.author;
  op.seen_hlc = v.seen_hlc;
  op.seen_device = v.seen_device;
  p::OpView before;  // the parts CheckOpContent may take as checked
  before.record_type = type_;
  before.record_id = id_;
  before.author = author_;
  if (Status s = p::CheckOpContent(op, kept_ > 0 ? &before : nullptr); !s) {
    if (warnings_)
      std::fprintf(warnings_,
                   "gocua-hub: not serving op %.*s/%lld (server seq %lld), its content is "
                   "invalid: %s\n",
                   static_cast<int>(op.origin_device.size()), op.origin_device.data(),
                   static_cast<long long>(op.seq), static_cast<long long>(v.server_seq),
                   p::WireMessage(s).c_str());
    return;
  }
  ++kept_;
  if (op.record_type != type_) type_ = op.record_type;
  if (op.record_id != id_) id_ = op.record_id;
  if (op.author != author_) author_ = op.author;
  if (protocol_ == p::kProtocolV2) {
    v2_.Add(v.server_seq, op);
    envelope_.Add(v.server_seq, op);
  } else {
    v1_.push_back({v.server_seq, p::OpOf(op)});
  }
}

Result<std::string> PullBody::Finish(p::PullResponse page) {
  if (protocol_ == p::kProtocolV2) {
    if (Status s = envelope_.Finish(page); !s) return s;
    return v2_.Finish(page.next_cursor, page.has_more, page.server_time, page.devices);
  }
  page.ops = std::move(v1_);
  if (Status s = p::ValidatePullEnvelope(page); !s) return s;
  return p::Encode(page);
}

}  // namespace gocua::hub
