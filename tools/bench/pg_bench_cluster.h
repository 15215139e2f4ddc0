#pragma once
// A private PostgreSQL cluster for the benchmarks that run the hub on PostgreSQL
// (gocua-ingest-stores, gocua-hub-size): initdb into the run's folder, a free loopback port,
// pg_ctl (as `nobody` when run as root: PostgreSQL refuses root), with its default durability
// (fsync on, synchronous commits), as the SQLite hub's FULL sync. Linux only, like the hub.
//
// Threading: one thread drives a cluster.
#include <filesystem>
#include <string>
#include <vector>

namespace gocua::bench {

// Runs `as` + `args` with stdin from /dev/null and stdout and stderr appended to `log`; its
// exit code (-1 when it could not start).
int RunLogged(const std::vector<std::string>& as, const std::vector<std::string>& args,
              const std::string& log);

// The newest /usr/lib/postgresql/<version>/bin, or "" when PostgreSQL is not installed.
std::filesystem::path PostgresBin();

// A cluster in `dir`, stopped by the destructor.
class BenchCluster {
 public:
  explicit BenchCluster(std::filesystem::path dir) : dir_(std::move(dir)), bin_(PostgresBin()) {}
  ~BenchCluster();
  BenchCluster(const BenchCluster&) = delete;
  BenchCluster& operator=(const BenchCluster&) = delete;

  // Starts the cluster and makes database `db`: its URI, or "" (the reason went to Log()).
  std::string Start(const std::string& db);
  // Runs `sql` in database `db` with psql (unaligned, tuples only, '|' between columns); its
  // output, or "" with *ok = false (the reason went to Log()).
  std::string Psql(const std::string& db, const std::string& sql, bool* ok);
  std::string Log() const { return (dir_.parent_path() / "postgres-setup.log").string(); }

 private:
  std::filesystem::path dir_, bin_;
  std::vector<std::string> as_;
  int port_ = 0;
  bool started_ = false;
};

}  // namespace gocua::bench
