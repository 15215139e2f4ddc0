// Several gocua-hub processes on one PostgreSQL database (docs/architecture.md, "PostgreSQL hub
// store"): laptops alternating between two hubs through bad links converge; one hub killed
// with SIGKILL in the middle of a push while the other carries on; PostgreSQL restarted under
// running hubs, which answer 503 meanwhile and recover without a restart.
#include <doctest/doctest.h>

#include <atomic>
#include <csignal>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sync/protocol/protocol.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/pg_hubs.h"
#include "tests/support/sync_fixture.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

using test::SyncDevice;
using test::SyncFixture;

// What the database's log holds of `origin`: each of its seqs 1..last exactly once.
void CheckLoggedOnce(const std::string& uri, const std::string& origin, int64_t last) {
  auto c = pg::Conn::Open(uri);
  REQUIRE_MESSAGE(c.ok(), c.error().message());
  Status loaded = pg::LoadOpsTable(**c);  // the log one row per op (pg_ops_table.h)
  REQUIRE_MESSAGE(loaded.ok(), loaded.message());
  auto r = (*c)->Query(
      "SELECT count(*), count(DISTINCT seq), COALESCE(min(seq), 0), COALESCE(max(seq), 0) "
      "FROM hub_ops WHERE origin_device = $1",
      {origin}, "log");
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  INFO("origin ", origin);
  CHECK(r->Int(0, 0) == last);
  CHECK(r->Int(0, 1) == last);
  CHECK(r->Int(0, 2) == (last ? 1 : 0));
  CHECK(r->Int(0, 3) == last);
}

std::string Url(int port) { return "http://127.0.0.1:" + std::to_string(port); }

bool GaveUpForNow(const client::SyncResult& r) {
  return r.ok() || r.failure == client::SyncFailure::kNetwork ||
         r.failure == client::SyncFailure::kHubFailing;
}

TEST_CASE("PostgreSQL hubs: laptops alternating between two hubs through bad links converge") {
  const uint64_t seed = test::TestSeed("two hubs");
  std::mt19937_64 rng(seed);
  test::TwoPgHubs hubs;
  const std::string& uri = hubs.uri;
  SyncFixture& f = hubs.f;
  test::HubProcess& other = hubs.other;
  constexpr int kDevices = 4;
  for (int i = 0; i < kDevices; ++i)
    f.AddDevice({.sync = test::FastSyncOptions(3)}, i % 2 ? other.url() : "");
  const test::FaultProxy::Faults bad = {.cut_probability = 0.25,
                                        .max_delay_ms = 3,
                                        .replay_probability = 0.15,
                                        .seed = seed,
                                        .cut_window_bytes = 1024};
  test::FaultProxy to_first(f.hub.port(), bad), to_second(other.port(), bad);
  int counter = 0, failed = 0;
  for (int epoch = 0; epoch < 4; ++epoch) {
    for (auto& d : f.devices)
      test::AddNamedHouseholds(*d, f.village_id, 4, &counter, "Hoàng Thị Loan");
    // Every device syncs a few times, each time through the other hub and a bad link.
    for (int pass = 0; pass < 3; ++pass)
      for (size_t i = 0; i < f.devices.size(); ++i) {
        SyncDevice& d = *f.devices[i];
        d.SetHubUrl(Url((i + pass + epoch) % 2 ? to_second.port() : to_first.port()));
        d.NewLink();
        const client::SyncResult r = d.Sync();
        INFO(d.name(), ": ", client::FailureName(r.failure), " ", r.error.message());
        REQUIRE(GaveUpForNow(r));
        failed += r.ok() ? 0 : 1;
      }
  }
  // Good links again, still alternating hubs: quiet, and equal to both hubs byte for byte.
  to_first.SetFaults({});
  to_second.SetFaults({});
  for (size_t i = 0; i < f.devices.size(); ++i)
    f.devices[i]->SetHubUrl(Url(i % 2 ? to_second.port() : to_first.port()));
  f.SyncUntilQuiet(rng);
  const std::string exported = f.CheckAllExportsEqualHub();
  CHECK(other.Export() == exported);
  // Nothing lost or doubled: every household once, every op logged once.
  size_t households = 0;
  for (size_t at = exported.find("Hoàng Thị Loan"); at != std::string::npos;
       at = exported.find("Hoàng Thị Loan", at + 1))
    ++households;
  CHECK(households == static_cast<size_t>(counter));
  for (auto& d : f.devices) CheckLoggedOnce(uri, d->id(), d->LastSeq());
  MESSAGE("syncs cut short by the links: ", failed,
          ", proxied connections: ", to_first.stats().connections + to_second.stats().connections);
  CHECK(to_first.stats().cut + to_second.stats().cut > 0);
}

