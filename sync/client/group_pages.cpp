#include "sync/client/group_pages.h"

#include <algorithm>
#include <utility>

namespace gocua::client {

GroupPages::GroupPages(PullAhead& ahead, std::vector<FetchedPage> first, size_t max_ops,
                       std::string cursor, std::string device_id, Discard discard)
    : ahead_(ahead),
      max_ops_(max_ops),
      device_id_(std::move(device_id)),
      discard_(std::move(discard)),
      taken_(std::make_move_iterator(first.begin()), std::make_move_iterator(first.end())),
      cursor_(std::move(cursor)) {}

GroupPages::~GroupPages() {
  std::vector<FetchedPage> left;
  if (current_) left.push_back(std::move(*current_));
  for (FetchedPage& page : taken_) left.push_back(std::move(page));
  if (!left.empty()) discard_(std::move(left));
}

CheckedPage* GroupPages::Next() {
  if (current_) {
    Finish(std::move(*current_));
    current_.reset();
  }
  if (taken_.empty() && has_more_ && ops_ < max_ops_)
    for (FetchedPage& page : ahead_.TakeQueuedPages(max_ops_ - ops_))
      taken_.push_back(std::move(page));
  if (taken_.empty()) return nullptr;
  current_ = std::move(taken_.front());
  taken_.pop_front();
  ops_ += current_->ops.ops.size();
  return &current_->ops;
}

void GroupPages::Finish(FetchedPage page) {
  const std::vector<RemoteOp>& ops = page.ops.ops;
  pulled_ += std::count_if(ops.begin(), ops.end(),
                           [&](const RemoteOp& op) { return op.origin_device != device_id_; });
  cursor_ = page.page.next_cursor;
  has_more_ = page.page.has_more;
  server_time_ = page.page.server_time;
  if (!page.page.devices.empty()) devices_ = std::move(page.page.devices);
  std::vector<FetchedPage> done;
  done.push_back(std::move(page));
  discard_(std::move(done));
}

}  // namespace gocua::client
