// Cursors and pages of the pull policy (sync/hub/store/pull_page.h), and the default
// HubStore::PullInto over Pull.
#include "sync/hub/store/pull_page.h"

#include <cstdlib>

namespace gocua {
namespace hub_internal {

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

PullPageBuilder::Verdict PullPageBuilder::Admit(int64_t server_seq, size_t bytes) {
  if (page_.has_more) return Verdict::kFull;
  if (server_seq <= after_) return Verdict::kPass;
  if (count_ == limit_ || (count_ > 0 && bytes_ + bytes > max_bytes_)) {
    page_.has_more = true;
    return Verdict::kFull;
  }
  bytes_ += bytes;
  ++count_;
  last_ = last_taken_ = server_seq;
  return Verdict::kTake;
}

bool PullPageBuilder::Offer(LogEntry& e) {
  switch (Admit(e.server_seq)) {
    case Verdict::kPass:
      return true;
    case Verdict::kFull:
      return false;
    case Verdict::kTake:
      break;
  }
  page_.value_bytes.push_back(e.value_bytes);
  page_.ops.emplace_back(e.server_seq, std::move(e.op));
  return true;
}

void PullPageBuilder::Skip(int64_t server_seq) {
  if (page_.has_more || server_seq <= after_) return;
  if (count_ == limit_) return;  // the next page passes it again
  last_ = server_seq;
}

bool NeedsMemberRole(std::string_view record_type, std::string_view field) {
  return field == "pin_hash" && record_type == "member";
}

bool Serves(const HubDevice& device, std::string_view record_type, std::string_view field,
            std::string_view member_role) {
  return !NeedsMemberRole(record_type, field) || device.role == Role::kLeader ||
         member_role != "leader";
}

size_t PullOpBytes(const PulledOpView& op) {
  return op.value_bytes + op.origin_device.size() + op.record_type.size() +
         op.record_id.size() + op.field.size() + op.base_device.size() + op.author.size() +
         op.seen_device.size() + 256;
}

PulledOpView ViewOf(int64_t server_seq, const RemoteOp& e, size_t value_bytes) {
  PulledOpView v;
  v.server_seq = server_seq;
  v.origin_device = e.origin_device;
  v.seq = e.seq;
  v.record_type = e.record_type;
  v.record_id = e.record_id;
  v.field = e.field;
  v.value = &e.value;
  v.value_bytes = value_bytes;
  v.base_hlc = e.base.hlc;
  v.base_device = e.base.device;
  v.hlc = e.hlc;
  v.author = e.author;
  v.seen_hlc = e.seen.hlc;
  v.seen_device = e.seen.device;
  return v;
}

// The cursor after a page: past the ops passed over too, but not when more are served after
// the page (those passed over after its last op are passed again by the next page).
HubPullPage PullPageBuilder::Finish(const std::string& log_id) {
  page_.next_cursor = End(log_id).next_cursor;
  return std::move(page_);
}

HubPullEnd PullPageBuilder::End(const std::string& log_id) const {
  HubPullEnd end;
  end.has_more = page_.has_more;
  end.next_cursor = log_id + "." + std::to_string(page_.has_more ? last_taken_ : last_);
  return end;
}

}  // namespace hub_internal

Result<HubPullEnd> HubStore::PullInto(const HubDevice& device, const std::string& cursor,
                                      int limit, size_t max_bytes, PullSink& sink) {
  using hub_internal::PullOpBytes;
  using hub_internal::ViewOf;
  Result<HubPullPage> page = Pull(device, cursor, limit);
  if (!page) return page.error();
  // The store counts ops only: a page cut by bytes is read again with the count that fits,
  // which gives the cursor after the last op kept.
  size_t bytes = 0, fit = 0;
  for (size_t i = 0; i < page->ops.size(); ++i) {
    bytes += PullOpBytes(ViewOf(page->ops[i].first, page->ops[i].second, page->value_bytes[i]));
    if (fit > 0 && bytes > max_bytes) break;
    ++fit;
  }
  if (fit < page->ops.size()) {
    page = Pull(device, cursor, static_cast<int>(fit));
    if (!page) return page.error();
  }
  for (size_t i = 0; i < page->ops.size(); ++i)
    sink.Add(ViewOf(page->ops[i].first, page->ops[i].second, page->value_bytes[i]));
  HubPullEnd end;
  end.next_cursor = std::move(page->next_cursor);
  end.has_more = page->has_more;
  end.cursor_expired = page->cursor_expired;
  return end;
}

}  // namespace gocua
