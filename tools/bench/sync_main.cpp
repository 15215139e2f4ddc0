// gocua-sync-bench: sync benchmarks against the real hub on loopback. See docs/benchmarks.md,
// "Sync benchmarks", for what is measured and the targets.
//   gocua-sync-bench [--quick] [--hub PATH] [--dir DIR] [--keep] [--only e2e|ingest]
//   [--callgrind]
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "storage/core/ids.h"
#include "tools/bench/raw_sqlite.h"
#include "tools/bench/sync_bench.h"
#include "tools/bench/sync_bench_hub.h"

namespace {

constexpr const char* kUsage =
    "usage: gocua-sync-bench [--quick] [--hub PATH] [--dir DIR] [--keep] [--only e2e|ingest]\n"
    "  --quick     small sizes for a smoke run (figures not comparable to the targets)\n"
    "  --hub PATH  the gocua-hub binary (default: sync/hub/gocua-hub of this build)\n"
    "  --dir DIR   where the hub folders and client databases go (default: a new folder\n"
    "              under the system temp dir); use a folder on the disk you want to measure\n"
    "  --keep      leave the folder when done (databases, the hubs' request logs)\n"
    "  --only B    run one benchmark: e2e (push and pull) or ingest (8 clients at once)\n"
    "  --callgrind under valgrind --tool=callgrind (hub too, through a --hub wrapper): dump\n"
    "              the counts of the e2e push and pull of both processes, named push and pull\n";

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, keep = false, callgrind = false;
  std::string dir, only, hub = gocua::bench::DefaultHubBinary();
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--callgrind") == 0) {
      callgrind = true;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--hub") == 0 && i + 1 < argc) {
      hub = argv[++i];
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
      if (only != "e2e" && only != "ingest") {
        std::cerr << "gocua-sync-bench: --only takes e2e or ingest\n" << kUsage;
        return 2;
      }
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "gocua-sync-bench: unknown argument '" << argv[i] << "'\n" << kUsage;
      return 2;
    }
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(hub, ec)) {
    std::cerr << "gocua-sync-bench: no hub binary at " << hub
              << "; build the gocua-hub target or pass --hub PATH\n";
    return 1;
  }
  // The hub folders and databases always go in a new folder of their own, under DIR if given.
  const fs::path parent = dir.empty() ? fs::temp_directory_path(ec) : fs::path(dir);
  const fs::path run_dir = parent / ("gocua-sync-bench-" + gocua::RandomHex(4));
  fs::create_directories(run_dir, ec);
  if (ec) {
    std::cerr << "gocua-sync-bench: cannot create " << run_dir.string() << ": " << ec.message()
              << "; pass --dir with a writable folder\n";
    return 1;
  }

  auto config = quick ? gocua::bench::QuickSyncConfig(run_dir.string(), hub)
                      : gocua::bench::FullSyncConfig(run_dir.string(), hub);
  config.only = only;
  config.callgrind = callgrind;
  std::cerr << "gocua-sync-bench: " << (quick ? "quick" : "full") << " run in " << run_dir.string()
            << ", hub " << hub << "\n";
  auto report = gocua::bench::RunSyncBenchmarks(config, std::cerr);
  if (keep)
    std::cerr << "gocua-sync-bench: kept " << run_dir.string() << "\n";
  else
    fs::remove_all(run_dir, ec);
  if (!report) {
    std::cerr << "gocua-sync-bench: " << report.error().message() << "\n";
    return 1;
  }
  std::cout << "Gõ Cửa sync benchmark (" << (quick ? "quick" : "full")
            << " run, gocua-hub on loopback, SQLite " << gocua::bench::SqliteVersion() << ")\n\n"
            << *report;
  return 0;
}
