// The sync engine fetching the next pull page while the pages before it are applied, and
// applying pages in groups (fake_hub.h PullWorld): failures, cancels and 410s in the middle.
#include "tests/sync/client/fake_hub.h"

namespace gocua::client {
namespace {

using namespace fake_hub;

TEST_CASE(
    "Client: a group of pages that fails in its middle page applies nothing of the group and keeps "
    "its cursor, and the next sync resumes there") {
  PullWorld p;
  REQUIRE(p.HouseholdsIn(100) < p.HouseholdsIn(200));
  // Op 250 (page 3) is of a record type this build does not know, until the update below.
  const Op known = p.w.hub.log[249].op;
  p.w.hub.log[249].op.record_type = "drone_flight";
  // Page 1 is a group of its own: page 2 is asked for only once page 1 is applied. Pages 2–4
  // then wait together: the worker goes on only once page 5 has been asked for.
  std::mutex mu;
  std::condition_variable changed;
  bool page1_applied = false, page5_asked = false;
  auto wait_for = [&](const bool& flag) {
    std::unique_lock<std::mutex> lock(mu);
    changed.wait_for(lock, std::chrono::seconds(10), [&] { return flag; });
  };
  auto set = [&](bool& flag) {
    std::lock_guard<std::mutex> lock(mu);
    flag = true;
    changed.notify_all();
  };
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.100&")) wait_for(page1_applied);
    if (Contains(r.url, "after=e1.400&")) set(page5_asked);
  };
  auto progress = [&](SyncPhase phase, int64_t done, int64_t) {
    if (phase != SyncPhase::kPull || done != 100) return;
    set(page1_applied);
    wait_for(page5_asked);
  };
  SyncResult r = p.b.engine->Sync(progress);
  CHECK(r.failure == SyncFailure::kTooOld);
  CHECK(Contains(r.error.message(), "cannot apply op"));
  CHECK(page5_asked);
  CHECK(r.pulled == 100);
  // Nothing of the group (pages 2–4 at least; page 2 is good) was applied, and the cursor is
  // page 1's.
  CHECK(p.Cursor() == "e1.100");
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(100));

  // The app is updated (the op is one it knows): the next sync starts after page 1 and gets
  // every op after it, once.
  p.w.hub.log[249].op = known;
  p.w.hub.on_request = {};
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync();
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  REQUIRE_FALSE(p.Pulls().empty());
  CHECK(p.Pulls().front().first == "e1.100");
  CHECK(again.pulled == p.ops - 100);
  p.CheckConverged();
}

TEST_CASE(
    "Client: cancelling while the next page is fetched passes the cancel on to the transfer, and "
    "the next sync resumes") {
  PullWorld p;
  std::atomic<bool> cancel{false};
  std::atomic<int64_t> waited_ms{-1};
  // The person cancels while page 3 is on the wire; the transfer ends when the engine passes
  // the cancel on to it (as libcurl's progress callback would see it).
  p.w.hub.on_send = [&](const HttpRequest& r, const std::atomic<bool>* engine_cancel) {
    if (!Contains(r.url, "after=e1.200&")) return false;
    cancel = true;
    const auto start = std::chrono::steady_clock::now();
    auto waited = [&] { return std::chrono::steady_clock::now() - start; };
    while (!(engine_cancel && engine_cancel->load()) && waited() < std::chrono::seconds(5))
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (engine_cancel && engine_cancel->load())
      waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(waited()).count();
    return true;
  };
  SyncResult r = p.b.engine->Sync({}, &cancel);
  CHECK(r.failure == SyncFailure::kCancelled);
  CHECK(waited_ms >= 0);  // the transfer saw the cancel (it gives up waiting after 5 s)
  // Pages 1 and 2 were fetched before the cancel; what had come when the worker saw the cancel
  // is applied (whether it had applied page 1 already, was waiting for a fuller group, or had
  // not looked yet), with its cursor; nothing after it.
  CHECK(r.pulled == 200);
  const std::string cursor = "e1." + std::to_string(r.pulled);
  CHECK(p.Cursor() == cursor);
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(r.pulled));

  cancel = false;
  p.w.hub.on_send = {};
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync({}, &cancel);
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  CHECK(p.Pulls().front().first == cursor);
  CHECK(again.pulled == p.ops - r.pulled);
  p.CheckConverged();
}

TEST_CASE("Client: a link cut while the next page is fetched is retried with a smaller page") {
  PullWorld p;
  // The reply to page 3's first request is lost.
  bool cut = false;
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (cut || !Contains(r.url, "after=e1.200&")) return;
    cut = true;
    p.w.hub.drop_after = 1;
  };
  SyncResult r = p.b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pulled == p.ops);
  CHECK(p.b.waits.size() == 1);
  const auto pulls = p.Pulls();
  REQUIRE(pulls.size() >= 5);
  CHECK(pulls[2] == std::pair<std::string, int>("e1.200", 100));
  CHECK(pulls[3] == std::pair<std::string, int>("e1.200", 50));
  CHECK(pulls[4] == std::pair<std::string, int>("e1.250", 100));
  p.CheckConverged();
}

TEST_CASE(
    "Client: a dead link while the next page is fetched keeps the pages applied, and the next sync "
    "resumes") {
  PullWorld p;
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.200&") && p.w.hub.drop_before == 0) p.w.hub.drop_before = 1000;
  };
  SyncResult r = p.b.engine->Sync();
  CHECK(r.failure == SyncFailure::kNetwork);
  CHECK(r.pulled == 200);
  CHECK(p.Cursor() == "e1.200");
  CHECK(p.b.HouseholdCount() == p.HouseholdsIn(200));

  p.w.hub.on_request = {};
  p.w.hub.drop_before = 0;
  p.w.hub.seen.clear();
  SyncResult again = p.b.engine->Sync();
  REQUIRE_MESSAGE(again.ok(), again.error.message());
  CHECK(p.Pulls().front().first == "e1.200");
  CHECK(again.pulled == p.ops - 200);
  p.CheckConverged();
}

TEST_CASE(
    "Client: a 410 for the page fetched ahead downloads the commune again after the pages "
    "applied") {
  PullWorld p;
  // The hub rebuilds its log while page 2 is applied: page 3's cursor is no longer served.
  p.w.hub.on_request = [&](const HttpRequest& r) {
    if (Contains(r.url, "after=e1.200&")) p.w.hub.epoch = 2;
  };
  SyncResult r = p.b.engine->Sync();
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pulled == 200 + p.ops);  // pages 1–2, then everything again (merging is idempotent)
  const auto pulls = p.Pulls();
  REQUIRE(pulls.size() >= 5);
  CHECK(pulls[0].first == "e1.0");  // B enrolled when the log was empty
  CHECK(pulls[1].first == "e1.100");
  CHECK(pulls[2].first == "e1.200");
  CHECK(pulls[3].first.empty());
  CHECK(pulls[4].first == "e2.100");
  CHECK(p.Cursor().rfind("e2.", 0) == 0);
  p.CheckConverged();
}

}  // namespace
}  // namespace gocua::client
