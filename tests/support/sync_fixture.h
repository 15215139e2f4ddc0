// End-to-end sync harness: the real hub (tests/support/hub_process.h) with a commune set up by
// its admin commands, and enrolled devices, each with its own database file, clock, libcurl
// transport and sync engine whose retries barely wait. Header-only.
//
// Threading: for the test's main thread (it uses doctest's REQUIRE), except SyncDevice::Sync()
// and SyncDevice::link(), which a thread of the test may call; a SyncDevice is used by one
// thread at a time.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "platform/clock.h"
#include "storage/core/change_log.h"
#include "storage/core/database.h"
#include "storage/device/members.h"
#include "storage/device/replica.h"
#include "storage/io/export.h"
#include "sync/client/curl_transport.h"
#include "sync/client/http_transport.h"
#include "sync/client/sync_engine.h"
#include "tests/support/hub_process.h"

namespace gocua::test {

// ---- Devices ----------------------------------------------------------------------------------

// The system clock moved by a fixed offset: a laptop whose clock is wrong. Thread-safe.
class SkewedClock final : public Clock {
 public:
  explicit SkewedClock(int64_t offset_ms) : offset_ms_(offset_ms) {}
  int64_t NowMs() const override { return system_.NowMs() + offset_ms_; }

 private:
  SystemClock system_;
  const int64_t offset_ms_;
};

// Sync options for tests: few tries, millisecond backoff, a fixed jitter seed.
inline client::SyncOptions FastSyncOptions(int max_attempts = 4) {
  client::SyncOptions o;
  o.max_attempts = max_attempts;
  o.base_backoff_ms = 1;
  o.max_backoff_ms = 4;
  o.jitter_seed = 42;
  o.sleep = [](int64_t ms, const std::atomic<bool>*) {
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min<int64_t>(ms, 4)));
  };
  return o;
}

// Passes requests to the real transport and tells another thread what is on the wire.
class ObservedTransport final : public client::HttpTransport {
 public:
  explicit ObservedTransport(client::HttpTransport& inner) : inner_(inner) {}

  Result<client::HttpResponse> Send(const client::HttpRequest& request,
                                    const std::atomic<bool>* cancel) override {
    const bool push = request.url.find("/v1/push") != std::string::npos;
    if (push) {
      pushes_.fetch_add(1);
      push_in_flight_.store(true);
    }
    Result<client::HttpResponse> reply = inner_.Send(request, cancel);
    if (push) push_in_flight_.store(false);
    std::string seen = request.url + " -> ";
    if (reply)
      seen += std::to_string(reply->status) + ", " + std::to_string(reply->body.size()) +
              " bytes: " + reply->body.substr(0, 300);
    else
      seen += reply.error().message();
    std::lock_guard<std::mutex> lock(mu_);
    last_ = std::move(seen);
    return reply;
  }

  // The last request and what came back, for failure messages.
  std::string last_exchange() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

  // True from the moment a push is handed to libcurl until its reply (or failure) is back.
  bool push_in_flight() const { return push_in_flight_.load(); }
  int pushes() const { return pushes_.load(); }

 private:
  client::HttpTransport& inner_;
  std::atomic<bool> push_in_flight_{false};
  std::atomic<int> pushes_{0};
  mutable std::mutex mu_;
  std::string last_;  // guarded by mu_
};

struct DeviceOptions {
  int64_t clock_offset_ms = 0;  // how wrong the laptop's clock is
  client::CurlOptions curl;     // e.g. the CA file of an https hub
  client::SyncOptions sync = FastSyncOptions();
  std::string role = "member";  // the enrollment code's role: "member" or "leader"
};

// A laptop: its own database file (in `dir`), clock, libcurl transport and sync engine.
class SyncDevice {
 public:
  SyncDevice(std::string name, const std::filesystem::path& dir, DeviceOptions options = {})
      : name_(std::move(name)), options_(std::move(options)), clock_(options_.clock_offset_ms) {
    auto db = Database::Open((dir / (name_ + ".db")).string(), clock_);
    REQUIRE_MESSAGE(db.ok(), db.error().message());
    db_ = std::move(db).value();
    NewLink();
  }

  const std::string& name() const { return name_; }
  const std::string& id() const { return db_->device_id(); }
  Database& db() { return *db_; }
  const Clock& clock() const { return clock_; }

