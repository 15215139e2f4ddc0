// gocua-bench: storage benchmarks. See docs/benchmarks.md for what is measured and the targets.
//   gocua-bench [--quick] [--dir DIR] [--keep] [--reuse] [--only import|search|save|size|dashboard]
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "storage/core/ids.h"
#include "tools/bench/bench.h"
#include "tools/bench/dashboard_bench.h"
#include "tools/bench/raw_sqlite.h"

namespace {

constexpr const char* kUsage =
    "usage: gocua-bench [--quick] [--dir DIR] [--keep] [--reuse]\n"
    "                   [--only import|search|save|size|dashboard]\n"
    "  --quick    small sizes for a smoke run (figures not comparable to the targets)\n"
    "  --dir DIR  where the temporary databases go (default: a new folder under the system\n"
    "             temp dir); use a folder on the disk you want to measure\n"
    "  --keep     leave the folder and any databases in it when done\n"
    "  --only B   run one benchmark (search and save still import and add persons first)\n"
    "  --reuse    dashboard: measure DIR/dashboard.db left by an earlier --keep run\n";

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, keep = false, reuse = false;
  std::string dir, only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--keep") == 0) {
      keep = true;
    } else if (std::strcmp(argv[i], "--reuse") == 0) {
      reuse = true;
    } else if (std::strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else if (std::strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      only = argv[++i];
      if (only != "import" && only != "search" && only != "save" && only != "size" &&
          only != "dashboard") {
        std::cerr << "gocua-bench: --only takes import, search, save, size or dashboard\n"
                  << kUsage;
        return 2;
      }
    } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "gocua-bench: unknown argument '" << argv[i] << "'\n" << kUsage;
      return 2;
    }
  }
  namespace fs = std::filesystem;
  std::error_code ec;
  const bool own_dir = dir.empty();
  if (own_dir)
    dir = (fs::temp_directory_path(ec) / ("gocua-bench-" + gocua::RandomHex(4))).string();
  fs::create_directories(dir, ec);
  if (ec) {
    std::cerr << "gocua-bench: cannot create " << dir << ": " << ec.message()
              << "; pass --dir with a writable folder\n";
    return 1;
  }

  auto config = quick ? gocua::bench::QuickConfig(dir) : gocua::bench::FullConfig(dir);
  config.only = only;
  config.keep = keep;
  std::cerr << "gocua-bench: " << (quick ? "quick" : "full") << " run in " << dir << ", SQLite "
            << gocua::bench::SqliteVersion() << "\n";
  gocua::Result<std::string> report = std::string();
  if (only != "dashboard") report = gocua::bench::RunBenchmarks(config, std::cerr);
  gocua::Result<std::string> dashboard = std::string();
  if (report && (only.empty() || only == "dashboard")) {
    gocua::bench::DashboardBenchConfig dc;
    dc.dir = dir;
    dc.quick = quick;
    dc.keep = keep;
    dc.reuse = reuse;
    if (quick) {
      dc.households = 5000;
      dc.visits = 20000;
    }
    dashboard = gocua::bench::RunDashboardBenchmark(dc, std::cerr);
  }
  if (!keep) {
    if (own_dir) {
      fs::remove_all(dir, ec);
    } else {
      for (const char* name : {"bench.db", "raw.db", "size.db", "dashboard.db"})
        for (const char* suffix : {"", "-wal", "-shm"})
          fs::remove(fs::path(dir) / (std::string(name) + suffix), ec);
    }
  }
  for (const auto* r : {&report, &dashboard})
    if (!*r) {
      std::cerr << "gocua-bench: " << r->error().message() << "\n";
      return 1;
    }
  std::cout << "Gõ Cửa storage benchmark (" << (quick ? "quick" : "full") << " run, SQLite "
            << gocua::bench::SqliteVersion() << ")\n\n"
            << *report << (report->empty() ? "" : "\n") << *dashboard;
  return 0;
}
