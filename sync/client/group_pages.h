#pragma once
// The pages of one pulled group, as Replica::ApplyPulled takes them (storage/device/replica.h):
// the pages the worker took to begin the group (PullAhead::Take), then, while the group's ops
// stay within its cap and the hub has more, the pages the network thread queued meanwhile
// (PullAhead::TakeQueuedPages: taken without waiting — a slow link ends the group rather than
// hold the database's write lock). So on a fast link one transaction, and one refresh of the
// derived tables (BulkDerived::Finish), covers many more pages than are ever held at once.
// Each page, once applied, is counted and handed back to be freed (`discard`). Internal to
// sync/client; used on the worker thread only.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "storage/device/replica.h"
#include "sync/client/pull_ahead.h"

namespace gocua::client {

class GroupPages final : public PulledPages {
 public:
  using Discard = std::function<void(std::vector<FetchedPage>)>;
  // `first`: kPage items, at least one, in order. `cursor`: the saved cursor they follow.
  // `device_id`: this device (its own ops are not counted as pulled).
  GroupPages(PullAhead& ahead, std::vector<FetchedPage> first, size_t max_ops,
             std::string cursor, std::string device_id, Discard discard);
  ~GroupPages() override;  // what was taken and not handed out is discarded too
  GroupPages(const GroupPages&) = delete;
  GroupPages& operator=(const GroupPages&) = delete;

  CheckedPage* Next() override;
  std::string Cursor() const override { return cursor_; }

  // Once Next() returned null: what the pages handed out said.
  int64_t pulled() const { return pulled_; }  // ops from other devices
  bool has_more() const { return has_more_; }
  int64_t server_time() const { return server_time_; }
  // The device list of the last page that carried one (empty: none did).
  const std::vector<protocol::DeviceSeen>& devices() const { return devices_; }

 private:
  void Finish(FetchedPage page);  // the page handed out before: counted, kept facts, freed

  PullAhead& ahead_;
  const size_t max_ops_;
  const std::string device_id_;
  const Discard discard_;
  std::deque<FetchedPage> taken_;         // taken, not yet handed out
  std::optional<FetchedPage> current_;    // handed out last
  size_t ops_ = 0;                        // ops of the pages handed out
  std::string cursor_;
  bool has_more_ = true;
  int64_t pulled_ = 0;
  int64_t server_time_ = 0;
  std::vector<protocol::DeviceSeen> devices_;
};

}  // namespace gocua::client
