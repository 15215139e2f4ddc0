// gocua-ingest-stores: hub ingest (8 clients pushing at once, gocua-sync-bench's "ingest") on
// the SQLite store and on the PostgreSQL store, one after the other in one run on this machine,
// and both reports. PostgreSQL is a private cluster started here: initdb into the run's folder,
// a free loopback port, pg_ctl (as `nobody` when run as root: PostgreSQL refuses root), with
// its default durability (fsync on, synchronous commits), as the SQLite hub's FULL sync.
//
//   gocua-ingest-stores [--quick] [--hub PATH] [--dir DIR] [--keep]
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "storage/core/ids.h"
#include "tools/bench/pg_bench_cluster.h"
#include "tools/bench/sync_bench.h"
#include "tools/bench/sync_bench_hub.h"

namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: gocua-ingest-stores [--quick] [--hub PATH] [--dir DIR] [--keep]\n"
    "  --quick     a tenth of the ops (seconds; figures not comparable)\n"
    "  --hub PATH  the gocua-hub to run (default: the one built beside this program)\n"
    "  --dir DIR   where the run's folder goes (default: the temp folder)\n"
    "  --keep      keep the run's folder\n";

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
    gocua::bench::BenchCluster cluster(run_dir / "postgres");
    const std::string uri = cluster.Start("ingest");
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
