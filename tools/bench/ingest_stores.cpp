// gocua-ingest-stores: hub ingest (8 clients pushing at once, gocua-sync-bench's "ingest") on
// the SQLite store and on the PostgreSQL store, one after the other in one run on this machine,
// and both reports. PostgreSQL is a private cluster started here: initdb into the run's folder,
// a free loopback port, pg_ctl (as `nobody` when run as root: PostgreSQL refuses root), with
// its default durability (fsync on, synchronous commits), as the SQLite hub's FULL sync.
//
//   gocua-ingest-stores [--quick] [--hub PATH] [--dir DIR] [--keep]
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "storage/core/ids.h"
#include "tools/bench/sync_bench.h"
#include "tools/bench/sync_bench_hub.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: gocua-ingest-stores [--quick] [--hub PATH] [--dir DIR] [--keep]\n"
    "  --quick     a tenth of the ops (seconds; figures not comparable)\n"
    "  --hub PATH  the gocua-hub to run (default: the one built beside this program)\n"
    "  --dir DIR   where the run's folder goes (default: the temp folder)\n"
    "  --keep      keep the run's folder\n";

// Runs `argv` (prefixed by `as`) with output to `log`; its exit code.
int Run(const std::vector<std::string>& as, const std::vector<std::string>& args,
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

fs::path PostgresBin() {
  fs::path best;
  std::error_code ec;
  for (const auto& v : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(v.path() / "bin" / "initdb") && v.path() > best.parent_path())
      best = v.path() / "bin";
  return best;
}

// A private cluster in `dir`, stopped by the destructor.
class Cluster {
 public:
  explicit Cluster(const fs::path& dir) : dir_(dir), bin_(PostgresBin()) {}
  ~Cluster() {
    if (started_)
      Run(as_,
          {(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(), "stop", "-m", "fast", "-w"},
          Log());
  }
  // The URI of the database made for the benchmark, or "" (the reason went to the log).
  std::string Start() {
    if (bin_.empty()) return "";
    fs::create_directories(dir_);
    if (geteuid() == 0) {
      const passwd* nobody = getpwnam("nobody");
      if (!nobody || chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0) return "";
      as_ = {"/usr/sbin/runuser", "-u", "nobody", "--"};
    }
    const std::string data = (dir_ / "data").string();
    if (Run(as_,
            {(bin_ / "initdb").string(), "-D", data, "-U", "gocua", "-A", "trust", "-E", "UTF8",
             "--locale=C"},
            Log()) != 0)
      return "";
    const int port = FreePort();
    std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
    conf << "\nport = " << port
         << "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
            "shared_buffers = 256MB\n";
    conf.close();
    if (Run(as_,
            {(bin_ / "pg_ctl").string(), "-D", data, "-l", (dir_ / "server.log").string(), "-w",
             "start"},
            Log()) != 0)
      return "";
    started_ = true;
    if (Run(as_,
            {(bin_ / "createdb").string(), "-h", "127.0.0.1", "-p", std::to_string(port), "-U",
             "gocua", "ingest"},
            Log()) != 0)
      return "";
    return "postgresql://gocua@127.0.0.1:" + std::to_string(port) + "/ingest";
  }
  std::string Log() const { return (dir_.parent_path() / "postgres-setup.log").string(); }

 private:
  fs::path dir_, bin_;
  std::vector<std::string> as_;
  bool started_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, keep = false;
  std::string dir, hub = gocua::bench::DefaultHubBinary();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--hub") == 0 && i + 1 < argc) {
      hub = argv[++i];
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "gocua-ingest-stores: unknown argument '" << argv[i] << "'\n" << kUsage;
      return 2;
    }
  }
  std::error_code ec;
  const fs::path parent = dir.empty() ? fs::temp_directory_path(ec) : fs::path(dir);
  const fs::path run_dir = parent / ("gocua-ingest-stores-" + gocua::RandomHex(4));
  fs::create_directories(run_dir, ec);
  // The server's user must reach the cluster's folder.
  fs::permissions(run_dir, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec,
                  ec);
  int rc = 0;
  {
    Cluster cluster(run_dir / "postgres");
    const std::string uri = cluster.Start();
    if (uri.empty()) {
      std::cerr << "gocua-ingest-stores: PostgreSQL did not start (see " << cluster.Log()
                << "); install postgresql (tools/deps.sh)\n";
      return 1;
    }
    for (const std::string& store : {std::string(), uri}) {
      const fs::path sub = run_dir / (store.empty() ? "sqlite" : "postgresql");
      fs::create_directories(sub, ec);
      auto config = quick ? gocua::bench::QuickSyncConfig(sub.string(), hub)
                          : gocua::bench::FullSyncConfig(sub.string(), hub);
      config.only = "ingest";
      config.store = store;
      const std::string name = store.empty() ? "SQLite" : "PostgreSQL";
      std::cerr << "gocua-ingest-stores: ingest on " << name << "\n";
      auto report = gocua::bench::RunSyncBenchmarks(config, std::cerr);
      if (!report) {
        std::cerr << "gocua-ingest-stores: " << name << ": " << report.error().message() << "\n";
        rc = 1;
        break;
      }
      std::cout << "== Hub store: " << name << "\n" << *report << "\n" << std::flush;
    }
  }
  if (keep)
    std::cerr << "gocua-ingest-stores: kept " << run_dir.string() << "\n";
  else
    fs::remove_all(run_dir, ec);
  return rc;
}
