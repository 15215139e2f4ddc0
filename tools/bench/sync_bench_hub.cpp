#include "tools/bench/sync_bench_hub.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tools/bench/fake_data.h"

extern char** environ;

namespace gocua::bench {
namespace {

namespace fs = std::filesystem;

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// Spawns `argv` with stdin from /dev/null, stdout into a new pipe (*out_fd, close-on-exec) and
// stderr into `err_path`.
Result<pid_t> Spawn(const std::vector<std::string>& argv_s, const std::string& err_path,
                    int* out_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status{ErrorCode::kIo, "pipe2 failed"};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> copy = argv_s;
  std::vector<char*> argv;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    return Status{ErrorCode::kIo, "cannot run " + argv_s[0] + ": " + std::strerror(rc) +
                                      "; build the gocua-hub target or pass --hub PATH"};
  }
  *out_fd = fds[0];
  return pid;
}

}  // namespace

std::string DefaultHubBinary() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return (self.parent_path().parent_path().parent_path() / "sync" / "hub" / "gocua-hub").string();
}

BenchHub::BenchHub(std::string binary, std::string dir)
    : binary_(std::move(binary)), dir_(std::move(dir)) {}

BenchHub::~BenchHub() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::vector<std::string> BenchHub::StoreArgs() const {
  if (!store_.empty()) return {"--store", store_};
  return {"--data", dir_ + "/data"};
}

Result<std::string> BenchHub::Admin(std::vector<std::string> args) {
  std::vector<std::string> argv = {binary_};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a : StoreArgs()) argv.push_back(a);
  const std::string err_path = dir_ + "/admin.err";
  int out_fd = -1;
  auto pid = Spawn(argv, err_path, &out_fd);
  if (!pid) return pid.error();
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(out_fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  close(out_fd);
  int status = 0;
  waitpid(*pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string shown;
    for (const std::string& a : args) shown += " " + a;
    return Status{ErrorCode::kInternal,
                  "gocua-hub" + shown + " failed: " + TrimEnd(ReadWhole(err_path))};
  }
  return TrimEnd(out);
}

Status BenchHub::Start() {
  if (pid_ > 0) return Status{ErrorCode::kInternal, "the hub is already running"};
  if (out_fd_ >= 0) close(out_fd_);
  out_fd_ = -1;
  std::vector<std::string> argv = {binary_, "serve"};
  for (const std::string& a : StoreArgs()) argv.push_back(a);
  argv.insert(argv.end(), {"--listen", "127.0.0.1:0"});
  auto pid = Spawn(argv, dir_ + "/serve.err", &out_fd_);
  if (!pid) return pid.error();
  pid_ = *pid;
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd pfd{out_fd_, POLLIN, 0};
    if (poll(&pfd, 1, 100) <= 0) continue;
    char c[256];
    const ssize_t n = read(out_fd_, c, sizeof c);
    if (n <= 0) break;
    line.append(c, static_cast<size_t>(n));
  }
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return Status{ErrorCode::kIo, "gocua-hub serve did not start (stdout: '" + TrimEnd(line) +
                                      "', stderr: " + TrimEnd(ReadWhole(dir_ + "/serve.err")) +
                                      ")"};
  }
  url_ = "http://127.0.0.1:" + std::to_string(std::atoi(line.c_str() + prefix.size()));
  return Status::Ok();
}

Status BenchHub::Stop() {
  if (pid_ <= 0) return Status::Ok();
  kill(pid_, SIGTERM);
  int status = 0;
  const auto start = std::chrono::steady_clock::now();
  pid_t done = 0;
  while ((done = waitpid(pid_, &status, WNOHANG)) == 0 &&
         std::chrono::steady_clock::now() - start < std::chrono::seconds(10))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (done == 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  url_.clear();
  if (done == 0) return Status{ErrorCode::kIo, "the hub did not stop within 10 s of SIGTERM"};
  return Status::Ok();
}

double BenchHub::CpuSeconds() const {
  const pid_t pid = pid_;
  if (pid <= 0) return 0;
  // /proc/PID/stat: the command is in parentheses and may hold spaces; fields 14 and 15
  // (utime, stime, in clock ticks) follow the closing one.
  const std::string stat = ReadWhole("/proc/" + std::to_string(pid) + "/stat");
  const size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream in(stat.substr(close_paren + 2));
  std::string field;
  long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::atoll(field.c_str());
    if (i == 15) stime = std::atoll(field.c_str());
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Result<std::string> SetUpCommune(BenchHub& hub) {
  auto commune =
      hub.Admin({"commune", "create", "--province", "Tuyên Quang", "--commune", "Xã Kim Bình"});
  if (!commune) return commune.error();
  for (const std::string& village : FakeData::VillageNames())
    if (auto v = hub.Admin({"village", "add", "--commune", *commune, village}); !v)
      return v.error();
  for (const char* name : {"Nguyễn Thị Lan", "Hoàng Văn Sơn"})
    if (auto m = hub.Admin({"member", "add", "--commune", *commune, "--name", name, "--role",
                            "member", "--pin", "2468"});
        !m)
      return m.error();
  return *commune;
}

}  // namespace gocua::bench
