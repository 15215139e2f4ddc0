#pragma once
// The body of a pull reply, made from the ops as the store reads them (HubStore::PullInto):
// each op's content is checked (an invalid one is left out with a warning: a device refuses a
// page with one bad op, which would stop the whole commune's pulls), then written straight
// into a v2 page (wire_v2.h PullBodyV2), or kept as an op for a v1 page. Same text as
// encoding a PullResponse of the same ops. Internal to the hub's API (api.cpp).
// Not thread-safe: one body per reply.
#include <cstdio>
#include <string>
#include <vector>

#include "base/result.h"
#include "sync/hub/store/hub_store.h"
#include "sync/protocol/messages.h"
#include "sync/protocol/validate.h"
#include "sync/protocol/wire_v2.h"

namespace gocua::hub {

class PullBody final : public PullSink {
 public:
  // `protocol`: the page's version (1 or 2). `warnings` (may be null) hears of ops left out.
  PullBody(int protocol, FILE* warnings) : protocol_(protocol), warnings_(warnings) {}
  void Add(const PulledOpView& op) override;
  // The ops kept so far.
  int ops() const { return kept_; }
  // The reply's text for the ops kept and the page's other fields in `page` (its ops empty),
  // or why the page is not valid (protocol::ValidatePullEnvelope). Spends the body.
  Result<std::string> Finish(protocol::PullResponse page);

 private:
  const int protocol_;
  FILE* const warnings_;
  int kept_ = 0;
  // What the op kept last shares with the next of its run, which is not checked again.
  std::string type_, id_, author_;
  protocol::PullBodyV2 v2_;
  protocol::PullEnvelopeCheck envelope_;
  std::vector<protocol::PulledOp> v1_;
};

}  // namespace gocua::hub