  // Enrolls with a code from `hub` (made here) at `url` (default: the hub's own address).
  // REQUIREs success.
  client::EnrollResult Enroll(HubProcess& hub, const std::string& commune_id,
                              const std::string& url = "") {
    std::vector<std::string> args = {"enroll-code", "--commune", commune_id};
    if (options_.role != "member") args.insert(args.end(), {"--role", options_.role});
    const std::string code = hub.Ok(args);
    client::EnrollResult r = engine_->Enroll(url.empty() ? hub.url() : url, code, name_);
    INFO(name_, " enrolling: ", r.sync.error.message());
    REQUIRE(r.ok());
    REQUIRE(r.commune_id == commune_id);
    Count(r.sync);
    return r;
  }

  // One sync run; totals of what was pushed and pulled are kept across runs.
  client::SyncResult Sync(const client::ProgressFn& progress = {},
                          const std::atomic<bool>* cancel = nullptr) {
    client::SyncResult r = engine_->Sync(progress, cancel);
    Count(r);
    return r;
  }

  // A new transport and engine, as after the laptop slept: libcurl reuses a connection while
  // it lives, and a fault proxy draws its faults per connection.
  void NewLink() {
    engine_.reset();
    observed_.reset();
    transport_ = std::make_unique<client::CurlTransport>(options_.curl);
    observed_ = std::make_unique<ObservedTransport>(*transport_);
    engine_ = std::make_unique<client::SyncEngine>(*db_, *observed_, clock_, options_.sync);
  }
  // The sync engine, for a test that calls it directly (an enrollment expected to fail).
  client::SyncEngine& engine() { return *engine_; }
  // What the current link is doing; may be read from any thread while no NewLink() runs.
  const ObservedTransport& link() const { return *observed_; }

  // Points the device at the hub's new address (a restarted hub on another port), keeping its
  // token, commune and cursor. Not while a Sync() runs.
  void SetHubUrl(const std::string& url) {
    auto state = Replica(*db_).State();
    REQUIRE(state.ok());
    REQUIRE(Replica(*db_).SaveEnrollment(url, state->token, state->commune_id).ok());
  }

  int64_t Pending() {
    auto n = ChangeLog(*db_).PendingCount();
    REQUIRE(n.ok());
    return *n;
  }
  int64_t LastSeq() {
    auto n = ChangeLog(*db_).LastSeq();
    REQUIRE(n.ok());
    return *n;
  }
  // The canonical export without the final newline (as HubProcess::Export()).
  std::string Export() {
    auto e = ExportCanonicalJson(*db_);
    REQUIRE_MESSAGE(e.ok(), e.error().message());
    return TrimEnd(*e);
  }

  int64_t pushed_total() const { return pushed_total_; }
  int64_t pulled_total() const { return pulled_total_; }
  int64_t conflicts_total() const { return conflicts_total_; }

 private:
  void Count(const client::SyncResult& r) {
    pushed_total_ += r.pushed;
    pulled_total_ += r.pulled;
    conflicts_total_ += r.conflicts;
  }

  std::string name_;
  DeviceOptions options_;
  SkewedClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<client::CurlTransport> transport_;
  std::unique_ptr<ObservedTransport> observed_;
  std::unique_ptr<client::SyncEngine> engine_;
  int64_t pushed_total_ = 0, pulled_total_ = 0, conflicts_total_ = 0;
};

// ---- A commune: the hub, its setup, and devices ---------------------------------------------

// A hub (not started) with one commune, a village, a member and a leader made by its admin
// commands, and a folder for device databases.
struct SyncFixture {
  HubProcess hub;
  std::filesystem::path device_dir = MakeTempDir("gocua-sync-devices");
  std::string commune_id, village_id, member_id, leader_id;
  std::vector<std::unique_ptr<SyncDevice>> devices;

  // `store`: a PostgreSQL database for the hub (HubProcess::UseStore), "" = its data folder.
  explicit SyncFixture(const std::string& store = "") {
    if (!store.empty()) hub.UseStore(store);
    nlohmann::json commune =
        hub.Json({"commune", "create", "--province", "Quảng Ngãi", "--commune", "Xã Tịnh Sơn"});
    commune_id = commune.value("id", "");
    REQUIRE_FALSE(commune_id.empty());
    village_id = hub.Ok({"village", "add", "--commune", commune_id, "Thôn", "Đông"});
    member_id = hub.Ok({"member", "add", "--commune", commune_id, "--name", "Trần Thị Mai",
                        "--role", "member", "--pin", "1234"});
    leader_id = hub.Ok({"member", "add", "--commune", commune_id, "--name", "Lê Văn Hùng", "--role",
                        "leader", "--pin", "5678"});
  }
  ~SyncFixture() {
    devices.clear();
    std::error_code ec;
    std::filesystem::remove_all(device_dir, ec);
  }
  SyncFixture(const SyncFixture&) = delete;
  SyncFixture& operator=(const SyncFixture&) = delete;

