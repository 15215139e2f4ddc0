// GET /healthz checks the hub's store (HubApi::Health, HubStore::Ping): nginx takes a hub out of
// its upstreams on a 503 (tools/deploy/nginx), so a hub whose PostgreSQL is gone must say so,
// in Vietnamese for the admin who reads it, and say 200 again once PostgreSQL is back — the
// same process, not restarted. Real private cluster (tests/support/pg_cluster.h), stopped and
// started.
#include <doctest/doctest.h>

#include <string>

#include "tests/support/pg_hubs.h"
#include "tests/sync/hub/healthz_checks.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

TEST_CASE("PostgreSQL hub: /healthz is 503 while PostgreSQL is stopped, 200 once it is back") {
  test::HubProcess hub;
  hub.UseStore(test::NewHubDatabase());
  hub.Start();
  CHECK(hub_http::Http(hub.port(), "GET", "/healthz").status == 200);

  test::PgCluster::Shared().Stop();
  // The first finds the old session dead, the second none at all.
  hub_http::CheckUnavailable(hub.port(), {"PostgreSQL"});
  CHECK(hub.running());

  test::PgCluster::Shared().Start();
  hub_http::CheckHealthy(hub.port());
}

TEST_CASE("SQLite hub: /healthz reads the hub's database and answers 200") {
  test::HubProcess hub;
  hub.Start();
  hub_http::CheckHealthy(hub.port());
}

}  // namespace
}  // namespace gocua
