#pragma once
// The one conversion between the wire's op (protocol::Op) and storage's (RemoteOp, which merges
// apply, and ChangeEntry, the device's change log). Every field is carried: identity (origin
// device, seq), target (record type, id, field), value (a null value stays null), the base
// stamp, the op's stamp, author and, for a delete, the seen stamp. A field added to one of
// these types is added here, and to tests/sync/ops/op_convert_test.cpp.
//
// The ops are moved from, but for their identity: origin_device and seq stay readable after the
// call (the hub's v2 push reply reads them from the request after its ops were converted).
//
// Thread-safety: pure functions.
#include <string>
#include <vector>

#include "storage/core/change_log.h"
#include "storage/core/merge.h"
#include "sync/protocol/messages.h"

namespace gocua::sync_ops {

// An op received (a push at the hub, a pull page at a device), to merge.
RemoteOp ToRemoteOp(protocol::Op&& op);
// The same into `out` (every field set; no RemoteOp made and moved): a hub's push converts
// every op of a batch into its vector.
void ToRemoteOp(protocol::Op&& op, RemoteOp& out);
// The same, made in place at the end of `out`, its origin_device moved too (a pulled op, which
// is not read after).
void AppendRemoteOp(protocol::Op&& op, std::vector<RemoteOp>& out);

// An op of the hub's log, to send in a pull page.
protocol::Op ToWireOp(RemoteOp&& op);

// An entry of this device's change log, to push; `origin_device` is this device's id
// (Database::device_id()), which the log does not repeat per entry.
protocol::Op ToWireOp(ChangeEntry&& entry, const std::string& origin_device);

}  // namespace gocua::sync_ops
