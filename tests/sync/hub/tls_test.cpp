// The hub over HTTPS: `gocua-hub serve --tls-cert F --tls-key F` with a self-signed certificate
// made by the openssl command at test time, laptops trusting it through CurlOptions::ca_file.
// Two laptops enroll and sync over https on loopback and converge; a client that does not
// trust the certificate, or speaks plain HTTP to the port, gets nothing; bad TLS options stop
// the hub before it serves.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "storage/device/households.h"
#include "tests/support/sync_fixture.h"

namespace gocua {
namespace {

// A self-signed certificate for 127.0.0.1 and its key, in `dir`.
std::pair<std::string, std::string> MakeCertificate(const std::filesystem::path& dir) {
  const std::string cert = (dir / "hub.crt").string(), key = (dir / "hub.key").string();
  const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
                          " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
                          key + "' -out '" + cert + "' >/dev/null 2>&1";
  REQUIRE_MESSAGE(std::system(cmd.c_str()) == 0, "the openssl command failed: " << cmd);
  return {cert, key};
}

TEST_CASE("Sync: laptops enroll and sync with a hub over https with its own certificate") {
  test::SyncFixture f;
  const auto [cert, key] = MakeCertificate(f.device_dir);
  f.hub.Start({"--tls-cert", cert, "--tls-key", key});
  REQUIRE(f.hub.url().rfind("https://127.0.0.1:", 0) == 0);

  test::DeviceOptions trusting;
  trusting.curl.ca_file = cert;
  test::SyncDevice& a = f.AddDevice(trusting);
  Household h;
  h.village_id = f.village_id;
  h.head_name = "Hộ qua HTTPS";
  h.members_count = 2;
  REQUIRE(Households(a.db()).Add(h).ok());
  std::mt19937_64 rng(11);
  f.AddDevice(trusting);
  f.SyncUntilQuiet(rng);
  f.CheckAllExportsEqualHub();
  CHECK(f.devices[1]->pulled_total() > 0);

  // Without the certificate the client refuses the hub; plain HTTP gets no answer.
  client::CurlTransport untrusting;
  client::HttpRequest health{client::HttpRequest::Method::kGet, f.hub.url() + "/healthz", "", "",
                             false};
  CHECK_FALSE(untrusting.Send(health, nullptr).ok());
  client::CurlTransport trusted(trusting.curl);
  auto ok = trusted.Send(health, nullptr);
  REQUIRE(ok.ok());
  CHECK(ok->status == 200);
  client::HttpRequest plain = health;
  plain.url.replace(0, 5, "http");
  auto refused = client::CurlTransport().Send(plain, nullptr);
  CHECK((!refused.ok() || refused->status >= 400));
}

#ifdef GOCUA_CLI_PATH
TEST_CASE("gocua-cli: enroll --ca-file trusts the hub's certificate and keeps it for sync") {
  test::SyncFixture f;
  const auto [cert, key] = MakeCertificate(f.device_dir);
  f.hub.Start({"--tls-cert", cert, "--tls-key", key});
  auto cli = [&](const std::string& data, std::vector<std::string> args) {
    args.insert(args.begin(), {GOCUA_CLI_PATH, "--data", (f.device_dir / data).string()});
    return test::RunProcess(args, f.device_dir);
  };
  // Without the certificate the hub is not trusted: nothing is enrolled.
  const auto refused = cli("plain", {"enroll", "--hub", f.hub.url(), "--code",
                                     f.hub.Ok({"enroll-code", "--commune", f.commune_id})});
  CHECK(refused.exit_code == 1);
  CHECK(cli("plain", {"sync"}).exit_code != 0);

  const auto enrolled = cli("trusting", {"enroll", "--hub", f.hub.url(), "--code",
                                         f.hub.Ok({"enroll-code", "--commune", f.commune_id}),
                                         "--ca-file", cert, "--json"});
  INFO(enrolled.err);
  REQUIRE(enrolled.exit_code == 0);
  CHECK(nlohmann::json::parse(enrolled.out)["commune_id"] == f.commune_id);
  // A later sync needs no flag: the certificate was kept with the enrollment.
  const auto synced = cli("trusting", {"sync", "--json"});
  INFO(synced.err);
  CHECK(synced.exit_code == 0);
  // Told to trust another file (the key is not a certificate), it refuses the hub.
  CHECK(cli("trusting", {"sync", "--ca-file", key}).exit_code == 1);
}
#endif

TEST_CASE("Hub: bad TLS options stop serve before it listens") {
  test::HubProcess hub;
  const auto half = hub.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent"});
  CHECK(half.exit_code == 2);
  const auto missing = hub.Run({"serve", "--listen", "127.0.0.1:0", "--tls-cert", "/nonexistent",
                                "--tls-key", "/nonexistent"});
  CHECK(missing.exit_code != 0);
  CHECK(missing.err.find("TLS certificate or key") != std::string::npos);
  // Off loopback, plain HTTP still needs --insecure-http.
  const auto open = hub.Run({"serve", "--listen", "0.0.0.0:0"});
  CHECK(open.exit_code == 2);
  CHECK(open.err.find("--tls-cert") != std::string::npos);
}

}  // namespace
}  // namespace gocua
