// gocua-hub-slow-clients: the hub under slow and hostile clients (issue 15), bounded, on
// loopback, against the real `gocua-hub serve`:
//   1. 500 slow sockets (a third idle, a third sending headers a byte a second, a third sending
//      a body a byte a second; each from its own 127.x address, reconnecting when cut), and
//      meanwhile 100 honest devices (own SQLite database, the sync engine over libcurl) each
//      add households and run one sync. Every honest sync must complete; p50/p99 of them.
//   2. A header flood: 4 connections sending header lines without end (64 MB each at most).
//      Hub RSS before, under the slow sockets, at the flood's peak and after it.
// Prints one table row per hub binary given (old and new side by side).
//   gocua-hub-slow-clients [--hub PATH]... [--slow N] [--devices N] [--guard S] [--dir DIR]
// Linux only (posix_spawn, /proc), like the hub. Run it with `nice`.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "platform/clock.h"
#include "storage/core/database.h"
#include "storage/device/households.h"
#include "sync/client/curl_transport.h"
#include "sync/client/sync_engine.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using gocua::Database;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// ---- The hub process ------------------------------------------------------------------------

struct Hub {
  std::string binary, dir;
  pid_t pid = -1;
  int port = 0;

  std::string Admin(const std::vector<std::string>& args) {
    std::string cmd = "'" + binary + "'";
    for (const std::string& a : args) cmd += " '" + a + "'";
    cmd += " --data '" + dir + "/data' 2>>'" + dir + "/admin.err'";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[4096];
    for (size_t n; p && (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    if (!p || pclose(p) != 0) {
      std::fprintf(stderr, "failed: %s\n", cmd.c_str());
      std::exit(1);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  void Start() {
    int fds[2];
    if (pipe(fds) != 0) std::exit(1);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    const std::string err = dir + "/serve.err";
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<std::string> args = {binary,        "serve",    "--data",
                                     dir + "/data", "--listen", "127.0.0.1:0"};
    // The honest devices all come from 127.0.0.1 (libcurl here binds no source address):
    // a hub with a per-address cap lets them all in. The slow sockets each have their own
    // address, so the cap does not hide them.
    FILE* help = popen(("'" + binary + "' serve --help 2>&1").c_str(), "r");
    std::string text;
    char hb[4096];
    for (size_t n; help && (n = fread(hb, 1, sizeof hb, help)) > 0;) text.append(hb, n);
    if (help) pclose(help);
    if (text.find("--max-connections-per-address") != std::string::npos)
      args.insert(args.end(), {"--max-connections-per-address", "256"});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ) != 0) std::exit(1);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos && read(fds[0], &c, 1) == 1) line += c;
    close(fds[0]);
    const size_t colon = line.rfind(':');
    port = colon == std::string::npos ? 0 : std::atoi(line.c_str() + colon + 1);
    if (port <= 0) {
      std::fprintf(stderr, "the hub did not start: %s\n", line.c_str());
      std::exit(1);
    }
  }

  void Stop() {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 500 && waitpid(pid, nullptr, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    pid = -1;
  }

  int64_t RssKb() const {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string l; std::getline(status, l);)
      if (l.rfind("VmRSS:", 0) == 0) return std::atoll(l.c_str() + 6);
    return 0;
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// ---- Slow sockets ---------------------------------------------------------------------------

// `count` non-blocking sockets from 127.9.x.y, one thread, until Quit().
class SlowSockets {
 public:
  SlowSockets(int count, int port) : port_(port), fds_(static_cast<size_t>(count), -1) {
    thread_ = std::thread([this] { Run(); });
  }
  ~SlowSockets() {
    quit_ = true;
    thread_.join();
    for (int fd : fds_)
      if (fd >= 0) close(fd);
  }
  int cut() const { return cut_; }

 private:
  int Kind(size_t i) const { return static_cast<int>(i % 3); }  // idle, headers, body

  void Open(size_t i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    const std::string src = "127.9." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250);
    inet_pton(AF_INET, src.c_str(), &local.sin_addr);
    bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
    fds_[i] = fd;
    started_.resize(fds_.size(), false);
    started_[i] = false;
  }

  void Run() {
    started_.assign(fds_.size(), false);
    auto next_byte = Clock::now();
    while (!quit_) {
      for (size_t i = 0; i < fds_.size(); ++i)
        if (fds_[i] < 0) Open(i);
      std::vector<pollfd> pfds;
      for (int fd : fds_) pfds.push_back({fd, static_cast<short>(POLLIN | POLLOUT), 0});
      poll(pfds.data(), pfds.size(), 50);
      const bool tick = Clock::now() >= next_byte;
      if (tick) next_byte += std::chrono::seconds(1);
      for (size_t i = 0; i < fds_.size(); ++i) {
        const int fd = fds_[i];
        if (fd < 0) continue;
        bool dead = (pfds[i].revents & (POLLERR | POLLHUP)) != 0;
        if (!dead && (pfds[i].revents & POLLIN)) {
          char buf[4096];
          const ssize_t n = recv(fd, buf, sizeof buf, 0);
          dead = n == 0 || (n < 0 && errno != EAGAIN);
        }
        if (!dead && (pfds[i].revents & POLLOUT) && !started_[i]) {
          started_[i] = true;  // connected
          std::string start;
          if (Kind(i) == 1) start = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
          if (Kind(i) == 2)
            start = "POST /v1/push HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
          if (!start.empty()) send(fd, start.data(), start.size(), MSG_NOSIGNAL);
        } else if (!dead && tick && started_[i] && Kind(i) != 0) {
          send(fd, "a", 1, MSG_NOSIGNAL);
        }
        if (dead) {
          close(fd);
          fds_[i] = -1;
          ++cut_;
        }
      }
    }
  }

  const int port_;
  std::vector<int> fds_;
  std::vector<bool> started_;
  std::atomic<bool> quit_{false};
  std::atomic<int> cut_{0};
  std::thread thread_;
};

// ---- Honest devices -------------------------------------------------------------------------

struct Device {
  std::unique_ptr<Database> db;
  std::unique_ptr<gocua::client::CurlTransport> transport;
  std::unique_ptr<gocua::client::SyncEngine> engine;
};

void AddHouseholds(Database& db, const std::string& village, int n, int round) {
  std::vector<gocua::Household> hs;
  for (int i = 0; i < n; ++i) {
    gocua::Household h;
    h.village_id = village;
    h.head_name = "Hộ " + std::to_string(round) + "-" + std::to_string(i);
    h.members_count = 4;
    hs.push_back(h);
  }
  if (!gocua::Households(db).AddAll(hs).ok()) std::exit(1);
}

// ---- Header flood ---------------------------------------------------------------------------

// Returns whether the hub answered 431.
bool Flood(int port, size_t max_bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return false;
  }
  std::string lines = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  while (lines.size() < 64 * 1024) lines += "X-Flood: " + std::string(1000, 'x') + "\r\n";
  size_t sent = 0;
  while (sent < max_bytes) {
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, 0) > 0) break;
    const ssize_t n = send(fd, lines.data(), lines.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  char buf[64] = {};
  const ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
  close(fd);
  return n > 12 && std::strncmp(buf, "HTTP/1.1 431", 12) == 0;
}

// ---- One hub --------------------------------------------------------------------------------

struct Row {
  std::string hub;
  int ok = 0, total = 0;
  double p50 = 0, p99 = 0, max = 0;
  int64_t rss_before = 0, rss_slow = 0, rss_flood_peak = 0, rss_after = 0;
  int flood_431 = 0;
};

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

Row RunOne(const std::string& binary, const std::string& dir, int slow, int devices, int guard_s) {
  Row row;
  row.hub = binary;
  fs::create_directories(dir);
  Hub hub{binary, dir};
  const std::string commune =
      hub.Admin({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Tịnh Khê"});
  const std::string village = hub.Admin({"village", "add", "--commune", commune, "Thôn An"});
  hub.Start();
  gocua::SystemClock clock;
  gocua::client::SyncOptions options;
  options.max_attempts = 2;
  std::vector<Device> devs(static_cast<size_t>(devices));
  for (int i = 0; i < devices; ++i) {
    Device& d = devs[static_cast<size_t>(i)];
    auto db = Database::Open(dir + "/device-" + std::to_string(i) + ".db", clock);
    if (!db.ok()) std::exit(1);
    d.db = std::move(db).value();
    d.transport = std::make_unique<gocua::client::CurlTransport>();
    d.engine = std::make_unique<gocua::client::SyncEngine>(*d.db, *d.transport, clock, options);
    const std::string code = hub.Admin({"enroll-code", "--commune", commune});
    if (!d.engine->Enroll(hub.Url(), code, "laptop " + std::to_string(i)).ok()) {
      std::fprintf(stderr, "enroll failed for device %d\n", i);
      std::exit(1);
    }
    AddHouseholds(*d.db, village, 20, 0);
  }
  row.rss_before = hub.RssKb();

  {
    SlowSockets sockets(slow, hub.port);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    std::vector<double> took(static_cast<size_t>(devices), -1);
    std::atomic<bool> cancel{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < devices; ++i)
      threads.emplace_back([&, i] {
        const auto t0 = Clock::now();
        if (devs[static_cast<size_t>(i)].engine->Sync({}, &cancel).ok())
          took[static_cast<size_t>(i)] = Seconds(t0, Clock::now());
      });
    const auto guard = Clock::now() + std::chrono::seconds(guard_s);
    std::thread guard_thread([&] {
      while (!cancel && Clock::now() < guard)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      cancel = true;
    });
    for (std::thread& t : threads) t.join();
    row.rss_slow = hub.RssKb();
    cancel = true;
    guard_thread.join();
    std::vector<double> ok;
    for (double t : took)
      if (t >= 0) ok.push_back(t);
    row.ok = static_cast<int>(ok.size());
    row.total = devices;
    row.p50 = Percentile(ok, 0.50);
    row.p99 = Percentile(ok, 0.99);
    row.max = ok.empty() ? 0 : *std::max_element(ok.begin(), ok.end());
  }

  std::atomic<int64_t> peak{hub.RssKb()};
  std::atomic<bool> flooding{true};
  std::thread sampler([&] {
    while (flooding) {
      peak = std::max<int64_t>(peak, hub.RssKb());
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  std::atomic<int> answered{0};
  std::vector<std::thread> floods;
  for (int i = 0; i < 4; ++i)
    floods.emplace_back([&] { answered += Flood(hub.port, size_t{64} << 20) ? 1 : 0; });
  for (std::thread& t : floods) t.join();
  std::this_thread::sleep_for(std::chrono::seconds(6));  // the old hub's read timeout, and more
  flooding = false;
  sampler.join();
  row.rss_flood_peak = peak;
  row.rss_after = hub.RssKb();
  row.flood_431 = answered;
  hub.Stop();
  return row;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> hubs;
  int slow = 500, devices = 100, guard_s = 120;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--hub" && i + 1 < argc) {
      hubs.push_back(argv[++i]);
    } else if (a == "--slow" && i + 1 < argc) {
      slow = std::atoi(argv[++i]);
    } else if (a == "--devices" && i + 1 < argc) {
      devices = std::atoi(argv[++i]);
    } else if (a == "--guard" && i + 1 < argc) {
      guard_s = std::atoi(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: gocua-hub-slow-clients [--hub PATH]... [--slow N] [--devices N] "
                   "[--guard SECONDS] [--dir DIR]\n");
      return 2;
    }
  }
  if (hubs.empty()) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    hubs.push_back(
        (self.parent_path().parent_path().parent_path() / "sync/hub/gocua-hub").string());
  }
  if (dir.empty()) {
    std::string templ = (fs::temp_directory_path() / "gocua-slow-clients-XXXXXX").string();
    if (!mkdtemp(templ.data())) return 1;
    dir = templ;
  }
  std::vector<Row> rows;
  for (size_t i = 0; i < hubs.size(); ++i) {
    std::fprintf(stderr, "hub %s: %d slow sockets, %d devices ...\n", hubs[i].c_str(), slow,
                 devices);
    rows.push_back(RunOne(hubs[i], dir + "/hub-" + std::to_string(i), slow, devices, guard_s));
  }
  std::printf(
      "%d slow sockets (idle / headers / body, 1 byte/s) + %d honest devices, one sync "
      "each; then 4 header-flood connections (64 MB each at most)\n",
      slow, devices);
  std::printf(
      "| hub | syncs done | p50 s | p99 s | max s | RSS before MB | RSS under slow MB "
      "| RSS flood peak MB | RSS after flood MB | flood answered 431 |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Row& r : rows)
    std::printf("| %s | %d/%d | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f | %.1f | %d/4 |\n",
                r.hub.c_str(), r.ok, r.total, r.p50, r.p99, r.max, r.rss_before / 1024.0,
                r.rss_slow / 1024.0, r.rss_flood_peak / 1024.0, r.rss_after / 1024.0, r.flood_431);
  std::error_code ec;
  fs::remove_all(dir, ec);
  bool all = true;
  for (const Row& r : rows) all = all && r.ok == r.total;
  return all ? 0 : 1;
}