TEST_CASE("PostgreSQL hubs: one hub killed in the middle of a push, the other carries on") {
  const uint64_t seed = test::TestSeed("hub killed beside another");
  std::mt19937_64 rng(seed);
  test::TwoPgHubs hubs;
  const std::string& uri = hubs.uri;
  SyncFixture& f = hubs.f;
  test::HubProcess& other = hubs.other;
  SyncDevice& writer = f.AddDevice({.sync = test::FastSyncOptions(2)});
  SyncDevice& reader = f.AddDevice({.sync = test::FastSyncOptions(3)}, other.url());
  int counter = 0;
  for (int round = 0; round < 5; ++round) {
    INFO("round ", round);
    test::AddNamedHouseholds(writer, f.village_id, 100, &counter,
                             "Hoàng Thị Loan");  // 800 ops: several push batches
    writer.SetHubUrl(f.hub.url());
    writer.NewLink();
    client::SyncResult wrote;
    std::thread writer_thread([&] { wrote = writer.Sync(); });
    // Killed once a push is on the wire, a few milliseconds into it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!writer.link().push_in_flight() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 20));
    CHECK(f.hub.Kill() == 128 + SIGKILL);
    writer_thread.join();
    CHECK(GaveUpForNow(wrote));
    // The other hub carries on: the writer finishes its push there, the reader pulls it.
    writer.SetHubUrl(other.url());
    writer.NewLink();
    const client::SyncResult rest = writer.Sync();
    REQUIRE_MESSAGE(rest.ok(), rest.error.message());
    CHECK(writer.Pending() == 0);
    REQUIRE(reader.Sync().ok());
    CHECK(reader.Export() == writer.Export());
    f.hub.Start();  // back, on the same database
  }
  writer.SetHubUrl(f.hub.url());
  f.SyncUntilQuiet(rng);
  const std::string exported = f.CheckAllExportsEqualHub();
  CHECK(other.Export() == exported);
  CheckLoggedOnce(uri, writer.id(), writer.LastSeq());
  CHECK(writer.LastSeq() == counter * 8);
}

TEST_CASE("PostgreSQL hubs: PostgreSQL restarted under running hubs, 503 meanwhile, then on") {
  std::mt19937_64 rng(test::TestSeed("postgresql restart"));
  test::TwoPgHubs hubs;
  const std::string& uri = hubs.uri;
  SyncFixture& f = hubs.f;
  test::HubProcess& other = hubs.other;
  SyncDevice& a = f.AddDevice({.sync = test::FastSyncOptions(2)});
  SyncDevice& b = f.AddDevice({.sync = test::FastSyncOptions(2)}, other.url());
  int counter = 0;
  test::AddNamedHouseholds(a, f.village_id, 5, &counter, "Hoàng Thị Loan");
  REQUIRE(a.Sync().ok());

  test::PgCluster::Shared().Stop();
  test::AddNamedHouseholds(a, f.village_id, 5, &counter, "Hoàng Thị Loan");
  test::AddNamedHouseholds(b, f.village_id, 5, &counter, "Hoàng Thị Loan");
  for (test::HubProcess* hub : {&f.hub, &other}) {
    // A request that needs the database: 503 with the protocol's error body, not a crash.
    const hub_http::HttpReply reply =
        hub_http::Http(hub->port(), "GET", "/v1/pull?cursor=", "",
                       {{"Authorization", "Bearer " + std::string(40, 'a')}});
    CHECK(reply.status == 503);
    CHECK(reply.Error().code == protocol::kErrUnavailable);
    // The laptops' syncs fail as "the hub is failing, try later", nothing lost.
    const client::SyncResult r = (hub == &f.hub ? a : b).Sync();
    INFO(client::FailureName(r.failure), " ", r.error.message());
    CHECK(r.failure == client::SyncFailure::kHubFailing);
    CHECK(hub->running());
  }
  test::PgCluster::Shared().Start();
  // The same hub processes, not restarted, serve again.
  f.SyncUntilQuiet(rng);
  const std::string exported = f.CheckAllExportsEqualHub();
  CHECK(other.Export() == exported);
  CheckLoggedOnce(uri, a.id(), a.LastSeq());
  CheckLoggedOnce(uri, b.id(), b.LastSeq());
}

}  // namespace
}  // namespace gocua
