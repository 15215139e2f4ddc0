// Pulled pages applied in groups (sync_engine.cpp, Run::Pull; sync/client/pull_ahead.h,
// group_pages.h), against the real gocua-hub process: the hub serves many small pages, the
// device's network thread fetches ahead, and its worker applies what has arrived in one
// transaction, going on with the pages that arrive meanwhile, up to a cap of ops. Transactions
// are observed through SQLite's commit hook on the device's connection.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/core/sqlite_db.h"
#include "storage/device/places.h"
#include "storage/device/replica.h"
#include "storage/io/export.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tests/support/client_helpers.h"
#include "tests/support/fixture.h"
#include "tests/support/hub_process.h"

namespace gocua::client {
namespace {

using test::OpenOrDie;
using test::TempDir;
using testing::AddHouseholds;

// Passes requests to libcurl and counts the pull requests sent; a thread may wait for a count.
class CountingTransport final : public HttpTransport {
 public:
  Result<HttpResponse> Send(const HttpRequest& request, const std::atomic<bool>* cancel) override {
    if (request.url.find("/v1/pull") != std::string::npos) {
      std::lock_guard<std::mutex> lock(mu_);
      ++pulls_;
      changed_.notify_all();
    }
    return curl_.Send(request, cancel);
  }
  int64_t pulls() {
    std::lock_guard<std::mutex> lock(mu_);
    return pulls_;
  }
  // Waits until `n` pull requests were sent (at most 20 s: the test's checks say the rest).
  void AwaitPulls(int64_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait_for(lock, std::chrono::seconds(20), [&] { return pulls_ >= n; });
  }

 private:
  CurlTransport curl_;
  std::mutex mu_;
  std::condition_variable changed_;
  int64_t pulls_ = 0;  // guarded by mu_
};

// What the device's connection did during a pull, in order: "C" a commit, "P<n>" a progress
// report of n ops pulled.
struct Events {
  std::vector<std::string> seen;
  bool pulling = false;
};

int OnCommit(void* arg) {
  auto* events = static_cast<Events*>(arg);
  if (events->pulling) events->seen.push_back("C");
  return 0;  // let it commit
}

// A laptop enrolled before the commune's data was pushed, that pulls it in small pages.
struct Puller {
  TempDir dir;
  SystemClock clock;
  std::unique_ptr<Database> db = OpenOrDie(dir.File("gocua.db"), clock);
  CountingTransport transport;
  SyncEngine engine;
  int limit;

  // `group_wait_ms` < 0: the default SyncOptions::pull_group_wait_ms.
  Puller(int pull_limit, int group_ops, int group_wait_ms = -1)
      : engine(*db, transport, clock, Options(pull_limit, group_ops, group_wait_ms)),
        limit(pull_limit) {}
  static SyncOptions Options(int pull_limit, int group_ops, int group_wait_ms) {
    SyncOptions o;
    o.pull_limit = pull_limit;
    o.pull_group_ops = group_ops;
    if (group_wait_ms >= 0) o.pull_group_wait_ms = group_wait_ms;
    o.pull_ahead_pages = 8;  // what the checks below count on, whatever the default
    o.sleep = [](int64_t, const std::atomic<bool>*) {};
    return o;
  }

