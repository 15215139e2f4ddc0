#pragma once
// The hub's pull paging, written once for every store (DESIGN.md, "Pull"): cursors and pages.
// A cursor is "<log id>.<server seq>": the log id (made when the hub's log was) tells a cursor
// of another hub, or of a hub restored from an older file, from one of this log.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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
bool NeedsMemberRole(std::string_view record_type, std::string_view field);
inline bool NeedsMemberRole(const RemoteOp& op) { return NeedsMemberRole(op.record_type, op.field); }
bool Serves(const HubDevice& device, std::string_view record_type, std::string_view field,
            std::string_view member_role);
inline bool Serves(const HubDevice& device, const RemoteOp& op, std::string_view member_role) {
  return Serves(device, op.record_type, op.field, member_role);
}

// An op's size on a page as the pull estimates it without writing it: its value's compact
// text, its strings, and 256 bytes for keys, quotes and numbers (HubStore::PullInto).
size_t PullOpBytes(const PulledOpView& op);
// A view of the op `e` at `server_seq` (its value by pointer). REQUIRES: `e` outlives it.
PulledOpView ViewOf(int64_t server_seq, const RemoteOp& e, size_t value_bytes);

// Collects one page from the served entries of a scope, offered in server order from a little
// before the cursor (a store may hand whole runs): entries at or before the cursor are
// skipped, at most `limit` are taken, and one more sets has_more. With `max_bytes`, an entry
// whose size (PullOpBytes) would take the page's sum past it ends the page too (has_more),
// unless it would be the page's first.
class PullPageBuilder {
 public:
  PullPageBuilder(int64_t after, int limit, size_t max_bytes = SIZE_MAX)
      : after_(after), last_(after), last_taken_(after), limit_(limit), max_bytes_(max_bytes) {}
  enum class Verdict { kPass, kTake, kFull };
  // Whether the served entry at `server_seq`, `bytes` big, goes on the page: kPass for one at
  // or before the cursor, kFull once the page is full (then and after), else kTake.
  Verdict Admit(int64_t server_seq, size_t bytes = 0);
  // Takes `e` (moved) if it fits; false once the page is full.
  bool Offer(LogEntry& e);
  // Passes over the entry at `server_seq`, an op not served to this device (Serves): the
  // cursor may move past it.
  void Skip(int64_t server_seq);
  void Skip(const LogEntry& e) { Skip(e.server_seq); }
  bool full() const { return page_.has_more; }
  // The page, its next cursor in log `log_id`.
  HubPullPage Finish(const std::string& log_id);
  // The same for a page whose entries went elsewhere (Admit).
  HubPullEnd End(const std::string& log_id) const;

 private:
  int64_t after_, last_, last_taken_;
  int limit_;
  int count_ = 0;
  size_t max_bytes_, bytes_ = 0;
  HubPullPage page_;
};

}  // namespace gocua::hub_internal
