#pragma once
// A push batch: outbox entries read and encoded as the body of one POST /v1/push, sized by the
// engine's BatchSizer. Internal to sync/client (sync_engine.cpp), which reads the next batch
// while the last one is on the wire.
//
// Reading is deterministic: the same `after`, sizer and outbox give the same ops and text (but
// for the batch id), because entries up to the push's last seq do not change while it runs
// (new edits get later seqs; entries only leave on acknowledgement, at or below `after`).
// Threading: the thread that owns `log`'s database connection.
#include <cstdint>
#include <string>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "base/result.h"
#include "sync/client/pacing.h"
#include "sync/protocol/messages.h"

namespace gocua::client {

struct PushBatch {
  protocol::PushRequest request;  // no ops: the outbox holds nothing after `after`
  std::string body;               // the JSON text of `request`, encoded once
  std::string gzipped;            // "" or GzipCompress(body), made while another batch flies
  bool full = false;  // cut by the sizer's limits (more was waiting): a fast answer grows it
  int64_t after = 0;  // read from the entries after this seq...
  BatchSizer asked;   // ...with this sizer,
  BatchSizer sizer;   // shrunk to this while the text was over kMaxBatchBytes
};

// Reads up to `sizer` entries with seq in (after, last_seq] from `log`, the device's own
// (origin `device_id`), and encodes them in protocol `version` (1 or 2) under a new batch id,
// the text cut before the op that would take it past sizer.bytes() (one op at least). A text
// over kMaxBatchBytes shrinks the sizer and is read again. Fails with the Status a person
// sees: the local database failed, or an entry cannot be sent at all (UnsendableError).
Result<PushBatch> ReadPushBatch(ChangeLog& log, const std::string& device_id, int version,
                                int64_t after, int64_t last_seq, BatchSizer sizer,
                                const Clock& clock);

}  // namespace gocua::client
