#pragma once
// The storage benchmarks behind gocua-bench: visit save latency, CSV import rate beside raw
// SQLite, search latency as a user types, and database size per 10,000 visits. Everything
// runs on real files with the product's settings (WAL, synchronous=FULL) through the public
// storage interface; only the baseline and the size measurement open SQLite directly.
#include <cstddef>
#include <iosfwd>
#include <string>

#include "base/result.h"

namespace gocua::bench {

struct BenchConfig {
  std::string dir;                // where the database files go; must exist and be writable
  size_t households = 50000;      // imported; the base of the search and save benchmarks
  size_t persons = 50000;         // added to those households for search
  size_t saves = 2000;            // timed Visits::Save calls
  size_t size_visits = 10000;     // visits written for the size figure (reported per 10,000)
  size_t size_households = 1000;  // households of the size database
  int search_rounds = 5;          // measured runs of each search query
  bool quick = false;
  bool keep = false;  // leave the databases in `dir` for inspection
  // "" runs everything; else one of "import", "search", "save", "size" (for profiling: the
  // search and save benchmarks still import and add persons first, untimed).
  std::string only;
};

BenchConfig FullConfig(std::string dir);
// A smoke run in seconds: a tenth of the sizes. Its figures are not comparable to the targets.
BenchConfig QuickConfig(std::string dir);

// Runs every benchmark, writing progress lines to `log`, and returns the report: a plain-text
// table with the targets beside the figures. Database files are left in config.dir (the
// caller removes them). Fails on the first storage error, naming the step.
Result<std::string> RunBenchmarks(const BenchConfig& config, std::ostream& log);

}  // namespace gocua::bench
