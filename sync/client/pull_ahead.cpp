#include "sync/client/pull_ahead.h"

#include <utility>

namespace gocua::client {

bool PullAhead::Push(FetchedPage item) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      // The discarded groups are destroyed outside the lock, the worker's Take() not held up.
      std::vector<std::vector<FetchedPage>> done = std::move(discarded_);
      discarded_.clear();
      if (!done.empty()) {
        lock.unlock();
        done.clear();
        lock.lock();
        continue;
      }
      if (closed_ || items_.size() < max_pages_) break;
      changed_.wait(lock);
    }
    if (closed_) return false;
    queued_ops_ += item.ops.ops.size();
    items_.push_back(std::move(item));
  }
  changed_.notify_all();
  return true;
}

std::vector<FetchedPage> PullAhead::Take(size_t max_ops, std::chrono::milliseconds wait) {
  std::vector<FetchedPage> group;
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (!changed_.wait_for(lock, wait, [&] { return !items_.empty(); })) return group;
    size_t ops = 0;
    while (!items_.empty()) {
      FetchedPage& next = items_.front();
      const bool page = next.kind == FetchedPage::Kind::kPage;
      if (!group.empty() && (!page || ops + next.ops.ops.size() > max_ops)) break;
      ops += next.ops.ops.size();
      queued_ops_ -= next.ops.ops.size();
      group.push_back(std::move(next));
      items_.pop_front();
      if (!page) break;  // a kExpired or kFailed item goes alone
    }
  }
  changed_.notify_all();
  return group;
}

std::vector<FetchedPage> PullAhead::TakeQueuedPages(size_t max_ops) {
  std::vector<FetchedPage> pages;
  {
    std::lock_guard<std::mutex> lock(mu_);
    size_t ops = 0;
    while (!items_.empty()) {
      FetchedPage& next = items_.front();
      if (next.kind != FetchedPage::Kind::kPage || ops + next.ops.ops.size() > max_ops) break;
      ops += next.ops.ops.size();
      queued_ops_ -= next.ops.ops.size();
      pages.push_back(std::move(next));
      items_.pop_front();
    }
  }
  if (!pages.empty()) changed_.notify_all();
  return pages;
}

bool PullAhead::AwaitFullGroup(size_t max_ops, std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_for(lock, wait, [&] {
    if (closed_) return true;  // nothing more comes: what is queued is all there is
    if (items_.empty()) return false;
    const FetchedPage& last = items_.back();
    return queued_ops_ >= max_ops || items_.size() >= max_pages_ ||
           last.kind != FetchedPage::Kind::kPage || !last.page.has_more;
  });
}

std::vector<FetchedPage> PullAhead::Discard(std::vector<FetchedPage> group) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (fetching_ == 0) return group;
    discarded_.push_back(std::move(group));
  }
  changed_.notify_all();
  return {};
}

void PullAhead::FetchBegins() {
  std::lock_guard<std::mutex> lock(mu_);
  ++fetching_;
}

void PullAhead::FetchOver() {
  std::vector<std::vector<FetchedPage>> done;  // destroyed after `lock` releases the mutex
  std::lock_guard<std::mutex> lock(mu_);
  --fetching_;
  done.swap(discarded_);
}

void PullAhead::Close() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
  }
  changed_.notify_all();
}

}  // namespace gocua::client
