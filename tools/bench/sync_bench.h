#pragma once
// The sync benchmarks behind gocua-sync-bench (docs/benchmarks.md, "Sync benchmarks"): the
// real gocua-hub process on loopback, started here; real HTTP through CurlTransport and the
// sync engine with its default options; real SQLite files for every client and the hub.
//
// 1. End to end: one client pushes `visits` visits (its households and persons were pushed
//    and pulled before, untimed) and a second, already enrolled client pulls them: wall time
//    of each, visits/s through both, requests, and body bytes per visit, JSON and as sent.
// 2. Hub ingest: `clients` clients, each on its own thread with its own database, transport
//    and engine, push about `ops_per_client` ops each at the same moment: ops/s at the hub.
#include <cstddef>
#include <iosfwd>
#include <string>

#include "base/result.h"

namespace gocua::bench {

struct SyncBenchConfig {
  std::string dir;         // where the hub folders and client databases go; must exist
  std::string hub_binary;  // the gocua-hub executable
  // End to end.
  size_t visits = 10000;
  size_t households = 1000;  // of the pushing client, two persons each; visits go round them
  // Hub ingest.
  int clients = 8;
  size_t ops_per_client = 20000;   // at least this many ops each (whole visits)
  size_t ingest_households = 100;  // per client, two persons each
  bool quick = false;
  std::string only;  // "" runs both; "e2e" or "ingest" runs one (for profiling)
  // The hubs' store: "" = SQLite in each hub's folder; postgresql://... = that database (one
  // benchmark per database: the hub's records and log start empty).
  std::string store;
  // Profiling: the e2e benchmark marks its timed push and pull for callgrind (run the bench
  // under valgrind --tool=callgrind and the hub through a --hub wrapper that does the same):
  // counts are zeroed before the push and dumped after it ("push") and after the pull ("pull"),
  // in this process (client requests) and in the hub (callgrind_control on its pid).
  bool callgrind = false;
};

SyncBenchConfig FullSyncConfig(std::string dir, std::string hub_binary);
// A smoke run in seconds: a tenth of the sizes. Its figures are not comparable to the targets.
SyncBenchConfig QuickSyncConfig(std::string dir, std::string hub_binary);

// Runs the benchmarks, writing progress to `log`, and returns the report: a plain-text table
// with the targets beside the figures. Everything is left in config.dir (the caller removes
// it); every hub started is stopped. Fails on the first error, naming the step.
Result<std::string> RunSyncBenchmarks(const SyncBenchConfig& config, std::ostream& log);

}  // namespace gocua::bench
