// Cursors and pages of the pull policy (sync/hub/store/pull_page.h).
#include "sync/hub/store/pull_page.h"

#include <cstdlib>

namespace gocua::hub_internal {

CursorPosition ParseCursor(const std::string& cursor, const std::string& log_id, int64_t max_seq) {
  CursorPosition pos;
  if (cursor.empty()) return pos;
  const size_t dot = cursor.find('.');
  char* end = nullptr;
  const std::string number = dot == std::string::npos ? "" : cursor.substr(dot + 1);
  pos.after = std::strtoll(number.c_str(), &end, 10);
  if (dot == std::string::npos || cursor.substr(0, dot) != log_id || number.empty() ||
      *end != '\0' || pos.after < 0 || pos.after > max_seq)
    pos.expired = true;
  return pos;
}

bool PullPageBuilder::Offer(LogEntry& e) {
  if (page_.has_more) return false;
  if (e.server_seq <= after_) return true;
  if (static_cast<int>(page_.ops.size()) == limit_) {
    page_.has_more = true;
    return false;
  }
  last_ = e.server_seq;
  page_.value_bytes.push_back(e.value_bytes);
  page_.ops.emplace_back(last_, std::move(e.op));
  return true;
}

void PullPageBuilder::Skip(const LogEntry& e) {
  if (page_.has_more || e.server_seq <= after_) return;
  if (static_cast<int>(page_.ops.size()) == limit_) return;  // the next page passes it again
  last_ = e.server_seq;
}

bool NeedsMemberRole(const RemoteOp& op) {
  return op.field == "pin_hash" && op.record_type == "member";
}

bool Serves(const HubDevice& device, const RemoteOp& op, std::string_view member_role) {
  return !NeedsMemberRole(op) || device.role == Role::kLeader || member_role != "leader";
}

HubPullPage PullPageBuilder::Finish(const std::string& log_id) {
  page_.next_cursor = log_id + "." + std::to_string(last_);
  return std::move(page_);
}

}  // namespace gocua::hub_internal
