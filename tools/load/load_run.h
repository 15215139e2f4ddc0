#pragma once
// gocua-load's run: communes made on the hub with its admin commands, N simulated laptops
// (each its own SQLite database, sync engine and libcurl transport, exactly the app's sync
// code) enrolled with one-time codes, then for a bounded time each records visits at its own
// pace and syncs now and then, through an optional shaping proxy. A pool of worker threads
// serves the laptops whose next action is due; one laptop is on one thread at a time.
//
// Loopback only: the hub address must be 127.x, ::1 or localhost (this makes load, it is not
// pointed at a real server).
#include <string>
#include <vector>

#include "base/result.h"
#include "tools/load/load_stats.h"
#include "tools/load/shaping_proxy.h"

namespace gocua::load {

struct LoadConfig {
  int devices = 20, communes = 2;
  double seconds = 30;        // the measured window, after enrollment
  int64_t max_syncs = 0;      // stop after this many syncs in the window (0 = no cap)
  double visit_every_s = 30;  // per laptop, on average (exponential gaps)
  double sync_every_s = 60;   // per laptop, on average (uniform ±50 %)
  int threads = 32;           // workers running laptops' actions
  int households = 3;         // each laptop's own, made before the window (2 persons each)
  std::string url;            // the address laptops sync to; "" = start a hub here
  std::string ca_file;        // PEM to trust for an https url
  std::string hub_binary;     // gocua-hub, for admin commands (and serving when url is "")
  std::string store;          // the hub's store: a data folder or postgresql://… ("" = dir/hub)
  std::vector<int> hub_pids;  // hubs whose RSS is reported (the one started here is added)
  LinkShape shape;            // through a shaping proxy when any()
  std::string dir;            // laptops' databases (and the started hub's data)
};

struct LoadReport {
  double window_s = 0;
  std::map<std::string, EndpointStats> endpoints;
  SyncCounts syncs;
  int64_t hub_rss_peak_kb = 0, hub_rss_end_kb = 0;  // summed over the hubs
  int64_t cuts = 0;
  double setup_s = 0;
};

Result<LoadReport> RunLoad(const LoadConfig& config);

}  // namespace gocua::load
