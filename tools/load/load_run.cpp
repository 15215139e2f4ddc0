#include "tools/load/load_run.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <thread>

#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "storage/device/members.h"
#include "storage/device/persons.h"
#include "storage/device/visits.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"
#include "tools/bench/fake_data.h"
#include "tools/bench/visit_maker.h"

extern char** environ;

namespace gocua::load {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

// ---- The hub: admin commands, and serving when no url is given ------------------------------

std::vector<std::string> StoreArgs(const std::string& store) {
  if (store.rfind("postgresql://", 0) == 0 || store.rfind("postgres://", 0) == 0)
    return {"--store", store};
  return {"--data", store};
}

Result<std::string> Admin(const LoadConfig& c, const std::vector<std::string>& args) {
  std::string cmd = "'" + c.hub_binary + "'";
  for (const std::string& a : args) cmd += " '" + a + "'";
  for (const std::string& a : StoreArgs(c.store)) cmd += " '" + a + "'";
  cmd += " 2>>'" + c.dir + "/admin.err'";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  if (!p || pclose(p) != 0)
    return Status(ErrorCode::kIo, "hub admin command failed (see " + c.dir + "/admin.err): " + cmd);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

struct ServedHub {
  pid_t pid = -1;
  ~ServedHub() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 500 && waitpid(pid, nullptr, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

Result<std::string> Serve(const LoadConfig& c, ServedHub* hub) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status(ErrorCode::kIo, "pipe");
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  const std::string err = c.dir + "/serve.err";
  posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> args = {c.hub_binary, "serve", "--listen", "127.0.0.1:0"};
  for (const std::string& a : StoreArgs(c.store)) args.push_back(a);
  // Every laptop here comes from 127.0.0.1.
  args.insert(args.end(), {"--max-connections-per-address", "100000"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int rc = posix_spawn(&hub->pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return Status(ErrorCode::kIo, "could not start " + c.hub_binary);
  }
  std::string line;
  char ch;
  while (line.find('\n') == std::string::npos && read(fds[0], &ch, 1) == 1) line += ch;
  close(fds[0]);
  const std::string prefix = "listening on ";
  if (line.rfind(prefix, 0) != 0)
    return Status(ErrorCode::kIo, "the hub did not start (see " + err + "): " + line);
  line.pop_back();
  return line.substr(prefix.size());
}

int64_t RssKb(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string l; std::getline(status, l);)
    if (l.rfind("VmRSS:", 0) == 0) return std::atoll(l.c_str() + 6);
  return 0;
}

bool IsLoopback(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  const std::string host = url.substr(scheme + 3);
  return host.rfind("127.", 0) == 0 || host.rfind("[::1]", 0) == 0 ||
         host.rfind("localhost", 0) == 0;
}

// "http(s)://host:port" → host, port.
bool HostPort(const std::string& url, std::string* host, int* port) {
  const size_t scheme = url.find("://");
  const size_t colon = url.rfind(':');
  if (scheme == std::string::npos || colon <= scheme + 3) return false;
  *host = url.substr(scheme + 3, colon - scheme - 3);
  if (*host == "localhost") *host = "127.0.0.1";
  *port = std::atoi(url.c_str() + colon + 1);
  return *port > 0;
}

// ---- Laptops ------------------------------------------------------------------------------

struct Laptop {
  int index = 0;
  std::unique_ptr<Database> db;
  std::unique_ptr<client::CurlTransport> curl;
  std::unique_ptr<TimedTransport> timed;
  std::unique_ptr<client::SyncEngine> engine;
  std::vector<bench::GuidedHousehold> households;
  std::unique_ptr<bench::FakeData> fake;  // the maker's; one per laptop (not thread-safe)
  std::unique_ptr<bench::VisitMaker> maker;
  size_t visits_made = 0;
  Steady::time_point next_visit, next_sync;
  std::mt19937_64 rng;
};

struct Commune {
  std::string id, village;
};

Status SetUpLaptop(const LoadConfig& c, const std::string& url, const Commune& commune, Laptop& l,
                   LoadStats& stats, const Clock& clock) {
  l.fake = std::make_unique<bench::FakeData>(2026 + static_cast<uint64_t>(l.index));
  bench::FakeData& fake = *l.fake;
  auto db = Database::Open(c.dir + "/laptops/" + std::to_string(l.index) + ".db", clock);
  if (!db) return db.error();
  l.db = std::move(db).value();
  client::CurlOptions curl_options;
  curl_options.ca_file = c.ca_file;
  l.curl = std::make_unique<client::CurlTransport>(curl_options);
  l.timed = std::make_unique<TimedTransport>(*l.curl, stats);
  client::SyncOptions options;
  options.base_backoff_ms = 500;
  options.max_backoff_ms = 5000;
  l.engine = std::make_unique<client::SyncEngine>(*l.db, *l.timed, clock, options);
  auto code = Admin(c, {"enroll-code", "--commune", commune.id});
  if (!code) return code.error();
  client::EnrollResult r = l.engine->Enroll(url, *code, "Máy " + std::to_string(l.index));
  if (!r.ok())
    return Status(ErrorCode::kIo, "laptop " + std::to_string(l.index) + " could not enroll: " +
                                      std::string(client::FailureName(r.sync.failure)) + ": " +
                                      r.sync.error.message());
  auto members = Members(*l.db).List();
  if (!members || members->empty())
    return Status(ErrorCode::kInternal, "laptop " + std::to_string(l.index) + " pulled no members");
  std::vector<std::string> member_ids;
  for (const Member& m : *members) member_ids.push_back(m.id);
  l.db->SetAuthor(member_ids[static_cast<size_t>(l.index) % member_ids.size()]);
  for (int i = 0; i < c.households; ++i) {
    Household h;
    h.village_id = commune.village;
    h.head_name = fake.FullName(i % 2 == 0);
    h.address = std::to_string(l.index) + "/" + std::to_string(i) + " ngõ Load";
    h.members_count = 4;
    h.working_age_count = 2;
    auto added = Households(*l.db).Add(h);
    if (!added) return added.error();
    bench::GuidedHousehold g{added->id, {}};
    for (int j = 0; j < 2; ++j) {
      const bench::FakePerson fp = fake.PersonOf(h.head_name);
      Person p;
      p.household_id = added->id;
      p.name = fp.name;
      p.birth_year = fp.birth_year;
      p.sex = fp.sex;
      auto person = Persons(*l.db).Add(p);
      if (!person) return person.error();
      g.person_ids.push_back(person->id);
    }
    l.households.push_back(std::move(g));
  }
  l.maker = std::make_unique<bench::VisitMaker>(member_ids, clock, fake);
  return Status::Ok();
}

}  // namespace

Result<LoadReport> RunLoad(const LoadConfig& config) {
  LoadConfig c = config;
  if (c.devices < 1 || c.communes < 1 || c.communes > c.devices)
    return Status(ErrorCode::kInvalidInput, "need 1 <= --communes <= --devices");
  if (!c.url.empty() && !IsLoopback(c.url))
    return Status(ErrorCode::kInvalidInput,
                  "gocua-load runs on loopback only; " + c.url + " is not 127.x, ::1 or localhost");
  fs::create_directories(c.dir + "/laptops");
  if (c.store.empty()) c.store = c.dir + "/hub";
  LoadReport report;
  const auto setup_start = Steady::now();

  // Communes: a village and two members each, as a leader would set them up; a few at a time
  // (a member's PIN is hashed slowly on purpose).
  std::vector<Commune> communes(static_cast<size_t>(c.communes));
  {
    std::atomic<int> next{0};
    std::mutex failed_mutex;
    Status failed = Status::Ok();
    auto make = [&](int i) -> Status {
      Commune& m = communes[static_cast<size_t>(i)];
      auto id = Admin(c, {"commune", "create", "--province", "Tỉnh Thử Tải", "--commune",
                          "Xã " + std::to_string(i + 1)});
      if (!id) return id.error();
      m.id = *id;
      auto village = Admin(c, {"village", "add", "--commune", m.id, "Thôn 1"});
      if (!village) return village.error();
      m.village = *village;
      for (const char* name : {"Nguyễn Thị Lan", "Hoàng Văn Sơn"})
        if (auto r = Admin(c, {"member", "add", "--commune", m.id, "--name", name, "--role",
                               "member", "--pin", "2468"});
            !r)
          return r.error();
      return Status::Ok();
    };
    std::vector<std::thread> makers;
    for (int t = 0; t < std::min(8, c.communes); ++t)
      makers.emplace_back([&] {
        for (int i; (i = next++) < c.communes;)
          if (Status s = make(i); !s) {
            std::lock_guard<std::mutex> lock(failed_mutex);
            failed = s;
            next = c.communes;
          }
      });
    for (std::thread& t : makers) t.join();
    if (!failed) return failed;
  }

  ServedHub served;
  std::string url = c.url;
  if (url.empty()) {
    auto started = Serve(c, &served);
    if (!started) return started.error();
    url = *started;
    c.hub_pids.push_back(served.pid);
  }
  if (!IsLoopback(url))
    return Status(ErrorCode::kInvalidInput,
                  "gocua-load runs on loopback only; " + url + " is not 127.x, ::1 or localhost");
  std::unique_ptr<ShapingProxy> proxy;
  if (c.shape.any()) {
    std::string host;
    int port = 0;
    if (!HostPort(url, &host, &port))
      return Status(ErrorCode::kInvalidInput, "cannot shape " + url + ": give host:port");
    proxy = std::make_unique<ShapingProxy>(host, port, c.shape);
    if (Status s = proxy->Start(); !s) return s;
    url = url.substr(0, url.find("://") + 3) + "127.0.0.1:" + std::to_string(proxy->port());
  }

  // Laptops, enrolled a few at a time (each code is made by a hub admin command).
  LoadStats stats;
  SystemClock clock;
  std::vector<Laptop> laptops(static_cast<size_t>(c.devices));
  std::atomic<int> next{0}, enrolled{0};
  std::mutex failed_mutex;
  Status failed = Status::Ok();
  std::vector<std::thread> enrollers;
  for (int t = 0; t < std::min(8, c.devices); ++t)
    enrollers.emplace_back([&] {
      for (int i; (i = next++) < c.devices;) {
        Laptop& l = laptops[static_cast<size_t>(i)];
        l.index = i;
        l.rng.seed(static_cast<uint64_t>(i) * 7919 + 1);
        Status s =
            SetUpLaptop(c, url, communes[static_cast<size_t>(i % c.communes)], l, stats, clock);
        if (!s) {
          std::lock_guard<std::mutex> lock(failed_mutex);
          failed = s;
          next = c.devices;
          return;
        }
        if (++enrolled % 100 == 0) std::fprintf(stderr, "  %d laptops enrolled\n", enrolled.load());
      }
    });
  for (std::thread& t : enrollers) t.join();
  if (!failed) return failed;
  if (proxy) proxy->StartCuts();
  report.setup_s = std::chrono::duration<double>(Steady::now() - setup_start).count();

  // The window: workers take the laptop whose next action is due first.
  stats.Reset();
  const auto start = Steady::now();
  const auto end = start + std::chrono::microseconds(static_cast<int64_t>(c.seconds * 1e6));
  auto gap = [](std::mt19937_64& rng, double mean_s, bool exponential) {
    double s = exponential ? std::exponential_distribution<double>(1.0 / mean_s)(rng)
                           : std::uniform_real_distribution<double>(0.5, 1.5)(rng) * mean_s;
    return std::chrono::microseconds(static_cast<int64_t>(s * 1e6));
  };
  using Due = std::pair<Steady::time_point, int>;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> queue;
  for (Laptop& l : laptops) {
    // Spread: the first sync anywhere in the first interval, not all at once.
    l.next_sync =
        start + std::chrono::microseconds(static_cast<int64_t>(
                    std::uniform_real_distribution<double>(0, c.sync_every_s)(l.rng) * 1e6));
    l.next_visit = start + gap(l.rng, c.visit_every_s, true);
    queue.push({std::min(l.next_sync, l.next_visit), l.index});
  }
  std::mutex mutex;
  std::condition_variable cv;
  std::atomic<bool> cancel{false};
  std::atomic<int64_t> syncs_started{0};
  std::atomic<int64_t> rss_peak{0};
  auto rss_now = [&] {
    int64_t sum = 0;
    for (int pid : c.hub_pids) sum += RssKb(pid);
    return sum;
  };
  auto stop = [&] { return Steady::now() >= end || cancel.load(); };
  auto worker = [&] {
    std::unique_lock<std::mutex> lock(mutex);
    while (!stop()) {
      if (queue.empty() || queue.top().first > Steady::now()) {
        cv.wait_until(lock, queue.empty() ? end : std::min(end, queue.top().first));
        continue;
      }
      Laptop& l = laptops[static_cast<size_t>(queue.top().second)];
      queue.pop();
      lock.unlock();
      const auto now = Steady::now();
      if (now >= l.next_visit) {
        const auto& h = l.households[l.visits_made % l.households.size()];
        if (Visits(*l.db).Save(l.maker->Make(h, l.visits_made)).ok()) stats.Visit();
        ++l.visits_made;
        l.next_visit = now + gap(l.rng, c.visit_every_s, true);
      }
      if (now >= l.next_sync) {
        if (c.max_syncs > 0 && ++syncs_started > c.max_syncs) {
          cancel = true;
        } else {
          client::SyncResult r = l.engine->Sync({}, &cancel);
          stats.Sync(r.pushed, r.pulled,
                     r.ok() ? std::string() : std::string(client::FailureName(r.failure)));
        }
        l.next_sync = Steady::now() + gap(l.rng, c.sync_every_s, false);
      }
      lock.lock();
      queue.push({std::min(l.next_sync, l.next_visit), l.index});
      cv.notify_one();
    }
    cv.notify_all();
  };
  std::thread sampler([&] {
    while (!stop()) {
      rss_peak = std::max<int64_t>(rss_peak, rss_now());
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, c.threads); ++i) workers.emplace_back(worker);
  while (!stop()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  cancel = true;  // syncs under way stop within about a second
  cv.notify_all();
  for (std::thread& t : workers) t.join();
  sampler.join();
  report.window_s = std::chrono::duration<double>(Steady::now() - start).count();
  report.endpoints = stats.Endpoints();
  report.syncs = stats.Syncs();
  report.hub_rss_peak_kb = rss_peak;
  report.hub_rss_end_kb = rss_now();
  if (proxy) {
    report.cuts = proxy->cuts();
    proxy->Stop();
  }
  return report;
}

}  // namespace gocua::load
