// GET /healthz on the SQLite hub (HubApi::Health, SqliteHubStore::Ping in hub_ping.cpp): a hub
// whose data file is ruined or gone under it must say 503 with a plain Vietnamese message that
// names the file and says what to do, so that nginx takes it out of its upstreams and the admin
// knows; and 200 again once the file is put back — the same process, not restarted. The hub's
// connection serves from its page cache, so a read through SQL alone did not see either fault.
// Real faults on the real gocua-hub's data folder: hub.db overwritten in place by other bytes
// (a wrong file copied over it), and hub.db moved away. pg_healthz_test.cpp is PostgreSQL's.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/sync/hub/healthz_checks.h"
#include "tests/sync/hub/hub_http.h"

namespace gocua {
namespace {

TEST_CASE("SQLite hub: /healthz is 503 while hub.db holds other bytes, 200 once it is put back") {
  test::HubProcess hub;
  hub.Start();
  hub_http::CheckHealthy(hub.port());
  const std::string kept = test::ReadFile(hub.db_path());
  REQUIRE(kept.size() >= 100);

  // A file that is not a database, copied over hub.db in place (the same inode).
  std::string other = "{\"note\": \"xuất dữ liệu, không phải hub.db\"}\n";
  while (other.size() < kept.size()) other += other;
  hub_http::WriteFile(hub.db_path(), other.substr(0, kept.size()));
  hub_http::CheckUnavailable(hub.port(), {"hub.db", "bản sao lưu"});
  CHECK(hub.running());

  hub_http::WriteFile(hub.db_path(), kept);
  hub_http::CheckHealthy(hub.port());
}

TEST_CASE("SQLite hub: /healthz is 503 while hub.db is moved away, 200 once it is back") {
  test::HubProcess hub;
  hub.Start();
  hub_http::CheckHealthy(hub.port());
  const std::string away = hub.db_path() + ".moved";
  std::filesystem::rename(hub.db_path(), away);
  hub_http::CheckUnavailable(hub.port(), {"hub.db", "đưa đúng tệp đó về chỗ cũ"});
  CHECK(hub.running());

  std::filesystem::rename(away, hub.db_path());
  hub_http::CheckHealthy(hub.port());
}

}  // namespace
}  // namespace gocua
