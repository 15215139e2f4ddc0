#include "sync/client/push_batch.h"

#include <utility>
#include <vector>

#include "storage/core/ids.h"
#include "sync/client/sync_errors.h"
#include "sync/ops/op_convert.h"
#include "sync/protocol/errors.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::client {
namespace {

// The push body for `entries` (those up to `last_seq`), in `version`, cut before the op that
// would take it past `max_bytes` (one op at least); the ops sent go to request->ops, and
// *full is set when the batch was cut. The text is encoded once, as it is sized. The entries
// are moved from.
std::string EncodeBatch(int version, std::vector<ChangeEntry>& entries, int64_t last_seq,
                        size_t max_bytes, protocol::PushRequest* request, bool* full) {
  const std::string& device = request->device_id;
  if (version == protocol::kProtocolV2) {
    protocol::PushBodyV2 body(device, request->batch_id);
    for (ChangeEntry& entry : entries) {
      if (entry.seq > last_seq) break;
      protocol::Op op = sync_ops::ToWireOp(std::move(entry), device);
      if (body.Add(op) > max_bytes && !request->ops.empty()) {
        body.UndoLast();
        *full = true;
        break;
      }
      request->ops.push_back(std::move(op));
    }
    return body.Finish();
  }
  // v1: the envelope with an empty "ops", then each op's text joined in place of it.
  const std::string envelope = protocol::Encode(*request);
  const size_t ops_at = envelope.find("\"ops\":[]") + 7;
  std::string text_body = envelope.substr(0, ops_at);
  for (ChangeEntry& entry : entries) {
    if (entry.seq > last_seq) break;
    protocol::Op op = sync_ops::ToWireOp(std::move(entry), device);
    const std::string text = protocol::Encode(op);
    if (!request->ops.empty() &&
        envelope.size() + (text_body.size() - ops_at) + text.size() + 1 > max_bytes) {
      *full = true;
      break;
    }
    if (!request->ops.empty()) text_body += ',';
    text_body += text;
    request->ops.push_back(std::move(op));
  }
  text_body.append(envelope, ops_at, std::string::npos);
  return text_body;
}

}  // namespace

Result<PushBatch> ReadPushBatch(ChangeLog& log, const std::string& device_id, int version,
                                int64_t after, int64_t last_seq, BatchSizer sizer,
                                const Clock& clock) {
  PushBatch batch;
  batch.after = after;
  batch.asked = sizer;
  while (true) {
    auto entries = log.Pending(after, sizer.ops());
    if (!entries) return LocalError(entries.error());
    batch.request = {};
    batch.request.protocol = version;
    batch.request.device_id = device_id;
    batch.request.batch_id = NewUuidV7(clock.NowMs());
    batch.full = static_cast<int>(entries->size()) >= sizer.ops();
    batch.body =
        EncodeBatch(version, *entries, last_seq, sizer.bytes(), &batch.request, &batch.full);
    batch.sizer = sizer;
    if (batch.request.ops.empty()) return batch;  // the outbox is drained
    Status st = protocol::Validate(batch.request, batch.body.size());
    if (st) return batch;
    if (protocol::WireCode(st) != protocol::kErrTooLarge || batch.request.ops.size() <= 1)
      return UnsendableError(batch.request.ops.front().seq, st);
    sizer.Shrink();
  }
}

}  // namespace gocua::client