  // A new device, enrolled at `url` (default: the hub's address). The hub must be running.
  SyncDevice& AddDevice(DeviceOptions options = {}, const std::string& url = "") {
    auto d = std::make_unique<SyncDevice>("laptop-" + std::to_string(devices.size() + 1),
                                          device_dir, std::move(options));
    d->Enroll(hub, commune_id, url);
    devices.push_back(std::move(d));
    return *devices.back();
  }

  // Every device syncs, in a random order, pass after pass, until a pass where every sync
  // succeeded, pushed and pulled nothing, and every outbox is empty. Returns the passes run.
  // REQUIREs that it gets there within `max_passes`.
  int SyncUntilQuiet(std::mt19937_64& rng, int max_passes = 10) {
    std::vector<SyncDevice*> order;
    for (auto& d : devices) order.push_back(d.get());
    for (int pass = 1; pass <= max_passes; ++pass) {
      std::shuffle(order.begin(), order.end(), rng);
      bool quiet = true;
      for (SyncDevice* d : order) {
        client::SyncResult r = d->Sync();
        INFO(d->name(), " pass ", pass, ": ", client::FailureName(r.failure), " ",
             r.error.message());
        REQUIRE(r.ok());
        quiet = quiet && r.pushed == 0 && r.pulled == 0 && r.pending == 0;
      }
      if (quiet) return pass;
    }
    FAIL("the devices did not go quiet in " << max_passes << " passes");
    return max_passes;
  }

  // Every device's export equals the hub's, byte for byte. Returns the hub's.
  // A member's laptop holds everything but leaders' PIN hashes, which the hub sends to leaders'
  // laptops only (docs/security.md): compared with those blanked.
  std::string CheckAllExportsEqualHub() {
    const std::string hub_export = hub.Export();
    const std::string for_members = WithoutLeaderPins(hub_export);
    for (auto& d : devices) {
      const std::string mine = d->Export();
      auto role = DeviceRole(d->db());
      const std::string& want = role.ok() && *role == "member" ? for_members : hub_export;
      INFO(d->name(), " differs from the hub: ", FirstDifference(mine, want));
      CHECK(mine == want);
    }
    return hub_export;
  }

  // `exported` (canonical JSON, one record a line) with every leader's pin_hash "".
  static std::string WithoutLeaderPins(const std::string& exported) {
    std::istringstream in(exported);
    std::string out, line;
    bool first = true;
    while (std::getline(in, line)) {
      if (line.find("\"role\":\"leader\"") != std::string::npos) {
        const size_t at = line.find("\"pin_hash\":\"");
        if (at != std::string::npos) {
          const size_t from = at + 12, end = line.find('"', from);
          if (end != std::string::npos) line.erase(from, end - from);
        }
      }
      out += (first ? "" : "\n") + line;
      first = false;
    }
    return out;
  }

  // The first line where `a` and `b` differ, both ways, for a failure message.
  static std::string FirstDifference(const std::string& a, const std::string& b) {
    std::istringstream sa(a), sb(b);
    std::string la, lb;
    for (int line = 1;; ++line) {
      const bool more_a = static_cast<bool>(std::getline(sa, la));
      const bool more_b = static_cast<bool>(std::getline(sb, lb));
      if (!more_a && !more_b) return "nothing";
      if (!more_a || !more_b || la != lb)
        return "line " + std::to_string(line) + "\n  device: " + (more_a ? la : "(end)") +
               "\n  hub:    " + (more_b ? lb : "(end)");
    }
  }
};

// The records of a canonical export: type → array of records.
inline nlohmann::json ExportRecords(const std::string& export_text) {
  nlohmann::json j = nlohmann::json::parse(export_text, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  REQUIRE(j.contains("records"));
  return j["records"];
}

// A seed for a randomised test: $GOCUA_SYNC_SEED if set (to replay a failure), else random.
// Printed either way.
inline uint64_t TestSeed(const char* test) {
  uint64_t seed = 0;
  if (const char* env = std::getenv("GOCUA_SYNC_SEED"); env && *env) {
    seed = std::strtoull(env, nullptr, 10);
  } else {
    std::random_device rd;
    seed = (static_cast<uint64_t>(rd()) << 32) ^ rd();
  }
  MESSAGE(std::string(test) << ": seed " << seed << " (replay with GOCUA_SYNC_SEED=" << seed
                            << ")");
  return seed;
}

}  // namespace gocua::test
