#pragma once
// The hub's pull paging, written once for every store (DESIGN.md, "Pull"): cursors and pages.
// A cursor is "<log id>.<server seq>": the log id (made when the hub's log was) tells a cursor
// of another hub, or of a hub restored from an older file, from one of this log.
#include <cstdint>
#include <string>

#include "sync/hub/store/hub_store.h"
#include "sync/hub/store/log_entry.h"

namespace gocua::hub_internal {

struct CursorPosition {
  bool expired = false;  // not a cursor of this log: the device re-downloads its scope
  int64_t after = 0;     // the last server seq the device holds
};

// Reads `cursor` ("" = from the start) of the log `log_id`, whose last server seq is `max_seq`.
// A cursor past the log's end is expired (the log was replaced by an older copy).
CursorPosition ParseCursor(const std::string& cursor, const std::string& log_id, int64_t max_seq);
// Whether `cursor` names a position (not ""): then the store must read its max_seq.
inline bool CursorNamesPosition(const std::string& cursor) { return !cursor.empty(); }

// Whether `op` may go to `device`: a leader's PIN hash goes only to devices enrolled as a
// leader's (docs/security.md), so a member's laptop cannot be used to guess leaders' PINs.
// `member_role` is the current role of the member the op changes, which the store looks up
// only when NeedsMemberRole(op).
bool NeedsMemberRole(const RemoteOp& op);
bool Serves(const HubDevice& device, const RemoteOp& op, std::string_view member_role);

// Collects one page from the served entries of a scope, offered in server order from a little
// before the cursor (a store may hand whole runs): entries at or before the cursor are
// skipped, at most `limit` are taken, and one more sets has_more.
class PullPageBuilder {
 public:
  PullPageBuilder(int64_t after, int limit) : after_(after), last_(after), limit_(limit) {}
  // Takes `e` (moved) if it fits; false once the page is full.
  bool Offer(LogEntry& e);
  // Passes over `e`, an op not served to this device (Serves): the cursor may move past it.
  void Skip(const LogEntry& e);
  bool full() const { return page_.has_more; }
  // The page, its next cursor in log `log_id`.
  HubPullPage Finish(const std::string& log_id);

 private:
  int64_t after_, last_;
  int limit_;
  HubPullPage page_;
};

}  // namespace gocua::hub_internal