  // Pulls `total` ops. After each group the worker waits until the network thread has fetched
  // as far ahead as it may (8 pages; it has asked for the 9th) or has asked for the last page,
  // so that groups are as large as the cap lets them be: the test is about how pages are
  // grouped, not about a link's speed.
  // Returns the sizes (ops) of the groups, each checked to have been exactly one commit.
  // `await`: false leaves the worker to wait for full groups itself (pull_group_wait_ms).
  // `hold`: the first group waits, once begun, until 8 more pages are queued (OnProgress).
  std::vector<int64_t> Pull(int64_t total, bool await = true, bool hold = false);
};

// Holds the first transaction of a pull (its first group's) as soon as it has begun, until the
// network thread has sent `until` pull requests: the pages fetched meanwhile are queued when the
// group has applied the pages it began with. Called by SQLite every 100 VM steps (a progress
// handler) on the worker thread.
struct Hold {
  CountingTransport& transport;
  int64_t until;
  sqlite3* db;
  const Events& events;
  bool done = false;
};

int OnProgress(void* arg) {
  auto* hold = static_cast<Hold*>(arg);
  if (hold->done || !hold->events.pulling || sqlite3_get_autocommit(hold->db)) return 0;
  hold->done = true;
  hold->transport.AwaitPulls(hold->until);
  return 0;  // go on
}

std::vector<int64_t> Puller::Pull(int64_t total, bool await, bool hold) {
  Events events;
  sqlite3_commit_hook(db->impl().db, OnCommit, &events);
  const int64_t pages = (total + limit - 1) / limit;
  const int64_t before = transport.pulls();  // the enrollment's
  // 8 pages taken, 8 queued after them, and the 17th asked for.
  Hold holding{transport, before + std::min<int64_t>(17, pages), db->impl().db, events};
  if (hold) sqlite3_progress_handler(db->impl().db, 100, OnProgress, &holding);
  auto progress = [&](SyncPhase phase, int64_t done, int64_t) {
    if (phase != SyncPhase::kPull) return;
    if (events.pulling) events.seen.push_back("P" + std::to_string(done));
    events.pulling = true;
    if (done > 0 && await) transport.AwaitPulls(before + std::min(done / limit + 9, pages));
  };
  SyncResult r = engine.Sync(progress);
  sqlite3_commit_hook(db->impl().db, nullptr, nullptr);
  sqlite3_progress_handler(db->impl().db, 0, nullptr, nullptr);
  REQUIRE_MESSAGE(r.ok(), r.error.message());
  CHECK(r.pulled == total);
  std::vector<int64_t> groups;
  int64_t done = 0;
  int commits = 0;
  for (const std::string& e : events.seen) {
    if (e == "C") {
      ++commits;
      continue;
    }
    const int64_t now = std::stoll(e.substr(1));
    CHECK_MESSAGE(commits == 1,
                  "a group of " << now - done << " ops in " << commits << " transactions");
    groups.push_back(now - done);
    done = now;
    commits = 0;
  }
  CHECK(done == total);
  return groups;
}

TEST_CASE("Client: pulled pages are applied in groups, one transaction each, within the cap") {
  test::HubProcess hub;
  const nlohmann::json commune =
      hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"});
  const std::string commune_id = commune["id"];
  const std::string village_id =
      hub.Ok({"village", "add", "--commune", commune_id, "Thôn", "Đông"});
  hub.Start();
  auto enroll = [&](SyncEngine& engine, const char* name) {
    EnrollResult e =
        engine.Enroll(hub.url(), hub.Ok({"enroll-code", "--commune", commune_id}), name);
    REQUIRE_MESSAGE(e.ok(), e.sync.error.message());
  };
  // Pages of 10 ops with the usual cap; pages of 10 with a cap of 35 ops (3 pages a group);
  // pages of 50 with that cap (each page alone).
  // And pages of 10 with the usual cap, the worker itself waiting for full groups (up to 60 s:
  // never reached, a group fills first).
  // And pages of 10 with the usual cap, the first group held until 8 more pages are queued.
  Puller small(10, 8000), capped(10, 35), big(50, 35), patient(10, 8000, 60000),
      streamed(10, 8000);
  enroll(small.engine, "Laptop B");
  enroll(streamed.engine, "Laptop F");
  enroll(capped.engine, "Laptop C");
  enroll(big.engine, "Laptop D");
  enroll(patient.engine, "Laptop E");

  TempDir dir;
  SystemClock clock;
  auto a = OpenOrDie(dir.File("a.db"), clock);
  CurlTransport curl;
  SyncEngine engine_a(*a, curl, clock);
  enroll(engine_a, "Laptop A");
  AddHouseholds(*a, village_id, 61);
  SyncResult pushed = engine_a.Sync();
  REQUIRE_MESSAGE(pushed.ok(), pushed.error.message());
  const int64_t total = pushed.pushed;
  REQUIRE(total > 300);  // 30 pages of 10 and more

  MESSAGE(total << " ops to pull");
  {
    const std::vector<int64_t> groups = small.Pull(total);
    // Grouping removed, this is one transaction a page: 30 and more.
    CHECK(groups.size() < static_cast<size_t>(total / 10) / 4);
    // At least the 8 pages fetched ahead, and more when more came while they were applied.
    for (size_t i = 0; i + 1 < groups.size(); ++i) CHECK(groups[i] >= 80);
    CHECK(ExportCanonicalJson(*small.db).value() == ExportCanonicalJson(*a).value());
  }
  {
    const std::vector<int64_t> groups = capped.Pull(total);
    for (int64_t ops : groups) CHECK(ops <= 35);
    // 3 pages each but the first group and the last two or so (the last page may be queued
    // just after the worker took what was there).
    CHECK(std::count(groups.begin(), groups.end(), 30) >= static_cast<int64_t>(groups.size()) - 3);
    CHECK(groups.size() >= 15);
    CHECK(ExportCanonicalJson(*capped.db).value() == ExportCanonicalJson(*a).value());
  }
  {
    // The worker, ready before the network thread has fetched anything, waits until 8 pages
    // (as many as may be fetched ahead) or the last page have come: every group but the last
    // is 8 pages or more. Without the wait the first group is the first page alone.
    const std::vector<int64_t> groups = patient.Pull(total, /*await=*/false);
    REQUIRE(groups.size() >= 2);
    for (size_t i = 0; i + 1 < groups.size(); ++i) CHECK(groups[i] >= 80);
    CHECK(groups.size() <= static_cast<size_t>((total + 79) / 80));
    CHECK(ExportCanonicalJson(*patient.db).value() == ExportCanonicalJson(*a).value());
  }
  {
    // The first group began with the 8 pages fetched ahead and, having applied them, went on
    // with the 8 queued meanwhile: 16 pages in one transaction, though at most 8 wait at once.
    // Without going on it is 8 pages (80 ops).
    const std::vector<int64_t> groups = streamed.Pull(total, /*await=*/true, /*hold=*/true);
    REQUIRE(!groups.empty());
    CHECK(groups[0] >= 160);
    CHECK(ExportCanonicalJson(*streamed.db).value() == ExportCanonicalJson(*a).value());
  }
  {  // a page bigger than the cap goes alone
    const std::vector<int64_t> groups = big.Pull(total);
    CHECK(groups.size() == static_cast<size_t>((total + 49) / 50));
    for (size_t i = 0; i + 1 < groups.size(); ++i) CHECK(groups[i] == 50);
    CHECK(ExportCanonicalJson(*big.db).value() == ExportCanonicalJson(*a).value());
  }
}

}  // namespace
}  // namespace gocua::client
