// A private PostgreSQL cluster on loopback for the tests of the PostgreSQL hub store: initdb
// into a temp folder, a free port, pg_ctl. PostgreSQL refuses to run as root, so a test run as
// root runs the server as `nobody` (runuser) and gives it the folder. One cluster per test
// process (Shared(), started on first use, stopped at exit); every test takes its own database.
// Header-only, like hub_process.h. Linux only (the hub is).
//
// The server's binaries come from Debian's postgresql package (tools/deps.sh installs it):
// /usr/lib/postgresql/<version>/bin.
//
// Threading: the test's main thread.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <pwd.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sync/hub/store/postgresql/pg_conn.h"
#include "tests/support/net.h"
#include "tests/support/process.h"

extern char** environ;

namespace gocua::test {

class PgCluster {
 public:
  // The cluster of this test process, started on first use.
  static PgCluster& Shared() {
    static PgCluster cluster;
    return cluster;
  }

  int port() const { return port_; }
  // postgresql://gocua@127.0.0.1:PORT/`db`.
  std::string Uri(const std::string& db) const {
    return "postgresql://gocua@127.0.0.1:" + std::to_string(port_) + "/" + db;
  }
  // Creates database `db` unless it exists.
  void EnsureDatabase(const std::string& db) {
    auto c = pg::Conn::Open(Uri("postgres"));
    REQUIRE_MESSAGE(c.ok(), c.error().message());
    auto has = (*c)->Query("SELECT 1 FROM pg_database WHERE datname = $1", {db}, "database");
    REQUIRE_MESSAGE(has.ok(), has.error().message());
    if (!has->empty()) return;
    const std::string sql = "CREATE DATABASE \"" + db + "\"";
    Status made = (*c)->Simple(sql.c_str(), "create database");
    REQUIRE_MESSAGE(made.ok(), made.message());
  }
  // A database no test used before in this cluster.
  std::string NewDatabase() {
    const std::string db = "t" + std::to_string(++databases_);
    EnsureDatabase(db);
    return db;
  }

  // Stops the server (fast: open connections are cut) and starts it again on the same port.
  void Stop() { REQUIRE_MESSAGE(Ctl({"stop", "-m", "fast", "-w"}) == 0, Log()); }
  void Start() { REQUIRE_MESSAGE(Ctl({"start", "-w", "-t", "60"}) == 0, Log()); }
  std::string Log() const { return ReadFile(dir_ / "server.log"); }

  ~PgCluster() {
    if (started_) Ctl({"stop", "-m", "immediate", "-w"});
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  PgCluster() : dir_(MakeTempDir("gocua-pg")) {
    bin_ = FindBin();
    REQUIRE_MESSAGE(!bin_.empty(),
                    "PostgreSQL's server is not installed (tools/deps.sh installs postgresql)");
    if (geteuid() == 0) {
      const passwd* nobody = getpwnam("nobody");
      REQUIRE(nobody != nullptr);
      run_as_ = {"/usr/sbin/runuser", "-u", "nobody", "--"};
      REQUIRE(chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) == 0);
    }
    const std::string data = (dir_ / "data").string();
    REQUIRE_MESSAGE(Run({(bin_ / "initdb").string(), "-D", data, "-U", "gocua", "-A", "trust", "-E",
                         "UTF8", "--locale=C", "-N"}) == 0,
                    ReadFile(dir_ / "run.err"));
    port_ = FreePort();
    // Loopback TCP only, no socket file; fsync off: a test's cluster need not survive a power
    // cut (a restart mid-test is a clean stop).
    std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
    conf << "\nport = " << port_
         << "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''"
            "\nfsync = off\nfull_page_writes = off\nmax_connections = 60\n";
    conf.close();
    Start();
    started_ = true;
  }

  static std::filesystem::path FindBin() {
    std::filesystem::path best;
    std::error_code ec;
    for (const auto& v : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
      if (std::filesystem::exists(v.path() / "bin" / "initdb") && v.path() > best.parent_path())
        best = v.path() / "bin";
    return best;
  }

  static int FreePort() {
    const int fd = net::Socket();
    REQUIRE(fd >= 0);
    const int port = net::BindLoopback(fd);
    net::Close(fd);
    REQUIRE(port > 0);
    return port;
  }

  int Ctl(std::vector<std::string> args) {
    std::vector<std::string> argv = {(bin_ / "pg_ctl").string(), "-D", (dir_ / "data").string(),
                                     "-l", (dir_ / "server.log").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv);
  }

  // Runs `argv` (as the server's user), output to files of the folder; its exit code. No
  // REQUIRE: the destructor runs it too.
  int Run(const std::vector<std::string>& argv_in) {
    std::vector<std::string> argv_s = run_as_;
    argv_s.insert(argv_s.end(), argv_in.begin(), argv_in.end());
    const std::string out = (dir_ / "run.out").string(), err = (dir_ / "run.err").string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // The server's user may not read the test's working folder.
    posix_spawn_file_actions_addchdir_np(&fa, "/");
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::filesystem::path dir_, bin_;
  std::vector<std::string> run_as_;
  int port_ = 0;
  int databases_ = 0;
  bool started_ = false;
};

}  // namespace gocua::test
