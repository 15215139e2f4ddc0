#include "tools/bench/sync_bench.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <latch>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/topics.h"
#include "storage/device/visits.h"
#include "storage/io/household_import.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tools/bench/fake_data.h"
#include "tools/bench/sync_bench_hub.h"
#include "tools/bench/sync_bench_report.h"
#include "tools/bench/timing.h"
#include "tools/bench/visit_maker.h"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define GOCUA_HAVE_CALLGRIND 1
#endif

namespace gocua::bench {
namespace {

Status Wrap(const std::string& step, const Status& st) {
  return st ? st : Status{st.code(), step + ": " + st.message()};
}

double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// --callgrind: zeroes (dump == nullptr) or dumps under the name `dump` the counts of this
// process and of the hub. Does nothing outside valgrind (the client requests are no-ops and
// callgrind_control finds no valgrind process).
void CallgrindMark(bool on, const BenchHub& hub, const char* dump) {
  if (!on) return;
#ifdef GOCUA_HAVE_CALLGRIND
  if (dump == nullptr)
    CALLGRIND_ZERO_STATS;
  else
    CALLGRIND_DUMP_STATS_AT(dump);
#endif
  const std::string cmd = std::string("callgrind_control ") +
                          (dump == nullptr ? "-z " : "-d " + std::string(dump) + " ") +
                          std::to_string(hub.pid()) + " >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0)
    std::fprintf(stderr, "callgrind_control failed: %s\n", cmd.c_str());
}

// A laptop: its database file, libcurl, the counting wrapper and the engine with the default
// options. Used by one thread at a time.
struct BenchClient {
  std::string name;
  std::unique_ptr<Database> db;
  std::unique_ptr<client::CurlTransport> curl;
  std::unique_ptr<CountingTransport> wire;
  std::unique_ptr<client::SyncEngine> engine;
};

Result<std::unique_ptr<BenchClient>> NewClient(const std::string& name, const std::string& path,
                                               const Clock& clock, bool callgrind) {
  auto c = std::make_unique<BenchClient>();
  c->name = name;
  auto db = Database::Open(path, clock);
  if (!db) return Wrap("open " + path, db.error());
  c->db = std::move(*db);
  const client::CurlOptions curl_options;
  c->curl = std::make_unique<client::CurlTransport>(curl_options);
  c->wire = std::make_unique<CountingTransport>(*c->curl, curl_options.gzip_min_bytes);
  client::SyncOptions options;
  // Under valgrind every push takes longer than fast_push_ms, so the engine would never grow
  // its batches and would read again every batch it read ahead: --callgrind counts every push
  // as fast, as it is outside valgrind.
  if (callgrind) options.fast_push_ms = int64_t{1} << 40;
  // Likewise the pull's 300 ms wait for a full group runs out under valgrind before the slowed
  // network thread has fetched one, so a pull made 3 to 5 groups by thread timing, and each
  // group refreshes the derived rows of what it touched (±10 M a run): --callgrind waits for
  // full groups, as a fast link fills them outside valgrind.
  if (callgrind) options.pull_group_wait_ms = 1 << 30;
  c->engine = std::make_unique<client::SyncEngine>(*c->db, *c->wire, clock, options);
  return c;
}

// Enrolls `c` with a fresh code; its first sync downloads the commune as it is.
Status Enroll(BenchClient& c, BenchHub& hub, const std::string& commune_id) {
  auto code = hub.Admin({"enroll-code", "--commune", commune_id});
  if (!code) return code.error();
  client::EnrollResult r = c.engine->Enroll(hub.Url(), *code, c.name);
  if (!r.ok())
    return Status{ErrorCode::kIo, "enroll " + c.name + ": " +
                                      std::string(client::FailureName(r.sync.failure)) + ": " +
                                      r.sync.error.message()};
  c.wire->Reset();
  return Status::Ok();
}

// Imports `n` households from a spreadsheet (one transaction) and adds two persons to each
// with Persons::Add (one transaction each), as a commune's first days on a laptop.
Result<std::vector<GuidedHousehold>> MakeHouseholds(Database& db, FakeData& fake, size_t n) {
  auto report = ImportHouseholdsCsv(db, HouseholdsCsv(fake.Households(n)), {});
  if (!report) return Wrap("import", report.error());
  if (report->imported != n)
    return Status{ErrorCode::kInternal,
                  "import wrote " + std::to_string(report->imported) + " of " + std::to_string(n) +
                      " households; first problem: " +
                      (report->problems.empty() ? "none" : report->problems[0].reason)};
  std::vector<GuidedHousehold> out;
  Households households(db);
  Persons persons(db);
  for (int offset = 0;; offset += 5000) {
    auto page = households.List({"", 5000, offset});
    if (!page) return Wrap("list households", page.error());
    for (const Household& h : *page) {
      GuidedHousehold g{h.id, {}};
      for (int j = 0; j < 2; ++j) {
        FakePerson fp = fake.PersonOf(h.head_name);
        Person p;
        p.household_id = h.id;
        p.name = fp.name;
        p.birth_year = fp.birth_year;
        p.sex = fp.sex;
        auto added = persons.Add(p);
        if (!added) return Wrap("add person", added.error());
        g.person_ids.push_back(added->id);
      }
      out.push_back(std::move(g));
    }
    if (page->size() < 5000) return out;
  }
}

Result<std::vector<std::string>> MemberIds(Database& db) {
  auto members = Members(db).List();
  if (!members) return Wrap("members", members.error());
  std::vector<std::string> ids;
  for (const Member& m : *members) ids.push_back(m.id);
  if (ids.empty()) return Status{ErrorCode::kInternal, "the client pulled no members"};
  return ids;
}

Result<int64_t> Pending(Database& db) {
  auto n = ChangeLog(db).PendingCount();
  if (!n) return Wrap("change log", n.error());
  return *n;
}

// One Sync() of `c`, timed, split at the start of its pull. With `stop_at_pull` the run is
// cancelled there (its result then says kCancelled): the push alone.
struct TimedSync {
  client::SyncResult result;
  SyncRun run;
  BenchClock::time_point pull_started;
};

TimedSync RunSync(BenchClient& c, const BenchHub& hub, bool stop_at_pull) {
  TimedSync t;
  std::atomic<bool> cancel{false};
  bool in_pull = false;
  double cpu_at_pull = 0, hub_cpu_at_pull = 0;
  const double cpu_start = CpuSeconds(), hub_cpu_start = hub.CpuSeconds();
  const auto start = BenchClock::now();
  t.pull_started = start;
  auto progress = [&](client::SyncPhase phase, int64_t, int64_t) {
    if (phase != client::SyncPhase::kPull || in_pull) return;
    in_pull = true;
    t.pull_started = BenchClock::now();
    cpu_at_pull = CpuSeconds();
    hub_cpu_at_pull = hub.CpuSeconds();
    if (stop_at_pull) cancel.store(true);
  };
  t.result = c.engine->Sync(progress, &cancel);
  const auto end = BenchClock::now();
  const double cpu_end = CpuSeconds(), hub_cpu_end = hub.CpuSeconds();
  if (!in_pull) {  // failed before pulling: all of it counts as the push
    t.pull_started = end;
    cpu_at_pull = cpu_end;
    hub_cpu_at_pull = hub_cpu_end;
  }
  t.run.wall_s = ToSeconds(end - start);
  t.run.push_s = ToSeconds(t.pull_started - start);
  t.run.pull_s = ToSeconds(end - t.pull_started);
  t.run.client_cpu_push_s = cpu_at_pull - cpu_start;
  t.run.client_cpu_pull_s = cpu_end - cpu_at_pull;
  t.run.hub_cpu_push_s = hub_cpu_at_pull - hub_cpu_start;
  t.run.hub_cpu_pull_s = hub_cpu_end - hub_cpu_at_pull;
  return t;
}

Status SyncFailed(const BenchClient& c, const client::SyncResult& r) {
  return Status{ErrorCode::kIo, c.name + " sync: " + std::string(client::FailureName(r.failure)) +
                                    ": " + r.error.message()};
}

// A hub of its own for each benchmark, in dir/NAME, stopped on every way out.
struct HubScope {
  BenchHub hub;
  HubScope(const SyncBenchConfig& config, const std::string& name)
      : hub(config.hub_binary, config.dir + "/" + name) {
    std::error_code ec;
    std::filesystem::create_directories(config.dir + "/" + name, ec);
    if (!config.store.empty()) hub.UseStore(config.store);
  }
  ~HubScope() { (void)hub.Stop(); }
};

Status RunEndToEnd(const SyncBenchConfig& config, const Clock& clock, EndToEndResults& r,
                   std::ostream& log) {
  HubScope scope(config, "e2e-hub");
  BenchHub& hub = scope.hub;
  auto commune = SetUpCommune(hub);
  if (!commune) return Wrap("set up the hub", commune.error());
  if (Status st = hub.Start(); !st) return st;
  log << "e2e: hub at " << hub.Url() << "\n";

  auto a = NewClient("bench-a", config.dir + "/e2e-a.db", clock, config.callgrind);
  if (!a) return a.error();
  auto b = NewClient("bench-b", config.dir + "/e2e-b.db", clock, config.callgrind);
  if (!b) return b.error();
  BenchClient& pusher = **a;
  BenchClient& puller = **b;
  if (Status st = Enroll(pusher, hub, *commune); !st) return st;

  log << "e2e: " << config.households << " households and " << 2 * config.households
      << " persons on the pushing client\n";
  FakeData fake(3);
  auto guided = MakeHouseholds(*pusher.db, fake, config.households);
  if (!guided) return guided.error();
  r.households = guided->size();
  r.persons = 2 * guided->size();
  if (auto s = pusher.engine->Sync(); !s.ok()) return SyncFailed(pusher, s);
  log << "e2e: the second client enrolls and downloads them\n";
  if (Status st = Enroll(puller, hub, *commune); !st) return st;

  log << "e2e: saving " << config.visits << " visits on the pushing client\n";
  auto members = MemberIds(*pusher.db);
  if (!members) return members.error();
  VisitMaker maker(*members, clock, fake);
  pusher.db->SetAuthor(members->front());  // a member is signed in, as in the app
  Visits visits(*pusher.db);
  const auto save_start = BenchClock::now();
  for (size_t i = 0; i < config.visits; ++i)
    if (auto v = visits.Save(maker.Make((*guided)[(i * 7919) % guided->size()], i)); !v)
      return Wrap("save visit", v.error());
  r.save_s = ToSeconds(BenchClock::now() - save_start);
  r.visits = config.visits;
  auto pending = Pending(*pusher.db);
  if (!pending) return pending.error();
  r.ops = *pending;

  log << "e2e: pushing " << r.ops << " ops\n";
  pusher.wire->Reset();
  CallgrindMark(config.callgrind, hub, nullptr);
  TimedSync push = RunSync(pusher, hub, /*stop_at_pull=*/false);
  CallgrindMark(config.callgrind, hub, "push");
  if (!push.result.ok()) return SyncFailed(pusher, push.result);
  if (push.result.pushed != r.ops || push.result.pending != 0 || push.result.quarantined != 0 ||
      push.result.conflicts != 0)
    return Status{ErrorCode::kInternal,
                  "the push acknowledged " + std::to_string(push.result.pushed) + " of " +
                      std::to_string(r.ops) + " ops (" + std::to_string(push.result.pending) +
                      " pending, " + std::to_string(push.result.quarantined) + " quarantined, " +
                      std::to_string(push.result.conflicts) + " conflicts)"};

  log << "e2e: pulling into the second client\n";
  puller.wire->Reset();
  TimedSync pull = RunSync(puller, hub, /*stop_at_pull=*/false);
  CallgrindMark(config.callgrind, hub, "pull");
  if (!pull.result.ok()) return SyncFailed(puller, pull.result);
  r.pulled = pull.result.pulled;
  if (r.pulled != r.ops)
    return Status{ErrorCode::kInternal, "the second client pulled " + std::to_string(r.pulled) +
                                            " ops, not the " + std::to_string(r.ops) + " pushed"};

  log << "e2e: counting bytes\n";
  r.push = push.run;
  r.push.wire = pusher.wire->Tally();
  r.pull = pull.run;
  r.pull.wire = puller.wire->Tally();
  return hub.Stop();
}

Status RunIngest(const SyncBenchConfig& config, const Clock& clock, IngestResults& r,
                 std::ostream& log) {
  HubScope scope(config, "ingest-hub");
  BenchHub& hub = scope.hub;
  auto commune = SetUpCommune(hub);
  if (!commune) return Wrap("set up the hub", commune.error());
  if (Status st = hub.Start(); !st) return st;
  log << "ingest: hub at " << hub.Url() << "\n";

  std::vector<std::unique_ptr<BenchClient>> clients;
  for (int i = 0; i < config.clients; ++i) {
    const std::string name = "ingest-" + std::to_string(i + 1);
    auto c = NewClient(name, config.dir + "/" + name + ".db", clock, config.callgrind);
    if (!c) return c.error();
    if (Status st = Enroll(**c, hub, *commune); !st) return st;
    BenchClient& client = **c;
    FakeData fake(100 + static_cast<uint64_t>(i));
    auto guided = MakeHouseholds(*client.db, fake, config.ingest_households);
    if (!guided) return guided.error();
    auto members = MemberIds(*client.db);
    if (!members) return members.error();
    VisitMaker maker(*members, clock, fake);
    client.db->SetAuthor(members->front());
    Visits visits(*client.db);
    ChangeLog change_log(*client.db);
    for (size_t v = 0;; ++v) {
      if (v % 50 == 0) {
        auto last = change_log.LastSeq();
        if (!last) return Wrap("change log", last.error());
        if (static_cast<size_t>(*last) >= config.ops_per_client) break;
      }
      if (auto saved = visits.Save(maker.Make((*guided)[(v * 7919) % guided->size()], v)); !saved)
        return Wrap("save visit", saved.error());
    }
    auto pending = Pending(*client.db);
    if (!pending) return pending.error();
    r.ops += *pending;
    log << "ingest: " << name << " holds " << *pending << " ops\n";
    clients.push_back(std::move(*c));
  }

  log << "ingest: " << config.clients << " clients push at once\n";
  r.clients = config.clients;
  std::vector<TimedSync> runs(clients.size());
  std::latch ready(static_cast<std::ptrdiff_t>(clients.size()) + 1);
  const double hub_cpu_start = hub.CpuSeconds(), cpu_start = CpuSeconds();
  std::vector<std::thread> threads;
  for (size_t i = 0; i < clients.size(); ++i)
    threads.emplace_back([&, i] {
      ready.arrive_and_wait();
      runs[i] = RunSync(*clients[i], hub, /*stop_at_pull=*/true);
    });
  ready.arrive_and_wait();
  const auto start = BenchClock::now();
  for (std::thread& t : threads) t.join();
  r.hub_cpu_s = hub.CpuSeconds() - hub_cpu_start;
  r.client_cpu_s = CpuSeconds() - cpu_start;

  int64_t pushed = 0;
  r.first_done_s = -1;
  for (size_t i = 0; i < clients.size(); ++i) {
    const client::SyncResult& s = runs[i].result;
    if (s.failure != client::SyncFailure::kCancelled || s.pending != 0)
      return Status{ErrorCode::kIo,
                    clients[i]->name + " push: " + std::string(client::FailureName(s.failure)) +
                        ", " + std::to_string(s.pending) + " ops left: " + s.error.message()};
    pushed += s.pushed;
    const double done = ToSeconds(runs[i].pull_started - start);
    r.wall_s = std::max(r.wall_s, done);
    r.first_done_s = r.first_done_s < 0 ? done : std::min(r.first_done_s, done);
    const auto tally = clients[i]->wire->Tally();
    const WireTally sum = Sum(tally, {"push"});
    r.wire.requests += sum.requests;
    r.wire.failed += sum.failed;
    r.wire.request_json += sum.request_json;
    r.wire.request_sent += sum.request_sent;
    r.wire.reply_json += sum.reply_json;
    r.wire.reply_sent += sum.reply_sent;
    r.wire.waiting += sum.waiting;
  }
  if (pushed != r.ops)
    return Status{ErrorCode::kInternal, "the clients pushed " + std::to_string(pushed) + " of " +
                                            std::to_string(r.ops) + " ops"};
  return hub.Stop();
}

}  // namespace

SyncBenchConfig FullSyncConfig(std::string dir, std::string hub_binary) {
  SyncBenchConfig c;
  c.dir = std::move(dir);
  c.hub_binary = std::move(hub_binary);
  return c;
}

SyncBenchConfig QuickSyncConfig(std::string dir, std::string hub_binary) {
  SyncBenchConfig c = FullSyncConfig(std::move(dir), std::move(hub_binary));
  c.visits = 1000;
  c.households = 100;
  c.ops_per_client = 2000;
  c.ingest_households = 20;
  c.quick = true;
  return c;
}

Result<std::string> RunSyncBenchmarks(const SyncBenchConfig& config, std::ostream& log) {
  SystemClock clock;
  SyncResults r;
  if (config.only.empty() || config.only == "e2e")
    if (Status st = RunEndToEnd(config, clock, r.e2e, log); !st) return st;
  if (config.only.empty() || config.only == "ingest")
    if (Status st = RunIngest(config, clock, r.ingest, log); !st) return st;
  return RenderSyncReport(config, r);
}

}  // namespace gocua::bench
