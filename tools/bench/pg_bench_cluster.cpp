// A private PostgreSQL cluster for the benchmarks (pg_bench_cluster.h).
#include "tools/bench/pg_bench_cluster.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "storage/core/ids.h"

extern char** environ;

namespace gocua::bench {
namespace {

namespace fs = std::filesystem;

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return 0;
  }
  close(fd);
  return ntohs(a.sin_port);
}

}  // namespace

int RunLogged(const std::vector<std::string>& as, const std::vector<std::string>& args,
              const std::string& log) {
  std::vector<std::string> all = as;
  all.insert(all.end(), args.begin(), args.end());
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_addchdir_np(&fa, "/");
  std::vector<char*> argv;
  for (std::string& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

fs::path PostgresBin() {
  fs::path best;
  std::error_code ec;
  for (const auto& v : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(v.path() / "bin" / "initdb") && v.path() > best.parent_path())
      best = v.path() / "bin";
  return best;
}

BenchCluster::~BenchCluster() {
  if (started_)
    RunLogged(
        as_,
        {(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "stop", "-m", "fast", "-w"},
        Log());
}

std::string BenchCluster::Start(const std::string& db) {
  if (bin_.empty()) return "";
  fs::create_directories(dir_);
  if (geteuid() == 0) {
    const passwd* nobody = getpwnam("nobody");
    if (!nobody || chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0) return "";
    as_ = {"/usr/sbin/runuser", "-u", "nobody", "--"};
  }
  const std::string data = (dir_ / "data").string();
  if (RunLogged(as_,
                {(bin_ / "initdb").string(), "-D", data, "-U", "gocua", "-A", "trust", "-E", "UTF8",
                 "--locale=C"},
                Log()) != 0)
    return "";
  port_ = FreePort();
  std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
  conf << "\nport = " << port_
       << "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
          "shared_buffers = 256MB\n";
  conf.close();
  if (RunLogged(as_,
                {(bin_ / "pg_ctl").string(), "-D", data, "-l", (dir_ / "server.log").string(), "-w",
                 "start"},
                Log()) != 0)
    return "";
  started_ = true;
  if (RunLogged(as_,
                {(bin_ / "createdb").string(), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U",
                 "gocua", db},
                Log()) != 0)
    return "";
  return "postgresql://gocua@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string BenchCluster::Psql(const std::string& db, const std::string& sql, bool* ok) {
  const fs::path out = dir_.parent_path() / ("psql-" + RandomHex(4) + ".out");
  *ok = RunLogged({},
                  {(bin_ / "psql").string(), "-h", "127.0.0.1", "-p", std::to_string(port_), "-U",
                   "gocua", "-d", db, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql},
                  out.string()) == 0;
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  std::error_code ec;
  fs::remove(out, ec);
  if (!*ok) std::ofstream(Log(), std::ios::app) << "psql: " << sql << "\n" << text.str();
  return text.str();
}

}  // namespace gocua::bench
