// gocua-load: N simulated laptops of several communes syncing with a hub on this machine
// through the real protocol (tools/load/load_run.h), for a bounded time; prints one table:
// p50/p99 latency of push and pull exchanges, ops/s, errors, hub RSS.
//   gocua-load [--devices 20] [--communes 2] [--seconds 30] [--max-syncs N]
//              [--visit-every 30] [--sync-every 60] [--threads 32] [--households 3]
//              [--url https://127.0.0.1:8443 --ca-file F] [--hub PATH] [--store DIR|postgresql://…]
//              [--hub-pid PID]... [--bandwidth KBIT/S] [--latency MS] [--cut-every S] [--dir DIR]
// Without --url it starts `gocua-hub serve` on a free loopback port over a fresh store. With
// --url the hub (or nginx) is already running: --store must be the store that hub serves, so
// that codes made here are its codes. Exit status: 0 when no sync failed, 1 otherwise, 2 for
// bad options. Linux only. Run it with `nice`.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "tools/load/load_run.h"

namespace {

namespace fs = std::filesystem;
using gocua::load::LoadConfig;
using gocua::load::LoadReport;

int Usage() {
  std::fprintf(stderr,
               "usage: gocua-load [--devices N] [--communes N] [--seconds S] [--max-syncs N]\n"
               "  [--visit-every S] [--sync-every S] [--threads N] [--households N]\n"
               "  [--url URL [--ca-file PEM]] [--hub PATH] [--store DIR|postgresql://...]\n"
               "  [--hub-pid PID]... [--bandwidth KBIT/S] [--latency MS] [--cut-every S] "
               "[--dir DIR]\n");
  return 2;
}

void PrintReport(const LoadConfig& c, const LoadReport& r) {
  using gocua::load::Quantile;
  const double w = r.window_s > 0 ? r.window_s : 1;
  std::printf(
      "%d laptops in %d communes, %.0f s (setup %.0f s): a visit every %.0f s and a sync "
      "every %.0f s per laptop%s\n",
      c.devices, c.communes, r.window_s, r.setup_s, c.visit_every_s, c.sync_every_s,
      c.shape.any() ? " through the shaping proxy" : "");
  if (c.shape.any())
    std::printf("link: %lld kbit/s, %d ms one way, a cut every %.0f s per connection (%lld cuts)\n",
                static_cast<long long>(c.shape.bytes_per_s * 8 / 1000), c.shape.latency_ms,
                c.shape.cut_every_s, static_cast<long long>(r.cuts));
  std::printf(
      "| exchange | count | p50 ms | p99 ms | max ms | per s | 429 | other 4xx/5xx | no reply |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& [endpoint, e] : r.endpoints) {
    double max = 0;
    for (double v : e.ms) max = std::max(max, v);
    std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f | %lld | %lld | %lld |\n", endpoint.c_str(),
                e.ms.size(), Quantile(e.ms, 0.5), Quantile(e.ms, 0.99), max,
                static_cast<double>(e.ms.size()) / w, static_cast<long long>(e.rate_limited),
                static_cast<long long>(e.http_errors), static_cast<long long>(e.no_reply));
  }
  const auto& s = r.syncs;
  std::printf(
      "syncs: %lld done, %lld failed, %lld cut by the end of the window; visits recorded: "
      "%lld (%.1f/s)\n",
      static_cast<long long>(s.syncs - s.failed - s.cancelled), static_cast<long long>(s.failed),
      static_cast<long long>(s.cancelled), static_cast<long long>(s.visits),
      static_cast<double>(s.visits) / w);
  for (const auto& [why, n] : s.failures)
    std::printf("  failed: %s x%lld\n", why.c_str(), static_cast<long long>(n));
  std::printf("ops: %.0f pushed/s, %.0f pulled/s (%lld and %lld)\n",
              static_cast<double>(s.pushed) / w, static_cast<double>(s.pulled) / w,
              static_cast<long long>(s.pushed), static_cast<long long>(s.pulled));
  if (r.hub_rss_peak_kb > 0)
    std::printf("hub RSS: peak %.1f MiB, at the end %.1f MiB\n", r.hub_rss_peak_kb / 1024.0,
                r.hub_rss_end_kb / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  LoadConfig c;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--keep") {
      keep = true;
      continue;
    }
    if (i + 1 >= argc) return Usage();
    const std::string v = argv[++i];
    if (a == "--devices")
      c.devices = std::atoi(v.c_str());
    else if (a == "--communes")
      c.communes = std::atoi(v.c_str());
    else if (a == "--seconds")
      c.seconds = std::atof(v.c_str());
    else if (a == "--max-syncs")
      c.max_syncs = std::atoll(v.c_str());
    else if (a == "--visit-every")
      c.visit_every_s = std::atof(v.c_str());
    else if (a == "--sync-every")
      c.sync_every_s = std::atof(v.c_str());
    else if (a == "--threads")
      c.threads = std::atoi(v.c_str());
    else if (a == "--households")
      c.households = std::atoi(v.c_str());
    else if (a == "--url")
      c.url = v;
    else if (a == "--ca-file")
      c.ca_file = v;
    else if (a == "--hub")
      c.hub_binary = v;
    else if (a == "--store")
      c.store = v;
    else if (a == "--hub-pid")
      c.hub_pids.push_back(std::atoi(v.c_str()));
    else if (a == "--bandwidth")
      c.shape.bytes_per_s = std::atoll(v.c_str()) * 1000 / 8;
    else if (a == "--latency")
      c.shape.latency_ms = std::atoi(v.c_str());
    else if (a == "--cut-every")
      c.shape.cut_every_s = std::atof(v.c_str());
    else if (a == "--dir")
      c.dir = v;
    else
      return Usage();
  }
  if (c.devices < 1 || c.communes < 1 || c.seconds <= 0 || c.visit_every_s <= 0 ||
      c.sync_every_s <= 0 || c.threads < 1 || c.households < 1)
    return Usage();
  if (c.hub_binary.empty()) {
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    c.hub_binary = (self.parent_path().parent_path().parent_path() / "sync/hub/gocua-hub").string();
  }
  bool made_dir = false;
  if (c.dir.empty()) {
    std::string templ = (fs::temp_directory_path() / "gocua-load-XXXXXX").string();
    if (!mkdtemp(templ.data())) return 1;
    c.dir = templ;
    made_dir = true;
  }
  std::fprintf(stderr, "gocua-load: %d laptops, %d communes, in %s\n", c.devices, c.communes,
               c.dir.c_str());
  auto report = gocua::load::RunLoad(c);
  int rc = 0;
  if (!report) {
    std::fprintf(stderr, "gocua-load: %s\n", report.error().message().c_str());
    rc = 1;
  } else {
    PrintReport(c, *report);
    rc = report->syncs.failed == 0 ? 0 : 1;
  }
  if (made_dir && !keep) {
    std::error_code ec;
    fs::remove_all(c.dir, ec);
  }
  return rc;
}
