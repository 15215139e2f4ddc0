// PullAhead (sync/client/pull_ahead.h) on its own: who destroys a group the worker is done with,
// and what a group going on takes.
#include "sync/client/pull_ahead.h"

#include <doctest/doctest.h>

namespace gocua::client {
namespace {

std::vector<FetchedPage> GroupOf(size_t pages) {
  std::vector<FetchedPage> group(pages);
  for (FetchedPage& p : group) {
    p.kind = FetchedPage::Kind::kPage;
    p.ops.ops.resize(3);
    p.ops.ops[0].record_id = std::string(40, 'x');  // on the heap
  }
  return group;
}

TEST_CASE(
    "PullAhead: a discarded group is taken while a fetching job runs, and given back when none "
    "does") {
  PullAhead ahead(4);
  // None begun: the caller keeps it, whole.
  std::vector<FetchedPage> back = ahead.Discard(GroupOf(2));
  REQUIRE(back.size() == 2);
  CHECK(back[0].ops.ops.size() == 3);

  ahead.FetchBegins();
  CHECK(ahead.Discard(GroupOf(2)).empty());
  // The network thread's next Push() destroys what was discarded, and queues its page.
  FetchedPage page;
  page.kind = FetchedPage::Kind::kPage;
  page.page.has_more = false;
  REQUIRE(ahead.Push(std::move(page)));
  CHECK(ahead.Take(100, std::chrono::milliseconds(0)).size() == 1);
  CHECK(ahead.Discard(GroupOf(1)).empty());
  ahead.FetchOver();  // destroys the one queued since
  CHECK(ahead.Discard(GroupOf(1)).size() == 1);
}

TEST_CASE(
    "PullAhead: a fetching job begun before the one before it is over keeps discarded groups "
    "taken") {
  // A 410 restart: the worker posts the new job while the old one may still be returning.
  PullAhead ahead(4);
  ahead.FetchBegins();
  ahead.FetchBegins();
  ahead.FetchOver();  // the old job, last
  CHECK(ahead.Discard(GroupOf(1)).empty());
  ahead.FetchOver();
  CHECK(ahead.Discard(GroupOf(1)).size() == 1);
}

TEST_CASE(
    "PullAhead: a group going on takes the pages queued now, within its ops, never a failure") {
  PullAhead ahead(8);
  CHECK(ahead.TakeQueuedPages(100).empty());  // nothing queued: at once, nothing
  for (FetchedPage& page : GroupOf(3)) REQUIRE(ahead.Push(std::move(page)));
  FetchedPage failed;  // kFailed
  REQUIRE(ahead.Push(std::move(failed)));
  CHECK(ahead.TakeQueuedPages(2).empty());  // the first page alone is 3 ops
  CHECK(ahead.TakeQueuedPages(7).size() == 2);
  // The last page, then nothing: the failure is left for Take(), alone.
  CHECK(ahead.TakeQueuedPages(100).size() == 1);
  CHECK(ahead.TakeQueuedPages(100).empty());
  std::vector<FetchedPage> rest = ahead.Take(100, std::chrono::milliseconds(0));
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].kind == FetchedPage::Kind::kFailed);
}

}  // namespace
}  // namespace gocua::client
