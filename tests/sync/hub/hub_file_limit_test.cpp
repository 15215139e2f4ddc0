// The hub under a file-size limit (`ulimit -f`, issue 15): a write past it must not kill the
// hub with SIGXFSZ. The real gocua-hub is started by /bin/sh after `ulimit -S -f`; a push too
// big for the limit answers 5xx with the disk-full message, keeps nothing of itself, and the
// hub goes on serving; once the limit is lifted (prlimit on the hub's pid, as an admin would
// restart it with room) the same push goes through whole, once.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

#include "tests/sync/hub/hub_http.h"

extern char** environ;

namespace gocua {
namespace {

using namespace hub_http;

// `gocua-hub serve` on the data folder of `hub`, run by /bin/sh after `ulimit -S -f blocks`
// (512-byte blocks; the soft limit only, so it can be raised again). Killed by the destructor
// if still running.
class LimitedHub {
 public:
  LimitedHub(Hub& hub, long long blocks)
      : log_((std::filesystem::path(hub.data()).parent_path() / "limited.err").string()) {
    int fds[2];
    REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> args = {"/bin/sh", "-c",
                                     "ulimit -S -f " + std::to_string(blocks) +
                                         " && exec \"$0\" serve --data \"$1\" --listen 127.0.0.1:0",
                                     test::HubBinary().string(), hub.data()};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    REQUIRE(rc == 0);
    std::string line;
    char c;
    while (line.find('\n') == std::string::npos && read(fds[0], &c, 1) == 1) line += c;
    close(fds[0]);
    INFO("stdout: ", line, "\nstderr: ", test::ReadFile(log_));
    const std::string prefix = "listening on http://127.0.0.1:";
    REQUIRE(line.rfind(prefix, 0) == 0);
    port_ = std::atoi(line.c_str() + prefix.size());
  }
  ~LimitedHub() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  std::string Log() const { return test::ReadFile(log_); }
  // The hub's soft file-size limit, bytes (RLIM_INFINITY for none).
  rlim_t Limit() const {
    rlimit r{};
    REQUIRE(prlimit(pid_, RLIMIT_FSIZE, nullptr, &r) == 0);
    return r.rlim_cur;
  }
  void Unlimit() {
    rlimit r{};
    REQUIRE(prlimit(pid_, RLIMIT_FSIZE, nullptr, &r) == 0);
    r.rlim_cur = r.rlim_max;
    REQUIRE(prlimit(pid_, RLIMIT_FSIZE, &r, nullptr) == 0);
  }
  // The exit code, or 128 + the signal that ended it. Nonzero if it is still running.
  int ExitCode(bool wait) {
    int status = 0;
    const pid_t done = waitpid(pid_, &status, wait ? 0 : WNOHANG);
    if (done == 0) return -1;
    REQUIRE(done == pid_);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  void Terminate() { REQUIRE(kill(pid_, SIGTERM) == 0); }

 private:
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

long long FileSize(const std::string& path) {
  std::error_code ec;
  const auto n = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<long long>(n);
}

HttpReply PushTo(int port, const Device& d, const p::PushRequest& m) {
  Headers h = d.Auth();
  h.push_back({"Content-Type", "application/json"});
  return Http(port, "POST", "/v1/push", p::Encode(m), h);
}

TEST_CASE(
    "Hub past ulimit -f: the push answers 5xx, nothing partial, no SIGXFSZ, serving goes on") {
  Hub hub;
  const Communes c = SetUp(hub);
  hub.Start();
  const Device d = Enroll(hub, c.a, 1);
  REQUIRE(hub.Stop() == 0);

  // 500 households of three ops with long texts: about 400 KB of ops, far more than the
  // room left under the limit.
  std::vector<p::Op> ops;
  const std::string address(150, 'x');
  for (int i = 0; i < 500; ++i) {
    const std::string id = NewUuidV7(NowMs() - 1000000 + i);
    const int64_t seq = static_cast<int64_t>(ops.size()) + 1;
    ops.push_back(MakeOp(d, seq, "household", id, "village_id", c.village_a));
    ops.push_back(
        MakeOp(d, seq + 1, "household", id, "head_name", "Nguyễn Văn Hộ " + std::to_string(i)));
    ops.push_back(MakeOp(d, seq + 2, "household", id, "address", address));
  }
  const p::PushRequest push = MakePush(d, ops);
  REQUIRE(p::Encode(push).size() < p::kMaxBatchBytes);

  // Room for the files as they are and 64 KB more.
  const std::string db = hub.db_path();
  const long long room = std::max(FileSize(db), FileSize(db + "-wal")) + 64 * 1024;
  LimitedHub limited(hub, (room + 511) / 512);
  REQUIRE(limited.Limit() != RLIM_INFINITY);
  CHECK(Http(limited.port(), "GET", "/healthz").status == 200);

  HttpReply refused = PushTo(limited.port(), d, push);
  INFO("hub log: ", limited.Log());
  CHECK(refused.status >= 500);
  const p::ErrorBody e = refused.Error();
  CHECK(e.code == p::kErrInternal);
  CHECK(Contains(e.message, "Không ghi được dữ liệu: ổ đĩa đã đầy hoặc tệp quá lớn"));
  CHECK(limited.ExitCode(false) == -1);  // still running: not killed by SIGXFSZ
  CHECK(Contains(limited.Log(), "POST /v1/push 500"));
  {  // nothing of the batch was kept
    test::SqliteReader hub_db(db);
    CHECK(hub_db.Int("SELECT count(*) FROM hub_origins WHERE origin_device = '" + d.id + "'") == 0);
    CHECK(hub_db.Int("SELECT count(*) FROM households") == 0);
    CHECK(hub_db.IntegrityCheck() == "ok");
  }
  // Other requests are served under the limit: health, and a pull (its small write fits).
  CHECK(Http(limited.port(), "GET", "/healthz").status == 200);
  p::PullRequest q;
  q.protocol = 1;
  HttpReply page = Http(limited.port(), "GET", "/v1/pull?" + p::EncodePullQuery(q), "", d.Auth());
  CHECK(page.status == 200);
  CHECK_FALSE(Contains(page.Text(), "Nguyễn Văn Hộ"));

  // Room again: the same batch goes through whole, once.
  limited.Unlimit();
  HttpReply taken = PushTo(limited.port(), d, push);
  INFO("body: ", taken.Text().substr(0, 500));
  REQUIRE(taken.status == 200);
  Result<p::PushResponse> answer = p::DecodePushResponse(taken.Text());
  REQUIRE(answer.ok());
  CHECK(answer->acked_seq == static_cast<int64_t>(ops.size()));
  {
    test::SqliteReader hub_db(db);
    CHECK(hub_db.Int("SELECT count(*) FROM households") == 500);
    CHECK(hub_db.Int("SELECT count(*) FROM hub_ops WHERE origin_device = '" + d.id + "'") ==
          static_cast<int64_t>(ops.size()));
  }
  limited.Terminate();
  CHECK(limited.ExitCode(true) == 0);
}

}  // namespace
}  // namespace gocua
